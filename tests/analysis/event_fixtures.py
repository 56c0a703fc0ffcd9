"""The hand-built event streams in ``tests/fixtures/events/``, and how to read them.

Each fixture is named for one behaviour and built here from
:mod:`analysis.event_builders`, so a reader sees the story, not a wall of JSON. The JSON
files are the artefacts tests load; ``test_event_fixtures.py`` fails when they drift
from these builders. Regenerate them with::

    .venv/bin/python -m tests.analysis.event_fixtures

Every stream starts at :data:`T0`; tests compare signals relative to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from analysis.event_builders import (
    added,
    click_event,
    element,
    error_event,
    input_event,
    mouse_event,
    move_event,
    mutation_event,
    page_load,
    pageview_event,
    removed,
    scroll_event,
    selection_event,
    task_event,
    text,
)
from analysis.rrweb import MouseInteraction
from analysis.signals import Signal

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "events"
T0 = 1_795_000_000_000
SITE = "http://shop.test"
CSS = (
    ".toast{position:fixed;bottom:24px} .sr-only{position:absolute;width:1px;height:1px;overflow:hidden}"
    " .selected{background:#2f5d50} .btn{padding:12px}"
)
Stream = list[dict[str, object]]
BUILDERS: dict[str, tuple[str, Callable[[], Stream]]] = {}


def fixture(description: str) -> Callable[[Callable[[], Stream]], Callable[[], Stream]]:
    """Register a builder under its function name, with a one-line description."""

    def register(build: Callable[[], Stream]) -> Callable[[], Stream]:
        BUILDERS[build.__name__] = (description, build)
        return build

    return register


def shop_page(at: int, path: str, *content: dict[str, object]) -> Stream:
    """A full page load of the test shop: stylesheet, promo strip (an ``<a>`` with no href), content."""
    stylesheet = element(5, "link", {"rel": "stylesheet", "_cssText": CSS})
    promo = element(6, "a", {"id": "promo", "class": "promo-strip"}, text(7, "Spring sale"))
    events = page_load(T0 + at, SITE + path, promo, *content)
    events[1]["data"]["node"]["childNodes"][0]["childNodes"][0]["childNodes"].append(stylesheet)  # type: ignore[index]
    return events


def click(at: int, node_id: int, x: float, y: float) -> dict[str, object]:
    return click_event(T0 + at, node_id, x, y)


# --- rage clicks -------------------------------------------------------------------


@fixture("four fast clicks on a disabled Pay button that never reacts")
def rage_on_disabled_button() -> Stream:
    pay = element(20, "button", {"id": "pay", "class": "btn", "disabled": ""}, text(21, "Pay"))
    clicks = [click(3000 + i * 250, 21, 600 + i, 400 - i) for i in range(4)]
    return shop_page(0, "/checkout", pay) + clicks + [scroll_event(T0 + 9000, 300)]


@fixture("a quantity stepper: five fast clicks, the counter changes after each")
def stepper_fast_clicks_not_rage() -> Stream:
    stepper = element(20, "div", {"class": "stepper"}, element(21, "output", {"id": "qty"}, text(22, "1")),
                      element(23, "button", {"class": "step-up"}, text(24, "+")))
    events = shop_page(0, "/product", stepper)
    for i in range(5):
        old, new = (22 if i == 0 else 200 + i - 1), 200 + i  # the counter's text node is replaced
        events.append(click(3000 + i * 300, 23, 700, 300))
        events.append(mutation_event(T0 + 3002 + i * 300, adds=[added(21, text(new, str(i + 2)))],
                                     removes=[removed(21, old)]))
    return events


@fixture("rage on a dead button whose handler only touches invisible nodes (script, hidden span, data-*)")
def rage_with_invisible_mutations() -> Stream:
    hidden = element(22, "span", {"id": "clicks", "hidden": ""}, text(23, "0"))
    button = element(20, "button", {"id": "apply", "class": "btn"}, text(21, "Apply"))
    events = shop_page(0, "/cart", button, hidden)
    events += [click(3000, 20, 500, 450),
               mutation_event(T0 + 3003, adds=[added(3, element(30, "script", {"src": "/beacon.js"}))])]
    events += [click(3300, 20, 503, 452), mutation_event(T0 + 3302, texts=[{"id": 23, "value": "2"}])]
    events += [click(3600, 20, 498, 449),
               mutation_event(T0 + 3601, attributes=[{"id": 20, "attributes": {"data-clicks": "3"}}])]
    return events + [scroll_event(T0 + 8000, 200)]


@fixture("a double-click selects a word: two clicks, a dblclick and a selection")
def double_click_selects_word_not_rage() -> Stream:
    paragraph = element(20, "p", {"class": "description"}, text(21, "Made in small batches"))
    return shop_page(0, "/product", paragraph) + [
        click(3000, 20, 400, 500),
        selection_event(T0 + 3100, 21, 5, 10),
        click(3160, 20, 400, 500),
        mouse_event(T0 + 3161, MouseInteraction.DBL_CLICK, 20, 400, 500),
        scroll_event(T0 + 6000, 100),
    ]


@fixture("three clicks a second apart but 50 px from each other on a plain div")
def clicks_beyond_radius_not_rage() -> Stream:
    gallery = element(20, "div", {"class": "gallery"}, text(21, "S"))
    clicks = [click(3000 + i * 400, 20, 300 + i * 50, 300) for i in range(3)]
    return shop_page(0, "/product", gallery) + clicks + [scroll_event(T0 + 7000, 100)]


@fixture("Apply coupon clicked three times; the page answers only 3 s later")
def rage_then_late_answer() -> Stream:
    apply = element(20, "button", {"id": "apply", "class": "btn"}, text(21, "Apply"))
    message = element(22, "p", {"id": "coupon-msg"})
    clicks = [click(3000 + i * 280, 20, 1136 + i * 3, 439 - i * 2) for i in range(3)]
    answer = mutation_event(T0 + 6500, adds=[added(22, text(30, "SPRING10 applied"))])
    return shop_page(0, "/cart", apply, message) + clicks + [answer]


@fixture("a carousel's next arrow, three fast clicks, each scrolls the track")
def carousel_clicks_scroll_not_rage() -> Stream:
    track = element(20, "div", {"id": "track", "class": "track"})
    arrow = element(21, "button", {"class": "next", "aria-label": "Next"})
    events = shop_page(0, "/", track, arrow)
    for i in range(3):
        events += [click(3000 + i * 350, 21, 900, 200), scroll_event(T0 + 3040 + i * 350, 0, 20, (i + 1) * 300)]
    return events


@fixture("Enter pressed three times in a form: keyboard clicks at (0, 0), each shows a validation message")
def keyboard_clicks_not_rage() -> Stream:
    form = element(20, "form", {"id": "signup"}, element(21, "input", {"id": "email", "type": "email"}),
                   element(22, "button", {"type": "submit"}, text(23, "Sign up")),
                   element(24, "p", {"class": "error-text"}, text(25, "")))
    events = shop_page(0, "/signup", form)
    for i in range(3):
        message = {"id": 25, "value": f"Enter a valid email ({i + 1})"}
        events += [click(3000 + i * 300, 22, 0, 0), mutation_event(T0 + 3003 + i * 300, texts=[message])]
    return events


@fixture("a triple-click in a text field selects its content: feedback rrweb does not record")
def triple_click_in_text_field_not_rage() -> Stream:
    field = element(20, "input", {"id": "email", "type": "email", "value": "*****"})
    clicks = [click(3000 + i * 120, 20, 420, 310) for i in range(3)]
    return shop_page(0, "/account", field) + clicks + [scroll_event(T0 + 7000, 100)]


@fixture("a seat map of visually hidden radios restyled via :checked: label clicks toggle them, no DOM change")
def seat_map_hidden_radios_not_rage() -> Stream:
    seats = [element(20 + i * 3, "label", {"class": "seat"},
                     element(21 + i * 3, "input", {"type": "radio", "name": "seat", "class": "sr-only"}),
                     text(22 + i * 3, f"A{i + 1}")) for i in range(3)]
    events = shop_page(0, "/seats", *seats)
    for i in range(3):  # a label click, the browser's click on its radio, then the change
        events += [click(3000 + i * 300, 20 + i * 3, 300 + i * 10, 500), click(3001 + i * 300, 21 + i * 3, 300 + i * 10, 500),
                   input_event(T0 + 3002 + i * 300, 21 + i * 3, "on", is_checked=True)]
    return events + [scroll_event(T0 + 8000, 100)]


@fixture("a dead button whose script only writes a hidden input's value (rrweb records it as input)")
def script_sets_hidden_input_is_rage() -> Stream:
    button = element(20, "button", {"id": "load-more"}, text(21, "Load more"))
    counter = element(22, "input", {"type": "hidden", "name": "page"})
    events = shop_page(0, "/", button, counter)
    for i in range(3):
        change = input_event(T0 + 3002 + i * 300, 22, str(i + 2))
        change["data"]["userTriggered"] = False  # type: ignore[index]
        events += [click(3000 + i * 300, 20, 640, 900), change]
    return events + [scroll_event(T0 + 8000, 100)]


# --- dead clicks -------------------------------------------------------------------


@fixture("a promo strip that is an <a> without href: clicked once, nothing for 4 s")
def dead_click_on_promo_link() -> Stream:
    return shop_page(0, "/") + [click(2000, 7, 400, 12), scroll_event(T0 + 6000, 400)]


@fixture("a click into a text field; the Input event only arrives at blur, 4 s later")
def click_into_text_field_not_dead() -> Stream:
    field = element(20, "input", {"id": "coupon", "type": "text", "value": "****"})
    button = element(21, "button", {"id": "apply"}, text(22, "Apply"))
    return shop_page(0, "/cart", field, button) + [
        click(2000, 20, 300, 400),
        mouse_event(T0 + 6000, MouseInteraction.MOUSE_DOWN, 21, 500, 400),
        input_event(T0 + 6001, 20, "********"),
        click(6090, 21, 500, 400),
        mutation_event(T0 + 6095, adds=[added(4, element(30, "div", {"class": "toast"}, text(31, "Applied")))]),
    ]


@fixture("a click on the label of a text field, then typing")
def label_for_text_field_not_dead() -> Stream:
    label = element(20, "label", {"for": "email"}, text(21, "Email"))
    field = element(22, "input", {"id": "email", "type": "email"})
    return shop_page(0, "/signup", label, field) + [click(2000, 21, 100, 300), scroll_event(T0 + 7000, 100)]


@fixture("a click on a product image (a plain div), nothing happens")
def plain_div_click_not_dead() -> Stream:
    gallery = element(20, "div", {"class": "gallery"}, text(21, "S"))
    return shop_page(0, "/product", gallery) + [click(2000, 20, 500, 400), scroll_event(T0 + 7000, 100)]


@fixture("Place order after typing: the last field's Input arrives at mouse-down, then nothing")
def field_change_before_click_is_not_its_effect() -> Stream:
    form = element(20, "form", {"id": "checkout"}, element(21, "input", {"id": "cvc"}),
                   element(22, "button", {"id": "place-order", "class": "btn"}, text(23, "Place order")))
    return shop_page(0, "/checkout", form) + [
        click(2000, 21, 300, 600),
        mouse_event(T0 + 5000, MouseInteraction.MOUSE_DOWN, 22, 550, 350),
        input_event(T0 + 5001, 21, "***"),
        mutation_event(T0 + 5002, attributes=[{"id": 21, "attributes": {"class": "valid"}}]),
        click(5060, 22, 550, 350),
        scroll_event(T0 + 9000, 200),
    ]


@fixture("a click whose only effect is an invisible <title> change: still not dead (SPEC: no mutation at all)")
def invisible_mutation_still_not_dead() -> Stream:
    button = element(20, "button", {"id": "refresh"}, text(21, "Refresh"))
    stream = page_load(T0, SITE + "/account", button)
    stream[1]["data"]["node"]["childNodes"][0]["childNodes"][0]["childNodes"].append(  # type: ignore[index]
        element(8, "title", {}, text(9, "Account")))
    return stream + [click(2000, 20, 100, 100), mutation_event(T0 + 3000, texts=[{"id": 9, "value": "Account (1)"}]),
                     scroll_event(T0 + 8000, 100)]


@fixture("a click on a dead link 1 s before the recording stops: cannot tell, not reported")
def click_near_session_end_not_dead() -> Stream:
    return shop_page(0, "/") + [click(2000, 7, 400, 12), move_event(T0 + 3000, [(410, 20, 0)])]


@fixture("a link that opens a new tab: nothing happens on this page, by design")
def link_to_new_tab_not_dead() -> Stream:
    link = element(20, "a", {"href": "https://partner.test/", "target": "_blank"}, text(21, "Our partner"))
    return shop_page(0, "/", link) + [click(2000, 21, 300, 700), scroll_event(T0 + 7000, 100)]


@fixture("a click on the icon <span> inside a dead button: reported on the button")
def dead_click_inside_button() -> Stream:
    button = element(20, "button", {"class": "wish", "type": "button"},
                     element(21, "span", {"class": "icon"}, text(22, "♡")), text(23, "Save"))
    return shop_page(0, "/product", button) + [click(2000, 21, 640, 380), scroll_event(T0 + 6000, 250)]


@fixture("a click on a [role=tab] followed by a selection change only")
def selection_change_not_dead() -> Stream:
    tab = element(20, "div", {"role": "tab", "id": "tab-reviews"}, text(21, "Reviews"))
    return shop_page(0, "/product", tab) + [click(2000, 20, 300, 640), selection_event(T0 + 2100, 21, 0, 7),
                                            scroll_event(T0 + 7000, 100)]


# --- error clicks ------------------------------------------------------------------


@fixture("Save to wishlist shows Saving..., then throws a ReferenceError")
def error_click_on_wishlist() -> Stream:
    wish = element(20, "button", {"id": "wish"}, text(21, "Save to wishlist"))
    return shop_page(0, "/product", wish) + [
        click(2000, 20, 640, 380),
        mutation_event(T0 + 2003, texts=[{"id": 21, "value": "Saving..."}]),
        error_event(T0 + 2004, "Uncaught ReferenceError: wishlist is not defined"),
    ]


@fixture("a widget throws 2 s after load, with no click in the second before")
def error_without_click_not_error_click() -> Stream:
    return shop_page(0, "/help") + [click(400, 7, 300, 10), error_event(T0 + 2000, "TypeError: x is undefined"),
                                    scroll_event(T0 + 2100, 100)]


# --- page visits -------------------------------------------------------------------


@fixture("home -> product -> back home after 3 s: a quick back")
def quick_back_after_three_seconds() -> Stream:
    card = element(20, "a", {"href": SITE + "/product"}, text(21, "Lamp"))
    return shop_page(0, "/", card) + [click(2000, 21, 300, 400)] + shop_page(2100, "/product") + shop_page(5200, "/")


@fixture("home -> product, read for 12 s, back home: not a quick back")
def slow_back_not_quick() -> Stream:
    return shop_page(0, "/") + shop_page(2000, "/product") + shop_page(14000, "/") + [scroll_event(T0 + 15000, 50)]


@fixture("SPA tabs: /account -> /account/orders -> /account within 2.5 s, by $pageview only")
def spa_quick_back() -> Stream:
    return shop_page(0, "/account") + [
        pageview_event(T0 + 3000, SITE + "/account/orders"),
        pageview_event(T0 + 5500, SITE + "/account"),
        scroll_event(T0 + 9000, 10),
    ]


@fixture("jumping to #reviews stays on the page; the full URL has a fragment")
def fragment_navigation_same_page() -> Stream:
    return shop_page(0, "/product") + [pageview_event(T0 + 2000, SITE + "/product#reviews"),
                                       pageview_event(T0 + 4000, SITE + "/product"),
                                       scroll_event(T0 + 5000, 10)]


# --- dead ends ---------------------------------------------------------------------


@fixture("help page: a dead click on the promo strip, then the session ends")
def dead_end_at_session_end() -> Stream:
    return shop_page(0, "/") + shop_page(2000, "/help") + [click(5000, 7, 300, 10), scroll_event(T0 + 9000, 10)]


@fixture("product page: an error click, then back to the earlier home page 9 s after arriving")
def dead_end_back_to_earlier_url() -> Stream:
    wish = element(20, "button", {"id": "wish"}, text(21, "Save"))
    saving = mutation_event(T0 + 4001, texts=[{"id": 21, "value": "Saving..."}])
    return (shop_page(0, "/") + shop_page(2000, "/product", wish)
            + [click(4000, 20, 600, 380), saving, error_event(T0 + 4002, "ReferenceError")] + shop_page(11000, "/"))


@fixture("cart page: a dead click, then on to checkout: forward navigation, not a dead end")
def forward_navigation_not_dead_end() -> Stream:
    return shop_page(0, "/cart") + [click(2000, 7, 300, 10)] + shop_page(6000, "/checkout") + [
        scroll_event(T0 + 9000, 10)]


@fixture("thanks page (a goal): a dead click on the promo strip, then the session ends")
def goal_page_not_dead_end() -> Stream:
    return shop_page(0, "/checkout") + shop_page(3000, "/thanks.html?order=7") + [click(5000, 7, 300, 10),
                                                                                   scroll_event(T0 + 9000, 10)]


@fixture("a page where the study task completes, then a dead click and the session ends")
def task_complete_not_dead_end() -> Stream:
    return shop_page(0, "/returns") + [task_event(T0 + 1000, "find-return-policy", "complete"),
                                       click(3000, 7, 300, 10), scroll_event(T0 + 8000, 10)]


# --- bonus signals -----------------------------------------------------------------


@fixture("the cursor shaken left and right for a second")
def thrashed_cursor_shake() -> Stream:
    shake = [(500 + (300 if i % 2 else 0), 400 + (i % 3) * 5, -1200 + i * 100) for i in range(13)]
    return shop_page(0, "/checkout") + [move_event(T0 + 4000, shake), move_event(T0 + 6000, [(700, 420, 0)])]


@fixture("scrolling up and down a long page, hunting for something")
def excessive_scroll_hunting() -> Stream:
    positions = [0, 2400, 300, 2800, 200, 3000, 100, 2600]
    return shop_page(0, "/help") + [scroll_event(T0 + 2000 + i * 900, y) for i, y in enumerate(positions)]


@fixture("reading a long page top to bottom: not excessive")
def steady_scroll_not_excessive() -> Stream:
    return shop_page(0, "/help") + [scroll_event(T0 + 2000 + i * 900, i * 600) for i in range(12)]


@fixture("checkout form: three fields filled, then the person leaves without pressing Place order")
def form_abandon_checkout() -> Stream:
    form = element(20, "form", {"id": "checkout"}, *(element(21 + i, "input", {"type": "text"}) for i in range(3)),
                   element(25, "button", {"id": "place-order"}, text(26, "Place order")))
    fills = [input_event(T0 + 3000 + i * 2000, 21 + i) for i in range(3)]
    return shop_page(0, "/checkout", form) + fills + shop_page(12000, "/")


@fixture("checkout form filled and submitted")
def form_submitted_not_abandoned() -> Stream:
    form = element(20, "form", {"id": "checkout"}, *(element(21 + i, "input", {"type": "text"}) for i in range(3)),
                   element(25, "button", {"id": "place-order"}, text(26, "Place order")))
    fills = [input_event(T0 + 3000 + i * 2000, 21 + i) for i in range(3)]
    return shop_page(0, "/checkout", form) + fills + [click(7100, 26, 500, 700)] + shop_page(7300, "/thanks.html")


# --- files ---------------------------------------------------------------------------


def render(name: str) -> str:
    """The JSON text of one fixture: description, then one event per line (diffable)."""
    description, build = BUILDERS[name]
    lines = ",\n".join("    " + json.dumps(event, ensure_ascii=False) for event in build())
    return f'{{\n  "description": {json.dumps(description)},\n  "events": [\n{lines}\n  ]\n}}\n'


def load_events(name: str) -> Stream:
    """The events of ``tests/fixtures/events/<name>.json``."""
    return json.loads((FIXTURE_DIR / f"{name}.json").read_text())["events"]  # type: ignore[no-any-return]


def relative(signals: list[Signal], t0: int = T0) -> list[tuple[object, ...]]:
    """Signals as ``(kind, ts - t0, target selector or URL path, count)``: easy to tabulate."""
    return [
        (signal.kind, signal.ts - t0, signal.target.selector or (signal.url or "").removeprefix(SITE), signal.count)
        for signal in signals
    ]


def write_all() -> None:
    FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    for name in BUILDERS:
        (FIXTURE_DIR / f"{name}.json").write_text(render(name))


if __name__ == "__main__":
    write_all()
