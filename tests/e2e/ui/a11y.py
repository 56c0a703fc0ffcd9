"""axe-core (pinned in review_ui/package.json, loaded from node_modules: no CDN) run in a
page, and the page-width check of a phone screen."""
from __future__ import annotations

from tests.conftest import REPO

AXE_SOURCE = REPO / "review_ui" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# The replay frame holds the recorded site's markup, not ours; axe does not enter frames.
AXE_OPTIONS = {"iframes": False, "resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def axe_violations(page, *, impacts=BLOCKING) -> list[dict]:
    """Violations of the given impacts on the page as it is now: ``[{id, impact, help, nodes}]``.
    The script goes in through the DevTools protocol, so the page's CSP stays as it is."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [" ".join(node["target"]) if isinstance(node["target"], list) else node["target"] for node in v["nodes"]][:6]}
            for v in result["violations"] if v["impact"] in impacts]


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
