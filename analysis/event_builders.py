"""Build small rrweb event streams by hand, for doctests, tests and fixtures.

Each function returns plain JSON-ready dicts exactly as rrweb 2 and the Replaydesk SDK
emit them, so hand-built streams go through the same parser as recorded ones.
:func:`document` gives the page the ids 1 (document), 2 (``<html>``), 3 (``<head>``)
and 4 (``<body>``); give your own nodes ids from 10 up.

>>> stream = page_load(1000, "http://shop.test/", element(10, "button", {"id": "buy"}, text(11, "Buy")))
>>> stream.append(click_event(2000, 10, 40, 50))
>>> [event["type"] for event in stream]
[4, 2, 5, 3]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analysis.rrweb import EventType, IncrementalSource, MouseInteraction, NodeType

Json = dict[str, object]


def document(*body_children: Json, head_children: Iterable[Json] = ()) -> Json:
    """A serialized document whose ``<body>`` (id 4) holds ``body_children``.

    >>> [child["tagName"] for child in document()["childNodes"][0]["childNodes"]]
    ['head', 'body']
    """
    head = element(3, "head", {}, *head_children)
    body = element(4, "body", {}, *body_children)
    html = element(2, "html", {"lang": "en"}, head, body)
    return {"type": NodeType.DOCUMENT.value, "id": 1, "childNodes": [html]}


def element(node_id: int, tag: str, attributes: Mapping[str, object] | None = None, *children: Json) -> Json:
    """A serialized element.

    >>> element(10, "a", {"href": "/"}, text(11, "Home"))["childNodes"][0]["textContent"]
    'Home'
    """
    return {
        "type": NodeType.ELEMENT.value,
        "id": node_id,
        "tagName": tag,
        "attributes": dict(attributes or {}),
        "childNodes": list(children),
    }


def text(node_id: int, content: str) -> Json:
    """A serialized text node.

    >>> text(11, "Home")
    {'type': 3, 'id': 11, 'textContent': 'Home'}
    """
    return {"type": NodeType.TEXT.value, "id": node_id, "textContent": content}


def meta_event(ts: int, href: str, width: int = 1280, height: int = 800) -> Json:
    """rrweb's Meta (type 4) at the start of every page load.

    >>> meta_event(5, "http://x/")["data"]["href"]
    'http://x/'
    """
    return {"type": EventType.META.value, "timestamp": ts, "data": {"href": href, "width": width, "height": height}}


def snapshot_event(ts: int, root: Json) -> Json:
    """A full snapshot (type 2) of ``root`` (usually :func:`document`).

    >>> snapshot_event(5, document())["type"]
    2
    """
    return {"type": EventType.FULL_SNAPSHOT.value, "timestamp": ts, "data": {"node": root, "initialOffset": {"top": 0, "left": 0}}}


def custom_event(ts: int, tag: str, payload: Mapping[str, object]) -> Json:
    """A custom event (type 5) as ``rrweb.record.addCustomEvent`` emits it.

    >>> custom_event(5, "signup", {"plan": "pro"})["data"]
    {'tag': 'signup', 'payload': {'plan': 'pro'}}
    """
    return {"type": EventType.CUSTOM.value, "timestamp": ts, "data": {"tag": tag, "payload": dict(payload)}}


def pageview_event(ts: int, url: str, title: str = "") -> Json:
    """The SDK's ``$pageview`` (loads and SPA navigations).

    >>> pageview_event(5, "http://x/a")["data"]["payload"]["url"]
    'http://x/a'
    """
    return custom_event(ts, "$pageview", {"url": url, "referrer": "", "title": title})


def error_event(ts: int, message: str = "Uncaught TypeError: x is undefined") -> Json:
    """The SDK's ``$error``.

    >>> error_event(5, "boom")["data"]["payload"]["message"]
    'boom'
    """
    return custom_event(ts, "$error", {"message": message, "kind": "error"})


def task_event(ts: int, task_id: str, status: str) -> Json:
    """The SDK's ``$task`` (status: start, complete, give_up, fail or abandon).

    >>> task_event(5, "purchase", "complete")["data"]["payload"]
    {'task_id': 'purchase', 'status': 'complete'}
    """
    return custom_event(ts, "$task", {"task_id": task_id, "status": status})


def answer_event(ts: int, question: str, value: object, task_id: str | None = None) -> Json:
    """The study widget's ``$answer`` (``seq`` with its task, ``sus_1`` … ``sus_10``, ``comment``).

    >>> answer_event(5, "seq", 6, "purchase")["data"]["payload"]
    {'question': 'seq', 'value': 6, 'task_id': 'purchase'}
    """
    payload = {"question": question, "value": value}
    return custom_event(ts, "$answer", payload if task_id is None else {**payload, "task_id": task_id})


def page_load(ts: int, url: str, *body_children: Json) -> list[Json]:
    """Meta, full snapshot and ``$pageview`` of a freshly loaded page, as the SDK sends them.

    >>> [event["timestamp"] for event in page_load(1000, "http://x/")]
    [1000, 1020, 1025]
    """
    return [meta_event(ts, url), snapshot_event(ts + 20, document(*body_children)), pageview_event(ts + 25, url)]


def nested_buttons(buttons: int, depth: int, first_id: int = 101) -> tuple[list[Json], list[int]]:
    """``buttons`` buttons, each inside ``depth`` divs, for a page's body; and the
    buttons' ids. Every click on one walks the DOM up and across its rivals: the shape
    of the crafted sessions :mod:`analysis.limits` bounds.

    >>> children, ids = nested_buttons(2, 1)
    >>> [child["tagName"] for child in children], ids
    (['div', 'div'], [101, 103])
    """
    children, ids, node_id = [], [], first_id
    for _ in range(buttons):
        node = element(node_id, "button", {"class": "more"})
        ids.append(node_id)
        for _ in range(depth):
            node_id += 1
            node = element(node_id, "div", {"class": "c"}, node)
        children.append(node)
        node_id += 1
    return children, ids


def incremental_event(ts: int, source: IncrementalSource, **data: object) -> Json:
    """An incremental snapshot (type 3) from ``source`` with ``data``.

    >>> incremental_event(5, IncrementalSource.SCROLL, id=1, x=0, y=9)["data"]
    {'source': 3, 'id': 1, 'x': 0, 'y': 9}
    """
    return {"type": EventType.INCREMENTAL_SNAPSHOT.value, "timestamp": ts, "data": {"source": source.value, **data}}


def mouse_event(ts: int, interaction: MouseInteraction, node_id: int, x: float = 0, y: float = 0) -> Json:
    """A mouse interaction (source 2); focus and blur carry no position.

    >>> mouse_event(5, MouseInteraction.FOCUS, 10)["data"]
    {'source': 2, 'type': 5, 'id': 10}
    """
    data: dict[str, object] = {"type": interaction.value, "id": node_id}
    if interaction not in (MouseInteraction.FOCUS, MouseInteraction.BLUR):
        data.update(x=x, y=y)
    if interaction == MouseInteraction.CLICK:
        data["pointerType"] = 0
    return incremental_event(ts, IncrementalSource.MOUSE_INTERACTION, **data)


def click_event(ts: int, node_id: int, x: float, y: float) -> Json:
    """An rrweb Click (source 2, type 2); (0, 0) is what a keyboard-triggered click looks like.

    >>> click_event(5, 10, 40, 50)["data"]
    {'source': 2, 'type': 2, 'id': 10, 'x': 40, 'y': 50, 'pointerType': 0}
    """
    return mouse_event(ts, MouseInteraction.CLICK, node_id, x, y)


def mutation_event(
    ts: int,
    adds: Iterable[Json] = (),
    removes: Iterable[Json] = (),
    texts: Iterable[Json] = (),
    attributes: Iterable[Json] = (),
) -> Json:
    """A mutation batch (source 0); see :func:`added` and :func:`removed` for entries.

    >>> mutation_event(5, texts=[{"id": 11, "value": "2"}])["data"]["texts"]
    [{'id': 11, 'value': '2'}]
    """
    return incremental_event(
        ts,
        IncrementalSource.MUTATION,
        adds=list(adds),
        removes=list(removes),
        texts=list(texts),
        attributes=list(attributes),
    )


def added(parent_id: int, node: Json, next_id: int | None = None) -> Json:
    """One entry of a mutation's ``adds``.

    >>> added(4, text(30, "Hi"))["parentId"]
    4
    """
    return {"parentId": parent_id, "nextId": next_id, "node": node}


def removed(parent_id: int, node_id: int) -> Json:
    """One entry of a mutation's ``removes``.

    >>> removed(4, 30)
    {'parentId': 4, 'id': 30}
    """
    return {"parentId": parent_id, "id": node_id}


def scroll_event(ts: int, y: float, node_id: int = 1, x: float = 0) -> Json:
    """A scroll (source 3) of the document (id 1) or of element ``node_id``.

    >>> scroll_event(5, 300)["data"]["y"]
    300
    """
    return incremental_event(ts, IncrementalSource.SCROLL, id=node_id, x=x, y=y)


def input_event(ts: int, node_id: int, value: str = "*****", is_checked: bool = False) -> Json:
    """An input (source 5): a field's value changed; masked, as the SDK records by default.

    >>> input_event(5, 21)["data"]["text"]
    '*****'
    """
    return incremental_event(ts, IncrementalSource.INPUT, text=value, isChecked=is_checked, id=node_id)


def selection_event(ts: int, node_id: int, start: int, end: int) -> Json:
    """A selection change (source 14) within text node ``node_id``.

    >>> selection_event(5, 11, 0, 4)["data"]["ranges"][0]["endOffset"]
    4
    """
    ranges = [{"start": node_id, "startOffset": start, "end": node_id, "endOffset": end}]
    return incremental_event(ts, IncrementalSource.SELECTION, ranges=ranges)


def move_event(ts: int, points: Iterable[tuple[float, float, int]]) -> Json:
    """Mouse-move samples given as ``(x, y, time offset ms)``; offsets are <= 0 in rrweb.

    >>> move_event(5, [(10, 20, -50)])["data"]["positions"]
    [{'x': 10, 'y': 20, 'id': 4, 'timeOffset': -50}]
    """
    positions = [{"x": x, "y": y, "id": 4, "timeOffset": offset} for x, y, offset in points]
    return incremental_event(ts, IncrementalSource.MOUSE_MOVE, positions=positions)


def console_event(ts: int, level: str, *args: str, trace: Iterable[str] = ()) -> Json:
    """A console call (plugin ``rrweb/console@1``) as the SDK records it.

    >>> console_event(5, "error", "Failed to load", "cart")["data"]["payload"]
    {'level': 'error', 'payload': ['Failed to load', 'cart'], 'trace': []}
    """
    payload = {"level": level, "payload": list(args), "trace": list(trace)}
    return {"type": EventType.PLUGIN.value, "timestamp": ts, "data": {"plugin": "rrweb/console@1", "payload": payload}}


def network_request(url: str, status: int | None, start_ms: int, duration_ms: int | None = 50, *,
                    method: str = "GET", initiator: str = "fetch", **extra: object) -> Json:
    """One entry of a network event; ``status`` None means no response (give ``error=``).

    >>> network_request("http://x/api", None, 100, error="network error")["error"]
    'network error'
    """
    return {"url": url, "method": method, "status": status, "initiator": initiator, "start_ms": start_ms,
            "duration_ms": duration_ms, "transfer_bytes": None, **extra}


def network_event(ts: int, *requests: Json) -> Json:
    """Requests that ended (plugin ``rrweb/network@1``); see :func:`network_request`.

    >>> network_event(500, network_request("http://x/a", 404, 450))["data"]["payload"]["requests"][0]["status"]
    404
    """
    return {"type": EventType.PLUGIN.value, "timestamp": ts,
            "data": {"plugin": "rrweb/network@1", "payload": {"requests": list(requests)}}}
