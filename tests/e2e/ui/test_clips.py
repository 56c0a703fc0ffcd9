"""Video clips for real: `replaydesk clip` makes an 8-second MP4 of a dev-corpus session
whose frames look like the player at those moments; a clip asked for through the API
renders in the server's background worker with its progress growing to 1, then
downloads; the player's Clip button and a finding's Highlight reel button do the same
from the UI."""
from __future__ import annotations

import io
import json
import re
import subprocess
import time
from pathlib import Path

import requests
from PIL import Image, ImageChops, ImageStat
from playwright.sync_api import expect

from tests.e2e.ui.conftest import screenshot, wait_for_first_frame

SESSION = "shop-04-coupon_rager_buys"
RENDER_TIMEOUT_S = 120


def probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                          "stream=codec_name,pix_fmt,width,height,nb_read_frames:format=duration", "-of", "json",
                          str(path)], capture_output=True, text=True, check=True).stdout
    found = json.loads(out)
    return {**found["streams"][0], "duration": float(found["format"]["duration"])}


def video_frame(path: Path, index: int) -> Image.Image:
    png = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf", f"select=eq(n\\,{index})", "-frames:v", "1",
                          "-f", "image2pipe", "-c:v", "png", "-"], capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def distance(a: Image.Image, b: Image.Image) -> float:
    """Mean grey-level difference (0..255) of two pictures scaled to the same small size."""
    size = (160, 100)
    return ImageStat.Stat(ImageChops.difference(a.convert("L").resize(size), b.convert("L").resize(size))).mean[0]


def player_at(browser, ui_server, session: str, moment_ms: int) -> Image.Image:
    """The read-only player (a share link opened in a fresh browser) paused at a moment:
    its replay, as the page shows it."""
    bearer = {"Authorization": f"Bearer {ui_server.token}"}
    link = requests.post(f"{ui_server.url}/api/v1/sessions/{session}/shares", headers=bearer, timeout=10,
                         json={"from_ms": moment_ms}).json()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(link["url"])
        wait_for_first_frame(page)
        page.wait_for_load_state("networkidle")
        png = page.locator("#stage iframe").screenshot()
    finally:
        context.close()
        requests.delete(f"{ui_server.url}/api/v1/shares/{link['token']}", headers=bearer, timeout=10)
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_the_cli_makes_an_8_second_mp4_that_shows_the_session(browser, ui_server, tmp_path):
    session = ui_server.sessions[SESSION]
    output = tmp_path / "coupon.mp4"
    said = ui_server.process.cli("clip", session, "--from", "0:04", "--to", "12s", "--caption", "Coupon rage",
                                 "-o", str(output))
    assert said.startswith(f"{output}: 0:04–0:12 of session {session}")

    facts = probe(output)
    assert (facts["codec_name"], facts["pix_fmt"]) == ("h264", "yuv420p")
    assert facts["duration"] == abs(facts["duration"]) and abs(facts["duration"] - 8.0) < 0.15
    assert int(facts["nb_read_frames"]) == 80  # 10 fps

    # The replay fills the frame above the caption band (recorded 1280 × 800, scaled alike).
    replay = (0, 0, facts["width"], round(facts["width"] * 800 / 1280))
    at_4s, at_7s = video_frame(output, 0).crop(replay), video_frame(output, 30).crop(replay)
    assert ImageStat.Stat(at_4s.convert("L")).stddev[0] > 20  # a page, not a blank frame
    player_4s = player_at(browser, ui_server, session, 4_000)
    same, other = distance(at_4s, player_4s), distance(at_7s, player_4s)
    assert same < 4, same  # the player at that moment, give or take the cursor and scaling (measured: 2)
    assert other > 5 * same, (same, other)  # at 0:07 the page has scrolled: another picture (measured: 38)


def test_a_clip_job_reports_progress_then_downloads(ui_server, tmp_path):
    session = ui_server.sessions[SESSION]
    bearer = {"Authorization": f"Bearer {ui_server.token}"}
    asked = requests.post(f"{ui_server.url}/api/v1/sessions/{session}/clips", headers=bearer, timeout=10,
                          json={"from": "0:04", "to": "0:09", "caption": "Coupon rage"})
    assert asked.status_code == 202, asked.text
    clip_url = ui_server.url + asked.headers["Location"]
    seen, deadline = [], time.monotonic() + RENDER_TIMEOUT_S
    while time.monotonic() < deadline:
        clip = requests.get(clip_url, headers=bearer, timeout=10).json()
        seen.append(clip["progress"])
        if clip["state"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert clip["state"] == "done", clip
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert any(0 < progress < 1 for progress in seen), seen  # it showed how far it got

    video = requests.get(clip["url"], headers=bearer, timeout=30)
    assert video.status_code == 200 and video.headers["Content-Type"] == "video/mp4"
    assert video.headers["Content-Disposition"] == f'attachment; filename="replaydesk-clip-{clip["id"]}.mp4"'
    path = tmp_path / "job.mp4"
    path.write_bytes(video.content)
    facts = probe(path)
    assert facts["codec_name"] == "h264" and abs(facts["duration"] - 5.0) < 0.15
    assert (facts["width"], facts["height"]) == (clip["width"], clip["height"])
    assert requests.get(f"{ui_server.url}/api/v1/projects/1/shares", headers=bearer, timeout=10).json()["shares"] == []


def test_the_clip_and_highlight_reel_buttons_make_videos_to_download(page, ui_server):
    session = ui_server.sessions[SESSION]
    page.goto(f"{ui_server.url}/sessions/{session}?t=10000")
    wait_for_first_frame(page)
    expect(page.locator("#clock")).to_contain_text("0:10 /")
    page.click("#make-clip")
    dialog = page.locator("#clip-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#clip-from")).to_have_value("0:05")  # the moment −5 s … +5 s
    expect(page.locator("#clip-to")).to_have_value("0:15")
    screenshot(dialog, "40-clip-dialog")

    page.fill("#clip-to", "99:00")
    page.click("#clip-make")
    expect(page.locator(".toast.error")).to_contain_text("to (1:39:00) is beyond the end of the session (0:53")
    page.fill("#clip-to", "0:08")
    page.check("input[name=format][value=gif]")
    page.fill("#clip-caption", "Adds the blanket to the cart")
    page.click("#clip-make")
    expect(page.locator("#clip-status")).to_contain_text(re.compile(r"Queued|Rendering"))
    screenshot(dialog, "41-clip-rendering")
    link = page.locator("#clip-download")
    expect(link).to_be_visible(timeout=RENDER_TIMEOUT_S * 1000)
    expect(page.locator("#clip-status")).to_contain_text("Ready: 0:03 GIF")
    screenshot(dialog, "42-clip-ready")
    video = page.request.get(ui_server.url + link.get_attribute("href"))
    assert video.status == 200 and video.headers["content-type"] == "image/gif" and video.body()[:6] == b"GIF89a"

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(dialog, "43-clip-ready-390")
    page.keyboard.press("Escape")
    screenshot(page, "44-player-clip-button-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page.locator("#controls"), "45-player-controls")

    bearer = {"Authorization": f"Bearer {ui_server.token}"}
    note = requests.post(f"{ui_server.url}/api/v1/sessions/{session}/annotations", headers=bearer, timeout=10,
                         json={"ts": 9_000, "text": "Rage on Add to cart"}).json()
    finding = requests.post(f"{ui_server.url}/api/v1/findings", headers=bearer, timeout=10,
                            json={"title": "Add to cart gives no feedback", "evidence": [note["id"]]}).json()
    page.goto(f"{ui_server.url}/findings/{finding['id']}")
    expect(page.locator("#reel-result")).to_be_hidden()  # no reel yet
    page.select_option("#reel-format", "mp4")
    page.click("#make-reel")
    expect(page.locator("#reel-status")).to_contain_text(re.compile(r"Queued|Rendering"))
    reel_link = page.locator("#reel-download")
    expect(reel_link).to_be_visible(timeout=RENDER_TIMEOUT_S * 1000)
    expect(page.locator("#reel-status")).to_contain_text("Ready: 0:08 MP4")
    screenshot(page, "46-finding-reel")
    reel = page.request.get(ui_server.url + reel_link.get_attribute("href"))
    assert reel.status == 200 and reel.headers["content-type"] == "video/mp4"
    assert 'filename="replaydesk-clip-' in reel.headers["content-disposition"]

    page.reload()  # the latest reel is offered again
    expect(page.locator("#reel-download")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "47-finding-reel-390")
