"""Project membership and roles, route by route: two projects, a reviewer of only one.

Every route of the review API, the pages and the token routes is walked (the tables
below must name each one, so a new route cannot slip by): nothing of the other
project is shown or changed, and in their own project each role may do exactly what
it should (viewer reads, member also writes, admin also manages and deletes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from server.extensions import socketio
from server.runtime import current_runtime
from server.storage import clips, experiments, findings, notes, shares, studies, webhooks
from server.storage.accounts import user_by_email
from server.storage.projects import get_project
from server.storage.sessions import sessions_by_id
from server.storage.tokens import list_tokens
from tests.factories import T0, add_member, click_event, make_project, make_session, make_token, meta_event

MARK = "betasecret"  # in every name, text and URL of the other project


@dataclass(frozen=True)
class World:
    """One project's objects, ids only."""
    project: int
    session: str
    note: int
    finding: int
    study: int
    experiment: str
    url: str
    member_id: int  # a reviewer of this project (to remove from it)
    token_id: int  # a token of that reviewer
    webhook: int
    share: str  # a share link's token
    clip: int  # a rendered highlight reel of the finding
    recording: str  # a think-aloud recording of the session


def build(app, tag: str) -> World:
    project = make_project(app, f"{tag}-project")
    email = f"{tag}-person@example.com"
    add_member(app, email, project, "viewer")
    make_token(app, f"{tag}-token", email=email)
    with app.app_context():
        study = studies.create_study(project.id, {"name": f"{tag} study", "product_url": f"https://{tag}.test/"},
                                     now_ms=T0)
        study_id, slug = study.id, study.slug
        experiments.create_experiment(project.id, {"name": f"{tag}-exp", "variants": [
            {"name": "control", "weight": 1}, {"name": "new", "weight": 1}]}, now_ms=T0)
    url = f"https://{tag}.test/checkout"
    session = make_session(app, project, events=[meta_event(T0, href=url), click_event(T0 + 100, x=20, y=30)],
                           meta={"url": url, "user_agent": "pytest", "viewport": {"w": 1280, "h": 800},
                                 "variants": {f"{tag}-exp": "new"}, "study": slug})
    with app.app_context():
        note = notes.add_note(session, ts=T0 + 50, text=f"{tag} note", tags=[tag], severity=2, finding_id=None,
                              author=email, now_ms=T0)
        finding = findings.create_finding({"title": f"{tag} finding", "description": tag, "severity": 2,
                                           "status": "open", "tags": [], "variant": None}, [note.id],
                                          author=email, now_ms=T0)
        member_id = user_by_email(email).id
        token_id = list_tokens(member_id)[0].id
        hook = webhooks.create_webhook(project.id, url=f"https://{tag}.test/hook", events=["finding.created"],
                                       secret=f"{tag}-secret", created_by=email, now_ms=T0)
        link = shares.create_share(session, from_ms=None, to_ms=None, expires_at=None, created_by=email, now_ms=T0)
        _add_signal(session, url)
        return World(project.id, session, note.id, finding.id, study_id, f"{tag}-exp", url, member_id, token_id,
                     hook.id, link.token, _rendered_clip(project.id, session, finding.id, tag),
                     _recording(project.id, session, tag))


def _recording(project_id: int, session: str, tag: str) -> str:
    """A one-chunk think-aloud recording, as the widget uploads one."""
    from server.storage.media import MediaUpload, store_media_chunk

    recording = f"{tag}-recording"
    store_media_chunk(current_runtime().blobs, project_id,
                      MediaUpload(session, recording, 0, "audio", "audio/webm", T0, f"{tag} voice".encode()), now_ms=T0)
    return recording


def _add_signal(session_id: str, url: str) -> None:
    """A rage click on #pay, as analysis stores one: an issue for the Issues view."""
    from server.storage.database import db
    from server.storage.models import Signal

    db.session.add(Signal(session_id=session_id, kind="rage_click", ts=T0 + 100, end_ts=T0 + 900, url=url, x=20, y=30,
                          target={"selector": "#pay", "tag": "button", "text": "Pay"}, count=3, details={}))
    db.session.commit()


def _rendered_clip(project_id: int, session: str, finding_id: int, tag: str) -> int:
    """A reel as the render job leaves it (its bytes in the blob store), without rendering."""
    clip = clips.create_clip(project_id, [clips.Segment(session, 0, 100, f"{tag} caption")], fmt="gif", fps=10,
                             created_by=f"{tag}-person@example.com", now_ms=T0, finding_id=finding_id)
    clips.claim_due_clips(now_ms=T0, lease_ms=1000, limit=10, max_attempts=2)
    key = clips.blob_key(clip.id, "gif")
    current_runtime().blobs.put(key, b"GIF89a" + tag.encode())
    clips.finish_clip(clip.id, key=key, size=6 + len(tag), width=480, height=320, now_ms=T0)
    return clip.id


def path_params(world: World) -> dict:
    return {"session_id": world.session, "annotation_id": world.note, "finding_id": world.finding,
            "study_id": world.study, "project_id": world.project, "name": world.experiment,
            "user_id": world.member_id, "token_id": world.token_id, "asset_hash": "0" * 64,
            "webhook_id": world.webhook, "token": world.share, "clip_id": world.clip, "recording_id": world.recording}


def query(world: World) -> str:
    """Query values every read route understands or ignores: the world's page and project."""
    return f"?url={world.url}&project={world.project}&x=20&y=30&kind=click&format=csv"


# Routes with no project data, or not reached by a reviewer (project key, sign-in).
NOT_PROJECT_DATA = {
    "static", "health.check_health", "openapi.describe_api", "ingest.ingest_batch", "ingest.ping_ingest",
    "ingest.preflight_ingest", "sdk_reads.decide_variants", "sdk_reads.list_study_tasks",
    "media_upload.upload_media", "media_upload.preflight_media",  # the project key's (tests/server/ingest/test_media.py)
    "auth.show_login", "auth.submit_login", "auth.use_login_link", "auth.logout", "auth.show_password",
    "auth.submit_password", "api.projects.describe_detector_settings", "api.assets.show_asset",
    "share.show_share", "share.list_events", "share.show_asset",  # a share token's, tests/server/share/
}

# Every write route: (role it needs in its project, body for a world, query string).
WRITES = {
    # first: analysing the session again replaces the signal the issue is made of
    "api.issues.create_finding_from_issue": ("member", lambda w: {"key": f"rage_click|{w.url[8:]}|#pay",
                                                                  "project": w.project, "days": 365}, ""),
    "api.sessions.analyze_now": ("member", lambda w: None, ""),
    "api.assets.cache_assets_now": ("member", lambda w: None, ""),
    "api.annotations.add_annotation": ("member", lambda w: {"ts": 10, "text": "pwned"}, ""),
    "api.annotations.edit_annotation": ("member", lambda w: {"text": "pwned"}, ""),
    "api.findings.create_finding": ("member", lambda w: {"title": "pwned", "project": w.project}, ""),
    "api.findings.edit_finding": ("member", lambda w: {"title": "pwned"}, ""),
    "api.studies.add_study": ("member", lambda w: {"name": f"pwned {w.project}", "product_url": "https://p.test/",
                                                    "project": w.project}, ""),
    "api.studies.add_task": ("member", lambda w: {"title": "pwned"}, ""),
    "api.studies.add_participant_route": ("member", lambda w: {"label": "pwned"}, ""),
    "api.experiments.add_experiment": ("member", lambda w: {"name": "pwned", "project": w.project, "variants": [
        {"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}, ""),
    "api.experiments.change_experiment": ("member", lambda w: {"status": "stopped"}, "?project={project}"),
    "api.projects.update_project": ("admin", lambda w: {"goal_urls": ["/pwned"]}, ""),
    "api.projects.put_member": ("admin", lambda w: {"email": "alpha-person@example.com", "role": "admin"}, ""),
    "api.projects.invite_member": ("admin", lambda w: {"email": f"invited-{w.project}@example.com", "role": "viewer"}, ""),
    "api.webhooks.create_webhook": ("admin", lambda w: {"url": "https://hooks.test/pwned"}, ""),
    "api.webhooks.delete_webhook": ("admin", lambda w: None, ""),
    "api.shares.create_share": ("member", lambda w: {"expires_in": 3600}, ""),
    "api.shares.revoke_share": ("member", lambda w: None, ""),
    "api.clips.create_session_clip": ("member", lambda w: {"from": 0, "to": "0.1s", "format": "gif"}, ""),
    "api.clips.create_highlight_reel": ("member", lambda w: {"format": "webm"}, ""),
    "api.annotations.delete_annotation": ("member", lambda w: None, ""),
    "api.findings.delete_finding": ("member", lambda w: None, ""),
    "api.projects.delete_member": ("admin", lambda w: None, ""),
    "api.studies.remove_study": ("admin", lambda w: None, ""),
    "api.sessions.remove_session": ("admin", lambda w: None, ""),  # last: the others need the session
}
# Writes on one's own tokens, the same for every role (tests/server/auth/test_tokens.py).
OWN_TOKEN_WRITES = {"api.tokens.add_token", "api.tokens.remove_token", "auth.add_token", "auth.revoke"}
# A reviewer's own saved views of the session list: no project data (tests/server/pages/test_triage.py).
OWN_WRITES = {"api.saved_views.add_view", "api.saved_views.remove_view"}


def rules(app, methods: set[str]):
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in NOT_PROJECT_DATA and rule.methods & methods:
            yield rule


def url_of(rule, world: World) -> str:
    params = path_params(world)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(params[m.group(1)]), rule.rule)


def write(app, client, endpoint: str, world: World, headers: dict):
    """The write route ``endpoint`` on ``world``'s objects, with its body from WRITES."""
    _, body, extra = WRITES[endpoint]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    method = sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})[0]
    return client.open(url_of(rule, world) + extra.format(project=world.project), method=method,
                       json=body(world), headers=headers)


def shows_nothing_of(response, other: World) -> bool:
    """No name, text or URL of the other project; no id of its session. What the
    request itself sent may be echoed (a filter form, "No session <id>.")."""
    body = response.get_data().decode("utf-8", "replace")  # the heatmap is a PNG
    asked = [*response.request.path.split("/"), *response.request.args.values()]
    for value in sorted(filter(None, asked), key=len, reverse=True):
        body = body.replace(value, "")
    return MARK not in body and other.session not in body and response.headers.get("X-Replaydesk-Sessions", "0") == "0"


@pytest.fixture
def worlds(app):
    """(mine, other): the reviewer alice@example.com is a member of the first only."""
    mine, other = build(app, "alpha"), build(app, MARK)
    add_member(app, "alice@example.com", make_ref(app, mine.project), "member")
    return mine, other


def make_ref(app, project_id: int):
    from tests.factories import ProjectRef

    with app.app_context():
        project = get_project(project_id)
        return ProjectRef(project.id, project.name, project.key)


def test_every_write_route_is_in_the_table(app):
    writes = {rule.endpoint for rule in rules(app, {"POST", "PUT", "PATCH", "DELETE"})}
    assert writes == set(WRITES) | OWN_TOKEN_WRITES | OWN_WRITES


@pytest.mark.parametrize("via", ["cookie", "token", "admin token scoped to the project"])
def test_reads_of_every_route_show_nothing_of_another_project(app, client, auth, worlds, via):
    mine, other = worlds
    if via == "cookie":
        auth.login("alice@example.com")
        headers = {}
    elif via == "token":
        headers = {"Authorization": f"Bearer {make_token(app, email='alice@example.com')}"}
    else:
        headers = {"Authorization": f"Bearer {make_token(app, email='root@example.com', project_ids=[mine.project])}"}
    walked = 0
    for rule in rules(app, {"GET"}):
        if rule.arguments:
            answer = client.get(url_of(rule, other) + query(other), headers=headers)
            assert answer.status_code in (400, 404), (rule.rule, answer.status_code)
            assert shows_nothing_of(answer, other), rule.rule
            own = client.get(url_of(rule, mine) + query(mine), headers=headers)
            assert own.status_code in (200, 403), (rule.rule, own.status_code)  # 403: members of its people
        else:
            answer = client.get(rule.rule + query(other), headers=headers)
            assert answer.status_code in (200, 400, 404), (rule.rule, answer.status_code)
            assert shows_nothing_of(answer, other), rule.rule
            plain = client.get(rule.rule, headers=headers)  # no filter at all
            assert plain.status_code in (200, 302, 400, 404) and shows_nothing_of(plain, other), rule.rule
        walked += 1
    assert walked >= 35
    listed = client.get("/api/v1/sessions", headers=headers).get_json()["sessions"]
    assert [row["id"] for row in listed] == [mine.session]  # the positive side: their own is there


def _unchanged(app, other: World) -> None:
    with app.app_context():
        assert other.session in sessions_by_id([other.session])
        assert notes.get_note(other.note).text == f"{MARK} note"
        assert findings.get_finding(other.finding).title == f"{MARK} finding"
        study = studies.get_study(other.study)
        assert (study.tasks, study.participants) == ([], [])
        assert experiments.get_experiment(other.experiment, other.project).status == "running"
        assert "goal_urls" not in (get_project(other.project).settings or {})
        assert [s.name for s in studies.list_studies() if s.project_id == other.project] == [f"{MARK} study"]
        assert [e.name for e in experiments.list_experiments(other.project)] == [other.experiment]
        assert len(notes.list_notes()) == 2 and len(findings.list_findings()) == 2
        assert list_tokens(other.member_id)
        assert [hook.id for hook in webhooks.list_webhooks(other.project)] == [other.webhook]
        assert shares.share_by_token(other.share).revoked_at is None
        assert [clip.id for clip in clips.clips_of_finding(other.finding)] == [other.clip]


def test_no_write_route_reaches_another_project(app, client, worlds):
    mine, other = worlds
    headers = {"Authorization": f"Bearer {make_token(app, email='alice@example.com')}"}
    for endpoint in WRITES:
        answer = write(app, client, endpoint, other, headers)
        assert answer.status_code in (400, 404), (endpoint, answer.status_code, answer.get_json())
        assert shows_nothing_of(answer, other), endpoint
    _unchanged(app, other)


@pytest.mark.parametrize("role", ["viewer", "member", "admin"])
def test_each_role_writes_what_it_may_in_its_own_project(app, client, role):
    mine = build(app, "alpha")
    add_member(app, "alice@example.com", make_ref(app, mine.project), role)
    headers = {"Authorization": f"Bearer {make_token(app, email='alice@example.com')}"}
    rank = {"viewer": 0, "member": 1, "admin": 2}
    for endpoint, (needed, _, _) in WRITES.items():
        answer = write(app, client, endpoint, mine, headers)
        expected = "allowed" if rank[role] >= rank[needed] else "forbidden"
        got = "allowed" if answer.status_code < 300 else ("forbidden" if answer.status_code == 403 else "error")
        assert got == expected, (endpoint, answer.status_code, answer.get_json())


def test_a_read_only_token_gets_403_on_every_write(app, client, worlds):
    mine, _ = worlds
    headers = {"Authorization": f"Bearer {make_token(app, email='alice@example.com', read_only=True)}"}
    for endpoint in WRITES:
        answer = write(app, client, endpoint, mine, headers)
        assert answer.status_code == 403, endpoint
    assert client.get(f"/api/v1/sessions/{mine.session}", headers=headers).status_code == 200


def test_live_room_refuses_sessions_of_other_projects(app, client, auth, worlds):
    mine, other = worlds
    auth.login("alice@example.com")
    sock = socketio.test_client(app, namespace="/live", flask_test_client=client)
    assert sock.emit("join", {"session_id": other.session}, namespace="/live", callback=True)["ok"] is False
    assert sock.emit("note", {"session_id": other.session, "text": "pwned"}, namespace="/live",
                     callback=True)["ok"] is False
    assert sock.emit("command", {"session_id": other.session, "command": {"type": "task"}}, namespace="/live",
                     callback=True)["ok"] is False
    assert sock.emit("join", {"session_id": mine.session}, namespace="/live", callback=True)["ok"] is True
    _unchanged(app, other)


def test_a_viewer_watches_live_but_cannot_note(app, client, auth):
    mine = build(app, "alpha")
    add_member(app, "vera@example.com", make_ref(app, mine.project), "viewer")
    auth.login("vera@example.com")
    sock = socketio.test_client(app, namespace="/live", flask_test_client=client)
    assert sock.emit("join", {"session_id": mine.session}, namespace="/live", callback=True)["ok"] is True
    assert sock.emit("note", {"session_id": mine.session, "text": "hi"}, namespace="/live", callback=True)["ok"] is False


def test_a_reviewer_of_no_project_sees_nothing(app, client, auth, worlds):
    from tests.factories import ensure_reviewer

    ensure_reviewer(app, "nobody@example.com", "correct horse", role="member")
    auth.login("nobody@example.com")
    assert client.get("/api/v1/projects").get_json() == {"projects": []}
    assert client.get("/api/v1/sessions").get_json()["sessions"] == []
    assert client.post("/api/v1/findings", json={"title": "x"},
                       headers={"X-CSRFToken": auth.csrf_token()}).status_code == 400  # no project to put it in
