"""One contract, three backends: file://, db:// and s3:// (moto's S3 server), and the
file store behind batch chunks staged in the database, as the app opens it."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from server.storage.blobs import BlobNotFound, open_blob_store
from server.storage.migrate import upgrade_database


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["file", "db", "s3", "staged"])
def store(request, tmp_path, monkeypatch):
    if request.param == "file":
        yield open_blob_store(f"file://{tmp_path / 'blobs'}")
    elif request.param == "staged":  # every contract test once more with staged keys in the mix
        url = f"sqlite:///{tmp_path / 'staged.db'}"
        upgrade_database(url)
        engine = create_engine(url)
        yield _Staging(open_blob_store(f"file://{tmp_path / 'blobs'}", engine_factory=lambda: engine))
        engine.dispose()
    elif request.param == "db":
        url = f"sqlite:///{tmp_path / 'blobs.db'}"
        upgrade_database(url)
        engine = create_engine(url)
        yield open_blob_store("db://", engine_factory=lambda: engine)
        engine.dispose()
    else:
        import boto3

        endpoint = request.getfixturevalue("s3_endpoint")
        for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                            "AWS_DEFAULT_REGION": "us-east-1"}.items():
            monkeypatch.setenv(name, value)
        bucket = f"bucket-{tmp_path.name.lower().replace('_', '-')[-40:]}"
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=bucket)
        yield open_blob_store(f"s3://{bucket}/replays", s3_endpoint=endpoint)


class _Staging:
    """Sends half the keys of a test to the database: ``sessions/a/1`` → ``sessions/a/staged/1``."""

    def __init__(self, store) -> None:
        self.store = store

    @staticmethod
    def _key(key: str) -> str:
        head, _, name = key.rpartition("/")
        return f"{head}/staged/{name}" if name in ("1", "one.zst", "range", "gone") else key

    @staticmethod
    def _plain(key: str) -> str:
        return key.replace("/staged/", "/")

    def put(self, key, data):
        self.store.put(self._key(key), data)

    def get(self, key, start=0, length=None):
        return self.store.get(self._key(key), start, length)

    def delete(self, key):
        self.store.delete(self._key(key))

    def delete_prefix(self, prefix):
        return self.store.delete_prefix(prefix)

    def iter_keys(self, prefix=""):
        return (self._plain(key) for key in self.store.iter_keys(prefix))


def test_put_then_get_returns_the_bytes(store):
    store.put("sessions/a/one.zst", b"\x00payload\xff")
    assert store.get("sessions/a/one.zst") == b"\x00payload\xff"


def test_get_a_range(store):
    store.put("k/range", bytes(range(100)))
    assert store.get("k/range", 10, 5) == bytes(range(10, 15))
    assert store.get("k/range", 95) == bytes(range(95, 100))


def test_put_replaces(store):
    store.put("k/x", b"old")
    store.put("k/x", b"new")
    assert store.get("k/x") == b"new"


def test_missing_key_raises_blob_not_found(store):
    with pytest.raises(BlobNotFound):
        store.get("nope/never")


def test_delete_is_idempotent(store):
    store.put("k/gone", b"x")
    store.delete("k/gone")
    store.delete("k/gone")
    with pytest.raises(BlobNotFound):
        store.get("k/gone")


def test_delete_prefix_removes_only_that_prefix(store):
    for key in ("sessions/a/1", "sessions/a/2", "sessions/ab/1", "sessions/b/1"):
        store.put(key, b"x")
    assert store.delete_prefix("sessions/a/") == 2
    assert sorted(store.iter_keys("sessions/")) == ["sessions/ab/1", "sessions/b/1"]


def test_iter_keys_lists_everything_under_a_prefix(store):
    store.put("p/1", b"a")
    store.put("p/2/3", b"b")
    store.put("q/1", b"c")
    assert sorted(store.iter_keys("p/")) == ["p/1", "p/2/3"]
    assert sorted(store.iter_keys()) == ["p/1", "p/2/3", "q/1"]


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unknown blob URL scheme"):
        open_blob_store("ftp://x/y")
