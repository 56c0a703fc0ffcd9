import json, pytest
from tests.e2e.sdk.ingest import stored_events

pytestmark = pytest.mark.browser

def test_proto(site, context, tap, server):
    page = context.new_page()
    page.on("console", lambda m: print("CONSOLE", m.type, m.text))
    page.goto(site.url("index.html"))
    page.wait_for_function("window.Replaydesk && window.Replaydesk.isRecording && window.Replaydesk.isRecording()")
    page.click("#add"); page.click("#add")
    page.click("#to-form"); page.wait_for_url("**/form.html")
    page.wait_for_function("window.Replaydesk && window.Replaydesk.isRecording && window.Replaydesk.isRecording()")
    page.locator("#name").press_sequentially("Ada Lovelace")
    page.locator("#password").press_sequentially("hunter2")
    page.click("#continue"); page.wait_for_url("**/app/")
    page.wait_for_function("window.Replaydesk && window.Replaydesk.isRecording && window.Replaydesk.isRecording()")
    page.click("#nav-cart"); page.click("#nav-pay"); page.go_back()
    sid = page.evaluate("JSON.parse(sessionStorage.getItem('rd_session')).id")
    tap.wait_quiet(pump=lambda s: page.wait_for_timeout(s*1000))
    tap.read_beacon_copies(page)
    for s in [*tap.sent, *tap.beacon_copies]:
        print(s.key, s.resource_type, s.gzipped, s.status, s.url, len(s.batch["events"]))
    print(tap.problems, tap.unread_blob_beacons)
    stored = stored_events(server, sid)
    sent = tap.events(sid)
    print(len(stored), len(sent), stored == sent)
    for e in sent:
        print(e["type"], e["timestamp"], json.dumps(e.get("data"))[:150])
