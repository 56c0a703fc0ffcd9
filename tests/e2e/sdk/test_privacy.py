"""What a visitor types, and what the product marks private, never reaches the server:
not on the wire, not in the stored stream, not in any byte of the data dir."""
from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
import requests

from tests.e2e.sdk.ingest import sessions, wait_for_stored
from tests.e2e.sdk.site import pump, tab_session_id, wait_until_recording

pytestmark = pytest.mark.browser

INPUT_SOURCE = 5
PRIVATE_IN_PAGE = ["BLOCKATTR-7731", "BLOCKCLASS-221B", "MASKED-4111", "PREFILLED-1987", "HIDDEN-CSRF-5f2e"]
PRIVATE_AFTER_REVEAL = ["MASKED-LATE-5500", "BLOCKCLASS-LATE-742", "BLOCKATTR-LATE-9"]
VISIBLE_CONTROL = "VISIBLE-CONTROL-31"


def everything_stored(server, session_id: str) -> bytes:
    """Every byte the server keeps that a reviewer or an operator could read: the stored
    stream and session as the API gives them, and every file of the data dir (database,
    WAL, blobs), raw."""
    parts = [requests.get(f"{server.url}/api/v1/sessions/{session_id}{suffix}", headers=server.bearer, timeout=10).content
             for suffix in ("", "/events")]
    parts.append(json.dumps(sessions(server)).encode())
    data_dir = Path(server.process.env["REPLAYDESK_DATA_DIR"])
    parts += [path.read_bytes() for path in sorted(data_dir.rglob("*")) if path.is_file()]
    return b"\n".join(parts)


def everything_sent(tap) -> str:
    return "\n".join(json.dumps(sent.batch) for sent in tap.batches().values())


def record_form_visit(page, site, tap, server, typing) -> tuple[str, list]:
    """Open the checkout form, let `typing(page)` fill it, go on to the app; return the
    session id and its stored stream once every sent event is stored."""
    page.goto(site.url("form.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    typing(page)
    page.click("#continue")  # the form's last batch leaves by beacon on page hide
    page.wait_for_url("**/app/")
    wait_until_recording(page)
    tap.wait_quiet(pump=pump(page))
    tap.read_beacon_copies(page)
    assert not tap.problems
    sent = tap.events(session_id)
    stored = wait_for_stored(server, session_id, lambda events: len(events) >= len(sent), pump=pump(page))
    assert stored == sent
    return session_id, stored


def test_typed_values_never_reach_the_server(site, context, tap, server):
    typed = {  # field → a value no page holds, so finding it anywhere means it leaked
        "#name": f"Zora{secrets.token_hex(6)}",
        "#email": f"zora{secrets.token_hex(6)}@example.com",
        "#password": f"pw{secrets.token_hex(4)}!",  # 11 characters: no other field has that length
        "#notes": f"note{secrets.token_hex(6)} with spaces",
        "#coupon": f"CPN{secrets.token_hex(5)}",  # inside a data-rd-block container
    }
    scripted = f"scripted{secrets.token_hex(6)}"  # set by the page's own script, not typed

    def typing(page):
        for selector, value in typed.items():
            page.locator(selector).press_sequentially(value)
        page.locator("#prefilled").fill("")
        page.evaluate("value => { document.getElementById('notes').value = value; }", scripted)
        page.click("#intro")  # blur: rrweb records the last value of the field

    page = context.new_page()
    session_id, stored = record_form_visit(page, site, tap, server, typing)

    wire, kept = everything_sent(tap), everything_stored(server, session_id)
    for secret in [*typed.values(), scripted, *PRIVATE_IN_PAGE]:
        assert secret not in wire, f"{secret!r} left the browser"
        assert secret.encode() not in kept, f"{secret!r} is stored"
    # The fields were recorded, masked: the stream is not simply missing them.
    inputs = [e["data"]["text"] for e in stored if e["type"] == 3 and e["data"]["source"] == INPUT_SOURCE]
    assert "*" * len(typed["#name"]) in inputs and "*" * len(typed["#email"]) in inputs
    assert "********" in inputs, "a password gets the fixed mask"
    assert "*" * len(typed["#password"]) not in inputs, "a password's length is not revealed"
    assert VISIBLE_CONTROL.encode() in kept, "page text does arrive (the search looks at the right data)"


def masked_text(text: str) -> str:
    """rrweb's text mask: every character but whitespace becomes an asterisk."""
    return re.sub(r"\S", "*", text)


def find_nodes(node: dict, predicate) -> list[dict]:
    found = [node] if predicate(node) else []
    for child in node.get("childNodes", []):
        found += find_nodes(child, predicate)
    return found


def text_of(node: dict) -> str:
    return node.get("textContent", "") + "".join(text_of(child) for child in node.get("childNodes", []))


def test_blocked_and_masked_content_never_reaches_the_server(site, context, tap, server):
    page = context.new_page()
    session_id, stored = record_form_visit(page, site, tap, server, lambda page: page.click("#reveal"))

    wire, kept = everything_sent(tap), everything_stored(server, session_id)
    for private in [*PRIVATE_IN_PAGE, *PRIVATE_AFTER_REVEAL]:
        assert private not in wire, f"{private!r} left the browser"
        assert private.encode() not in kept, f"{private!r} is stored"
    assert VISIBLE_CONTROL in wire and VISIBLE_CONTROL.encode() in kept

    # Blocked elements are empty boxes of their size; masked text keeps its length.
    snapshot = next(e for e in stored if e["type"] == 2)["data"]["node"]
    blocked = find_nodes(snapshot, lambda n: "rr_width" in n.get("attributes", {}))  # rrweb keeps only class and size
    assert [(node["tagName"], node["childNodes"]) for node in blocked] == [("div", []), ("div", [])]
    masked = find_nodes(snapshot, lambda n: "data-rd-mask" in n.get("attributes", {}))
    assert [text_of(node) for node in masked] == [masked_text("Card on file MASKED-4111")]
    mutations = [e["data"] for e in stored if e["type"] == 3 and e["data"]["source"] == 0]
    late_texts = [t["value"] for m in mutations for t in m["texts"]] + [text_of(a["node"]) for m in mutations for a in m["adds"]]
    assert masked_text("Card on file MASKED-LATE-5500") in late_texts, "the masked text's change was recorded, masked"
