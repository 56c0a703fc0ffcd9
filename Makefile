# Replaydesk: `make run` to try it, `make test` to check it. Both install what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# `make run PORT=8080` serves there, and the printed snippet and links follow.
PORT ?= 5000
JS_PACKAGES := $(patsubst %/package.json,%,$(wildcard sdk_js/package.json review_ui/package.json))

.PHONY: install python-deps js-deps chromium ffmpeg build run test test-python test-js bench bench-clips bench-cluster clean

install: python-deps js-deps

python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

js-deps: $(addsuffix /node_modules/.installed,$(JS_PACKAGES))
%/node_modules/.installed: %/package-lock.json
	cd $* && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Real-browser tests drive Debian's Chromium (Playwright's own download is not available).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Video clips (`replaydesk clip`, the clip jobs) are encoded by Debian's ffmpeg.
ffmpeg:
	@command -v ffmpeg >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null; }

build: install
	@for pkg in $(JS_PACKAGES); do (cd $$pkg && npm run --silent build) || exit 1; done
	@# Pre-compressed copies: WhiteNoise serves them to browsers that accept gzip.
	@for pkg in $(JS_PACKAGES); do $(PY) -m whitenoise.compress --quiet --no-brotli $$pkg/dist || exit 1; done

run: build chromium ffmpeg
	$(BIN)/replaydesk init --port $(PORT)
	$(BIN)/replaydesk serve --port $(PORT)

test: build chromium ffmpeg
	@for pkg in $(JS_PACKAGES); do (cd $$pkg && npm test --silent) || exit 1; done
	$(BIN)/pytest

bench: build
	$(PY) bench/ingest.py
	$(PY) bench/analysis.py

# Clip rendering: seconds of render per second of video, file sizes (about 6 minutes).
bench-clips: build chromium ffmpeg
	$(PY) bench/clips.py

# Scale-out proof (bench/cluster.py): HAProxy, 3 web processes, 2 job workers on PostgreSQL
# (127.0.0.1:5432), Redis (127.0.0.1:6379) and S3 (moto's server); kills and restarts two of them mid-run.
bench-cluster: build
	@command -v haproxy >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }
	$(PY) bench/cluster.py

clean:
	rm -rf $(VENV) sdk_js/node_modules review_ui/node_modules sdk_js/dist review_ui/dist
