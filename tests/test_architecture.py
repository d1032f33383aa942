"""The floor plan of docs/architecture.md holds in the code (issue 17).

Imports are read from the source with :mod:`ast` -- imports inside functions (lazy imports)
count like any other -- and checked against the allowed directions between packages, for
cycles between packages and between the modules of one package, and for private names taken
from another package. The size rules are checked here too: no module above 1,000 lines and no
function above 80 lines of code unless a ``# long:`` comment directly above it says why.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "postmine"

# package -> the packages it may import (docs/architecture.md draws the same floors)
FLOORS: dict[str, set[str]] = {
    "core": set(),
    "data": {"core"},
    "db": {"core"},
    "methods": {"core", "data"},
    "geotech": {"core", "data", "methods"},
    "chains": {"core", "data", "methods", "geotech"},
    "calc": {"core", "data", "methods", "chains"},
    "project": {"core", "data", "methods", "geotech", "chains"},
    "registry": {"core", "data", "db", "methods", "chains"},
    "monitoring": {"core", "data", "db", "methods", "geotech", "registry"},
    "reports": {"core", "data", "chains", "project", "registry", "monitoring"},
    "workflows": {
        "core", "data", "db", "methods", "geotech", "chains", "project", "registry", "monitoring",
    },
    "api": {
        "core", "data", "db", "methods", "geotech", "chains", "calc", "project", "registry",
        "monitoring", "reports", "workflows",
    },
    "cli": {
        "core", "data", "db", "methods", "geotech", "chains", "calc", "project", "registry",
        "monitoring", "reports", "workflows", "api",
    },
}  # fmt: skip
ROOT_MODULES = {"postmine"}  # the package's __init__ (its version) may be read by every floor

MAX_MODULE_LINES = 1000
MAX_FUNCTION_CODE_LINES = 80
LONG_MARK = "# long:"


@dataclass(frozen=True)
class Import:
    """One imported name: where it is written and what it takes."""

    module: str  # the importing module, e.g. postmine.project.engine
    target: str  # the imported module, e.g. postmine.chains.machines
    name: str | None  # the name taken with ``from target import name``
    line: int
    lazy: bool

    def __str__(self) -> str:
        what = f"{self.target}.{self.name}" if self.name else self.target
        return f"{self.module}:{self.line} imports {what}{' (lazy)' if self.lazy else ''}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def imports_of(path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    lazy = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, None, node.lineno, id(node) in lazy)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                # ``from pkg import module`` imports the module pkg.module
                full = f"{target}.{alias.name}"
                if (SRC.parent / full.replace(".", "/")).with_suffix(".py").exists() or (
                    SRC.parent / full.replace(".", "/") / "__init__.py"
                ).exists():
                    yield Import(module, full, None, node.lineno, id(node) in lazy)
                else:
                    yield Import(module, target, alias.name, node.lineno, id(node) in lazy)


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def is_subpackage(name: str) -> bool:
    return (SRC / name / "__init__.py").exists()


ALL_IMPORTS = [
    imp for path in source_files() for imp in imports_of(path) if imp.target.startswith("postmine")
]


def test_every_package_is_on_a_floor():
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    assert packages <= set(FLOORS), f"packages on no floor: {sorted(packages - set(FLOORS))}"
    modules = {p.stem for p in SRC.glob("*.py")} - {"__init__"}
    assert not modules, f"modules outside every package: {sorted(modules)}"


def test_imports_run_down_the_floors_only():
    bad = []
    for imp in ALL_IMPORTS:
        source, target = package_of(imp.module), package_of(imp.target)
        if source == target or imp.target in ROOT_MODULES:
            continue
        if target not in FLOORS.get(source, set()):
            bad.append(str(imp))
    assert not bad, "imports against the floor plan:\n" + "\n".join(bad)


def test_the_floors_have_no_cycle():
    graph = defaultdict(set)
    for imp in ALL_IMPORTS:
        source, target = package_of(imp.module), package_of(imp.target)
        if source != target and imp.target not in ROOT_MODULES:
            graph[source].add(target)
    assert not find_cycles(graph), f"cycles between packages: {find_cycles(graph)}"


def test_no_package_takes_a_private_name_of_another():
    bad = []
    for imp in ALL_IMPORTS:
        if package_of(imp.module) == package_of(imp.target):
            continue
        parts = imp.target.split(".")[2:] + ([imp.name] if imp.name else [])
        if any(p.startswith("_") and not (p.startswith("__") and p.endswith("__")) for p in parts):
            bad.append(str(imp))
    assert not bad, "private names taken across packages:\n" + "\n".join(bad)


def test_modules_of_a_package_have_no_cycle():
    graph = defaultdict(set)
    for imp in ALL_IMPORTS:
        if package_of(imp.module) != package_of(imp.target) or imp.target == imp.module:
            continue
        # a package's __init__ re-exports its modules: imports of it are not edges back
        if is_subpackage(imp.target.replace("postmine.", "").replace(".", "/")):
            continue
        graph[imp.module].add(imp.target)
    cycles = find_cycles(graph)
    assert not cycles, "cycles between modules:\n" + "\n".join(" -> ".join(c) for c in cycles)


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one cycle per strongly connected component of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_find_cycles_finds_a_cycle_and_only_a_cycle():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}}) == []


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_is_at_most_1000_lines(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(SRC)}: {lines} lines"


def code_lines(source: str) -> set[int]:
    """Return the numbers of the lines that hold code (no docstring, comment or blank line)."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    skip = {
        tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
        tokenize.ENDMARKER,
    }  # fmt: skip
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip:
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines - docstrings


def long_functions(source: str) -> list[tuple[str, int, int]]:
    """Return (name, first line, code lines) of the functions above the limit and unmarked."""
    text = source.splitlines()
    code = code_lines(source)
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        n = sum(
            1 for line in range(node.lineno, (node.end_lineno or node.lineno) + 1) if line in code
        )
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        marked = first >= 2 and text[first - 2].strip().startswith(LONG_MARK)
        if n > MAX_FUNCTION_CODE_LINES and not marked:
            found.append((node.name, node.lineno, n))
    return found


def test_long_functions_are_found():
    body = "\n".join(f"    x{i} = {i}" for i in range(81))
    assert long_functions(f"def f():\n    '''Doc.'''\n{body}\n") == [("f", 1, 82)]
    assert long_functions(f"# long: a published table\ndef f():\n{body}\n") == []
    assert long_functions("def f():\n    '''Doc.\n\n    More.\n    '''\n    return 1\n") == []


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_functions_are_at_most_80_lines_of_code(path):
    found = long_functions(path.read_text(encoding="utf-8"))
    assert not found, "\n".join(
        f"{name} (line {line}): {n} lines of code" for name, line, n in found
    )
