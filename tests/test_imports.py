"""nevcalc's import graph, read from the source (AST): no circles, few lazy imports.

An import statement is *lazy* when it sits inside a function (it runs when the
function is called); every other import runs when its module is imported, except
those under ``if TYPE_CHECKING:``, which never run and are left out. A call
``importlib.import_module("a.b")`` (or ``f"a.{x}"``: every module under ``a``) counts
as an import too. Targets are resolved as import linters do: ``import a.b`` ->
``a.b``; ``from a import b`` -> ``a.b`` when that is a module, else ``a``; a
package's ``__init__`` is the module named after the package.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from nevcalc._lazy import LAZY_IMPORTS

ROOT = Path(__file__).resolve().parents[1] / "nevcalc"
PACKAGE = "nevcalc"


@dataclass(frozen=True)
class Import:
    importer: str  # module holding the statement
    target: str  # module imported (resolved)
    lazy: bool  # inside a function
    line: int


def module_names(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of the package."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _dynamic(node: ast.AST) -> str | None:
    """The module (or ``prefix.*``) that an ``importlib.import_module`` call names."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
        and node.args
    ):
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
        return arg.values[0].value.rstrip(".") + ".*"
    raise AssertionError(f"line {node.lineno}: import_module of a name not written out")


def _statements(tree: ast.AST):
    """(import node, lazy) for every import that can run, walking the tree once."""

    def walk(node, lazy):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.orelse:
                    yield from walk_one(sub, lazy)
                continue
            yield from walk_one(child, lazy)

    def walk_one(node, lazy):
        if isinstance(node, ast.Import | ast.ImportFrom) or _dynamic(node) is not None:
            yield node, lazy
            return
        inner = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from walk(node, inner)

    yield from walk(tree, False)


def imports(root: Path = ROOT) -> list[Import]:
    """Every import statement of the package, one :class:`Import` per imported name."""
    names = module_names(root)
    found = []
    for importer, path in names.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, lazy in _statements(tree):
            if isinstance(node, ast.Call):
                name = _dynamic(node)
                targets = (
                    [m for m in names if m.startswith(name[:-1])]
                    if name.endswith(".*")
                    else [name]
                )
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = importer.split(".")
                    if not is_package:
                        anchor = anchor[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base
                    for alias in node.names
                ]
            for target in targets:
                if target != "__future__":
                    found.append(Import(importer, target, lazy, node.lineno))
    return found


def graph(found: list[Import]) -> dict[str, set[str]]:
    """nevcalc module -> the nevcalc modules it imports, lazily or not."""
    edges: dict[str, set[str]] = {}
    for imp in found:
        if imp.target == PACKAGE or imp.target.startswith(PACKAGE + "."):
            if imp.target != imp.importer:
                edges.setdefault(imp.importer, set()).add(imp.target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One chain ``a -> b -> ... -> a`` per strongly connected component that has a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(edges):
        if v not in index:
            strongconnect(v)
    return [_chain(edges, component) for component in components]


def _chain(edges: dict[str, set[str]], component: set[str]) -> list[str]:
    """The shortest circle through the component's first module (breadth first)."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(edges.get(v, ()) & component):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    raise AssertionError("a strongly connected component has a circle")


def _within(name: str, scope: str) -> bool:
    return name == scope or name.startswith(scope + ".")


def _allowed_by(imp: Import) -> tuple[str, str] | None:
    for importer, target in LAZY_IMPORTS:
        by = (
            _within(imp.importer, importer[:-2])
            if importer.endswith(".*")
            else (imp.importer == importer)
        )
        if by and _within(imp.target, target):
            return importer, target
    return None


FOUND = imports()


def test_the_graph_sees_module_and_function_level_imports():
    edges = graph(FOUND)
    assert "nevcalc.errors" in edges["nevcalc.units"]  # module level
    assert "nevcalc.sweeps.engine" in edges["nevcalc"]  # inside nevcalc.sweep()
    assert "nevcalc.report.charge" in edges["nevcalc.report"]  # import_module(f"...{x}")
    lazy = {(i.importer, i.target) for i in FOUND if i.lazy}
    assert ("nevcalc.units", "pint") in lazy


def test_a_circle_through_imports_inside_functions_is_found(tmp_path):
    """The shape the graph must see: a circle closed by an import inside a function,
    through ``from package import module`` and a relative import; typing-only imports
    are left out."""
    pkg = tmp_path / "nevcalc"
    (pkg / "scenario").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "scenario" / "__init__.py").write_text("")
    (pkg / "scenario" / "charge.py").write_text("from . import road\n")
    (pkg / "scenario" / "road.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from nevcalc import units\n"
        "def f():\n    from nevcalc.scenario import charge\n"
    )
    (pkg / "units.py").write_text("from nevcalc.scenario.road import f\n")
    found = imports(pkg)
    assert {(i.importer, i.target, i.lazy) for i in found} == {
        ("nevcalc.scenario.charge", "nevcalc.scenario.road", False),
        ("nevcalc.scenario.road", "typing", False),
        ("nevcalc.scenario.road", "nevcalc.scenario.charge", True),
        ("nevcalc.units", "nevcalc.scenario.road", False),
    }
    assert cycles(graph(found)) == [
        ["nevcalc.scenario.charge", "nevcalc.scenario.road", "nevcalc.scenario.charge"]
    ]


def test_cycles_are_found_and_reported_as_a_chain():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(edges) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_nevcalc_modules_import_each_other_without_a_circle():
    """Counting imports inside functions too: a circle there is a circle in the design."""
    found = cycles(graph(FOUND))
    assert not found, "import circles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_function_level_imports_are_on_the_documented_list():
    stray = sorted(
        f"{i.importer}:{i.line} imports {i.target}"
        for i in FOUND
        if i.lazy and _allowed_by(i) is None
    )
    assert not stray, "move to module level, or list in nevcalc._lazy:\n" + "\n".join(stray)


def test_every_entry_of_the_list_is_still_needed_and_says_why():
    used = {_allowed_by(i) for i in FOUND if i.lazy}
    unused = sorted(set(LAZY_IMPORTS) - used)
    assert not unused, f"entries of nevcalc._lazy.LAZY_IMPORTS no import uses: {unused}"
    assert all(len(why.split()) >= 3 for why in LAZY_IMPORTS.values())


#: Not loaded by a start: numpy.ma (about 20 ms) comes with numpy.unique of a flat array,
#: which nevcalc.model.tables.distinct replaces; the web server's packages only by `serve`;
#: numba only by the first thermal sessions (nevcalc.model._kernel).
HEAVY = ("pint", "rich.table", "matplotlib", "pyarrow", "dask", "numpy.ma", "starlette",
         "uvicorn", "numba")  # fmt: skip
_CHECK = (
    "import sys\n{run}\n"
    "print('loaded:', *(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)\n"
)
_CHARGE = (
    "import runpy\n"
    "sys.argv = ['nevcalc', 'charge', 'byd-han-l', '--charger', 'byd-megawatt', '--json']\n"
    "try:\n    runpy.run_module('nevcalc.cli', run_name='__main__')\n"
    "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
)
#: ``python -m nevcalc charge ...``: the package's ``__main__`` starts as quickly.
_MODULE = _CHARGE.replace("run_module('nevcalc.cli'", "run_module('nevcalc'")


@pytest.mark.parametrize(
    "run",
    ["import nevcalc", _CHARGE, _MODULE],
    ids=["import", "charge-json", "python-m-charge-json"],
)
def test_a_start_imports_no_heavy_package(run, tmp_path):
    """``nevcalc charge --json`` with a warm spec cache loads neither pint nor rich's tables."""
    # this checkout's nevcalc, not the one an editable install elsewhere points to
    path = os.pathsep.join([str(ROOT.parent), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "NEVCALC_CACHE": str(tmp_path / "cache"), "PYTHONPATH": path}
    code = _CHECK.format(run=run, heavy=HEAVY)
    for _ in range(2):  # the first run fills the spec cache
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
    last = out.stderr.strip().splitlines()[-1]
    assert last == "loaded:", last


#: The layers that show answers to people (``nevcalc.__main__`` is ``python -m nevcalc``,
#: the command line). The package's root (``nevcalc/__init__``)
#: wires them to the layers below: it gives :mod:`nevcalc._show` the report layer's
#: renderings, as it gives :mod:`nevcalc.units` its exchange rates.
PRESENTATION = ("nevcalc.report", "nevcalc.cli", "nevcalc.web", "nevcalc.tables", "nevcalc.plot",
                "nevcalc.__main__")  # fmt: skip
#: What no module below the presentation layers imports.
TOP = ("nevcalc.report", "nevcalc.cli", "nevcalc.web")


def test_no_module_below_the_report_layer_imports_it_the_cli_or_the_web():
    """Counting imports inside functions and ``import_module`` calls: specs, cars, routes,
    cycles and answers show themselves in a shell or a notebook through
    :mod:`nevcalc._show`, which finds the rendering :mod:`nevcalc.report.notebook`
    registered for their class."""
    below = [
        m for m in module_names() if m != PACKAGE and not any(_within(m, p) for p in PRESENTATION)
    ]
    assert {"nevcalc.scenario.charge", "nevcalc.specs.model", "nevcalc.model.thermal",
            "nevcalc.brochure", "nevcalc.catalog", "nevcalc.sweeps.engine",
            "nevcalc.routes"} <= set(below)  # fmt: skip
    up = sorted(
        f"{i.importer}:{i.line} imports {i.target}"
        for i in FOUND
        if i.importer in below and any(_within(i.target, t) for t in TOP)
    )
    assert not up, "a lower layer imports a higher one:\n" + "\n".join(up)


def test_the_layer_check_sees_an_upward_import_inside_a_function(tmp_path):
    pkg = tmp_path / "nevcalc"
    (pkg / "report").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "report" / "__init__.py").write_text("")
    (pkg / "report" / "notebook.py").write_text("")
    (pkg / "routes.py").write_text("def f():\n    from nevcalc.report import notebook\n")
    found = imports(pkg)
    assert [(i.importer, i.target, i.lazy) for i in found] == [
        ("nevcalc.routes", "nevcalc.report.notebook", True)
    ]
