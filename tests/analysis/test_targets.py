"""What a click landed on: selector, tag, text, interactive, text entry."""

from __future__ import annotations

import pytest

from analysis.dom import DomMirror
from analysis.event_builders import document, element, text
from analysis.targets import describe_click_target


def page() -> DomMirror:
    mirror = DomMirror()
    mirror.load_snapshot(document(
        element(10, "a", {"id": "promo", "class": "promo-strip"}, text(11, "Spring sale")),
        element(12, "div", {"class": "stepper"},
                element(13, "button", {"class": "step-down", "aria-label": "Decrease"}, text(14, "-")),
                element(15, "button", {"class": "step-up"}, element(16, "span", {}, text(17, "+")))),
        element(18, "div", {"class": "gallery"}, text(19, "S")),
        element(20, "form", {},
                element(21, "label", {"for": "email"}, text(22, "Email")),
                element(23, "input", {"id": "email", "type": "email", "placeholder": "you@example.com"}),
                element(24, "label", {}, element(25, "input", {"type": "checkbox"}), text(26, "Keep me posted")),
                element(27, "select", {"name": "country"}, element(28, "option", {}, text(29, "NL"))),
                element(30, "input", {"type": "submit", "value": "Sign up"})),
        element(31, "div", {"contenteditable": "true"}, element(32, "p", {}, text(33, "Notes"))),
        element(34, "div", {"role": "tab"}, text(35, "Reviews")),
        element(36, "span", {"onclick": "go()"}, text(37, "More")),
        element(38, "a", {"href": "/guide.pdf", "download": ""}, text(39, "Guide")),
        element(40, "ul", {}, *(element(41 + i, "li", {"class": "item"}, text(50 + i, f"Item {i}")) for i in range(3))),
    ))
    return mirror


TARGETS = [
    # node id: (selector, tag, text, interactive, text entry, opens elsewhere, button)
    (10, ("#promo", "a", "Spring sale", True, False, False, False)),
    # the span inside a button describes the button; its class is unique
    (16, ("button.step-up", "button", "+", True, False, False, True)),
    (13, ("button.step-down", "button", "-", True, False, False, True)),
    # a plain div
    (18, ("div.gallery", "div", "S", False, False, False, False)),
    # a label for a text field is a text-entry target
    (21, ("label:nth-of-type(1)", "label", "Email", True, True, False, False)),
    (23, ("#email", "input", "you@example.com", True, True, False, False)),
    # a label wrapping a checkbox is not; the checkbox is told apart by its label
    (26, ("label:nth-of-type(2)", "label", "Keep me posted", True, False, False, False)),
    (25, ("label > input", "input", None, True, False, False, False)),
    (28, ("select", "select", "NL", True, True, False, False)),
    # look-alikes elsewhere: the parent, then the position, tell it apart
    (30, ("form > input:nth-of-type(2)", "input", "Sign up", True, False, False, True)),
    # contenteditable makes its descendants text-entry targets
    (32, ("p", "p", "Notes", False, True, False, False)),
    (34, ("div:nth-of-type(4)", "div", "Reviews", True, False, False, False)),
    (36, ("body > span", "span", "More", True, False, False, False)),
    (39, ("a:nth-of-type(2)", "a", "Guide", True, False, True, False)),
    (42, ("li.item:nth-of-type(2)", "li", "Item 1", False, False, False, False)),
]


@pytest.mark.parametrize(("node_id", "expected"), TARGETS)
def test_describe_click_target(node_id, expected):
    target = describe_click_target(page(), node_id)
    actual = (target.selector, target.tag, target.text, target.is_interactive, target.is_text_entry,
              target.opens_elsewhere, target.is_button)
    assert actual == expected


def test_unknown_node_is_an_unknown_target():
    target = describe_click_target(page(), 999)
    assert target.selector is None and not target.is_interactive
