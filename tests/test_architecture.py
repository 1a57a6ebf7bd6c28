"""The shape of the code: no import cycle in parstat/, no reaching into another module's privates.

Every module of ``parstat/`` is parsed with Python's own :mod:`ast`. The graph has an edge
A → B for each *top-level* import in A of module B (statements at module level, including those
inside ``if``/``try`` blocks there, and excluding ``if TYPE_CHECKING:`` blocks, which never run).
Imports inside functions are excluded: they run only when the function is called, after every
module has loaded, so they cannot make an import fail; they are how a lazy dependency is
spelled. The ``_private`` check covers every import, top-level or not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "parstat"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")
            if "migrations" not in path.parts}


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            pending.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend(node.body + node.orelse + node.finalbody
                           + [s for handler in node.handlers for s in handler.body])


def imported(module: str, path: Path, node: ast.Import | ast.ImportFrom,
             modules: dict[str, Path]) -> Iterator[tuple[str, str | None]]:
    """(the parstat module imported, the name taken from it or None) for one import statement."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in modules:
                yield alias.name, None
        return
    source = _absolute(module, node, path.name == "__init__.py")
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        if submodule in modules:
            yield submodule, None
        elif source in modules:
            yield source, alias.name


def import_graph() -> tuple[dict[str, set[str]], list[str]]:
    """module → the parstat modules it imports at top level; and every private-name import."""
    modules = all_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    private: list[str] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        top = set(map(id, top_level_imports(tree)))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target, name in imported(module, path, node, modules):
                if id(node) in top and target != module:
                    graph[module].add(target)
                if name and name.startswith("_") and not name.startswith("__") \
                        and target != module:
                    private.append(f"{module} imports {target}.{name}")
    return graph, private


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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


def test_it_finds_a_cycle_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_it_reads_relative_and_package_imports() -> None:
    modules = {"parstat.x": PACKAGE / "x.py", "parstat.x.y": PACKAGE / "x" / "y.py",
               "parstat.z": PACKAGE / "z.py"}
    node = ast.parse("from .y import _hidden, shown").body[0]
    assert isinstance(node, ast.ImportFrom)
    found = list(imported("parstat.x", PACKAGE / "x" / "__init__.py", node, modules))
    assert found == [("parstat.x.y", "_hidden"), ("parstat.x.y", "shown")]
    node = ast.parse("from parstat import z").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert list(imported("parstat.x", PACKAGE / "x.py", node, modules)) == [("parstat.z", None)]


def test_it_has_no_import_cycle() -> None:
    graph, _private = import_graph()
    assert len(graph) > 100  # every module was read
    assert cycles(graph) == []


def test_it_imports_no_private_name_of_another_module() -> None:
    _graph, private = import_graph()
    assert private == []
