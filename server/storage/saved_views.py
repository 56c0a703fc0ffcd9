"""Saved views: a reviewer's named session-list filters. A view keeps the list's query
string as it is; the list reads it with the same parser as any other address, so a
view means exactly what its link means."""
from __future__ import annotations

from sqlalchemy import select

from server.storage.errors import ConflictError, InvalidInput, NotFoundError
from server.storage.models import SavedView
from server.storage.unit_of_work import reading, unit_of_work

MAX_VIEWS = 100  # per reviewer: a list of views, not a database of them
MAX_NAME = 200
MAX_QUERY = 4096  # as long as a query value may be (server/web/params.py)


def list_views(user_id: int) -> list[SavedView]:
    """The reviewer's views, by name."""
    return list(reading().execute(
        select(SavedView).where(SavedView.user_id == user_id).order_by(SavedView.name, SavedView.id)).scalars())


def save_view(user_id: int, *, name: str, query: str, now_ms: int) -> SavedView:
    """A new view, or the reviewer's view of that name with the new filters.

    :raise InvalidInput: for an empty or too long name or query, or one view too many.
    :commits: the view.
    """
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"A view needs a name of 1 to {MAX_NAME} characters.")
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"A view's filters are at most {MAX_QUERY} characters.")
    with unit_of_work() as db:
        view = db.execute(select(SavedView).where(SavedView.user_id == user_id, SavedView.name == name)).scalar_one_or_none()
        if view is None:
            count = len(db.execute(select(SavedView.id).where(SavedView.user_id == user_id)).all())
            if count >= MAX_VIEWS:
                raise ConflictError(f"You have {MAX_VIEWS} saved views; delete one first.")
            view = SavedView(user_id=user_id, name=name, query=query, created_at=now_ms)
            db.add(view)
        else:
            view.query = query
    return view


def delete_view(user_id: int, view_id: int) -> None:
    """:raise NotFoundError: when the reviewer has no view with this id.
    :commits: the removal."""
    with unit_of_work() as db:
        view = db.get(SavedView, view_id)
        if view is None or view.user_id != user_id:
            raise NotFoundError(f"No saved view {view_id}.")
        db.delete(view)
