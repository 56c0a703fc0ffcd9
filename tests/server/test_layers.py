"""The architecture, checked: storage alone talks SQL and commits, no module imports a
layer above its own, and no two modules import each other (directly or in a ring).

Layers, lowest first (a module may import its own layer and those below):
  0 ``analysis``          rrweb events in, signals and reports out
  1 ``server.config``     settings from the environment
  2 ``server.storage``    models, queries, blobs, the unit of work, domain errors
  3 ``server.runtime``    the per-app objects (settings, blobs, clock, job runner)
  4 services            jobs, assets, reports, review, heatmap, webhooks, clips, the outbound fetch policy
  5 web plumbing        errors, web helpers, extensions, auth, static files, snippet, live fan-out
  6 web                 one blueprint package per concern (api, pages, ingest, live, health, share)
  7 entry points        the app factory, the OpenAPI description of all routes, the CLI
Web packages do not import one another: what two of them share lives in layer 5.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

LAYERS = {
    "analysis": 0,
    "server.config": 1,
    "server.storage": 2,
    "server.runtime": 3,
    **dict.fromkeys(("server.jobs", "server.assets", "server.reports", "server.review", "server.heatmap",
                     "server.webhooks", "server.outbound", "server.clips"), 4),
    **dict.fromkeys(("server.errors", "server.web", "server.extensions", "server.auth", "server.static",
                     "server.snippet", "server.live.rooms", "server.live.flagging"), 5),
    **dict.fromkeys(("server.api", "server.pages", "server.ingest", "server.live", "server.health", "server.share"), 6),
    **dict.fromkeys(("server", "server.openapi", "server.cli"), 7),
}
WEB_LAYER = 6
SQL_PACKAGES = ("sqlalchemy", "flask_sqlalchemy", "alembic")
STORAGE_INTERNALS = ("server.storage.database", "server.storage.unit_of_work", "server.storage.models")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """The longest key of LAYERS that ``module`` is, or is inside."""
    candidates = [key for key in LAYERS if module == key or module.startswith(key + ".")]
    return max(candidates, key=len)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of the file (function bodies too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def our_modules() -> dict[str, Path]:
    files = [*REPO.joinpath("server").rglob("*.py"), *REPO.joinpath("analysis").rglob("*.py")]
    return {module_name(path): path for path in files if "migrations" not in path.parts}


MODULES = our_modules()


def resolve(name: str) -> str | None:
    """The module of ours that an imported name refers to (``pkg.mod.func`` → ``pkg.mod``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def test_only_storage_imports_sqlalchemy_or_the_models():
    offenders = {
        module: sorted(name for name in imports_of(path)
                       if name.split(".")[0] in SQL_PACKAGES or name.startswith(STORAGE_INTERNALS))
        for module, path in MODULES.items() if not module.startswith("server.storage")
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_only_storage_commits():
    offenders = [module for module, path in MODULES.items()
                 if not module.startswith("server.storage") and ".commit()" in path.read_text()]
    assert offenders == []


def test_no_module_imports_a_layer_above_its_own():
    offenders = []
    for module, path in MODULES.items():
        own = package_of(module)
        for imported in filter(None, map(resolve, imports_of(path))):
            other = package_of(imported)
            above = LAYERS[other] > LAYERS[own]
            across_web = LAYERS[own] == LAYERS[other] == WEB_LAYER and other != own
            if above or across_web:
                offenders.append(f"{module} -> {imported}")
    assert sorted(set(offenders)) == []


def test_no_import_cycles():
    graph = {module: {m for m in map(resolve, imports_of(path)) if m and m != module}
             for module, path in MODULES.items()}
    graph = {module: {m for m in targets if not module.startswith(m + ".")}  # a package's own __init__
             for module, targets in graph.items()}
    cycles = _cycles(graph)
    assert cycles == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("module", ["server.storage.models", "server.ingest.routes"])
def test_the_layer_map_knows_every_module(module):
    assert module in MODULES and package_of(module) in LAYERS
