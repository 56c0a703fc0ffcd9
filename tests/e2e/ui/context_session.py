"""A checkout session with the engineer's context: console output, requests (one failed
with 404, one that never got an answer, one slow) and custom events, built with
analysis.event_builders so it has the SDK's exact shapes. Shared by the browser test of
the player's Console, Network and Events panels and by anyone taking screenshots."""
from __future__ import annotations

import json
from pathlib import Path

from analysis.event_builders import (
    click_event, console_event, custom_event, element, network_event, network_request, page_load, text,
)
from tests.factories import T0

SITE = "http://shop.test"
SESSION_ID = "context-session-0001"
DURATION_MS = 40_000
SLOW_MS = 2400

STYLE = ("body{font:16px system-ui;margin:0;background:#fafafa;color:#222}header{background:#1f2a44;color:#fff;padding:14px 24px}"
         "main{padding:24px;max-width:640px}button{font:inherit;padding:10px 18px;border-radius:6px;border:1px solid #888;background:#fff}"
         "input{font:inherit;padding:8px;margin-right:8px}")

# Offsets (ms into the session) of what the tests look for.
COUPON_404_AT = 5_100
TYPE_ERROR_AT = 5_300
SHIPPING_SLOW_AT = 10_000
CHARGE_FAILED_AT = 20_000
CHECKOUT_STARTED_AT = 8_000
POLL_FROM_MS, POLLS = 22_000, 18  # "poll n" logs at 22 s, 23 s, … 39 s
CONSOLE_LINES = 5 + POLLS


def context_events() -> list[dict]:
    page = page_load(
        T0, f"{SITE}/checkout",
        element(10, "header", {}, text(11, "Shop · Checkout")),
        element(12, "main", {},
                element(13, "h1", {}, text(14, "Your cart")),
                element(15, "input", {"placeholder": "Coupon code"}),
                element(16, "button", {"id": "apply"}, text(17, "Apply coupon")),
                element(18, "button", {"id": "pay"}, text(19, "Pay now"))),
    )
    page[1]["data"]["node"]["childNodes"][0]["childNodes"][0]["childNodes"].append(
        element(20, "style", {}, {"type": 3, "id": 21, "textContent": STYLE, "isStyle": True}))
    at = lambda ms: T0 + ms  # noqa: E731 - reads best inline
    return [
        *page,
        network_event(at(400),
                      network_request(f"{SITE}/checkout", 200, T0 - 180, 170, initiator="navigation", transfer_bytes=18_400),
                      network_request(f"{SITE}/static/app.js", 200, at(40), 220, initiator="script", transfer_bytes=96_000),
                      network_request(f"{SITE}/api/cart", 200, at(200), 140, transfer_bytes=1_240)),
        console_event(at(1_500), "log", "cart ready", "3 items"),
        console_event(at(2_200), "info", "experiment checkout-redesign: B"),
        click_event(at(5_000), 16, 60, 150),
        network_event(at(5_220), network_request(f"{SITE}/api/coupon?code=***&page=2", 404, at(COUPON_404_AT), 120,
                                                 method="POST", transfer_bytes=310)),
        console_event(at(TYPE_ERROR_AT), "error", "TypeError: Cannot read properties of undefined (reading 'total')",
                      trace=["at applyCoupon (http://shop.test/static/app.js:120:17)", "at HTMLButtonElement.onclick (http://shop.test/checkout:1:1)"]),
        custom_event(at(6_000), "coupon_failed", {"code": "***", "reason": "not_found"}),
        custom_event(at(CHECKOUT_STARTED_AT), "checkout_started", {"cart_value": 42.5, "items": 3, "currency": "EUR"}),
        network_event(at(SHIPPING_SLOW_AT + SLOW_MS), network_request(f"{SITE}/api/shipping-rates?zip=***", 200, at(SHIPPING_SLOW_AT),
                                                                      SLOW_MS, transfer_bytes=2_048)),
        console_event(at(12_500), "warn", "Shipping rates took 2.4 s"),
        click_event(at(19_800), 18, 60, 200),
        network_event(at(CHARGE_FAILED_AT + 30), network_request("https://api.pay.test/v1/charge", None, at(CHARGE_FAILED_AT), None,
                                                                  method="POST", initiator="xhr", error="network error")),
        console_event(at(20_100), "error", "Payment failed: network error"),
        custom_event(at(21_000), "payment_failed", {"provider": "pay.test"}),
        # a chatty page: more lines than the console list shows at once, so it has to follow the replay
        *(console_event(at(POLL_FROM_MS + n * 1000), "log", f"poll {n}: cart unchanged") for n in range(POLLS)),
        click_event(at(DURATION_MS), 18, 60, 200),
    ]


def write_recording(directory: Path) -> Path:
    path = directory / "context-session.json"
    path.write_text(json.dumps({"session_id": SESSION_ID, "events": context_events()}))
    return path
