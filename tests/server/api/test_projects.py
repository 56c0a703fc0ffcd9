"""Projects on the review API: list, show, settings changes."""
from __future__ import annotations

from tests.factories import make_project


def test_projects_are_listed_oldest_first_with_their_detector_settings(client, app, bearer):
    first, second = make_project(app, "first"), make_project(app, "second")
    projects = client.get("/api/v1/projects", headers=bearer).get_json()["projects"]
    assert [(p["id"], p["name"], p["key"]) for p in projects] == [(first.id, "first", first.key),
                                                                  (second.id, "second", second.key)]
    assert projects[0]["detectors"]["rage_min_clicks"] > 0


def test_an_unknown_project_is_404(client, bearer):
    for response in (client.get("/api/v1/projects/999", headers=bearer),
                     client.patch("/api/v1/projects/999", json={"goal_urls": ["*/done"]}, headers=bearer)):
        assert response.status_code == 404 and response.get_json()["message"] == "No project 999."


def test_goal_urls_change_and_become_the_detectors_goal_pages(client, app, bearer):
    project = make_project(app, goal_urls=["*/thanks"])
    response = client.patch(f"/api/v1/projects/{project.id}", json={"goal_urls": ["*/done"]}, headers=bearer)
    assert response.status_code == 200
    shown = client.get(f"/api/v1/projects/{project.id}", headers=bearer).get_json()
    assert shown["settings"] == {"goal_urls": ["*/done"]} and shown["detectors"]["goal_url_patterns"] == ["*/done"]
