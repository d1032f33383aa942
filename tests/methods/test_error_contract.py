"""Every public function of postmine.methods with parameters has a test of its ValueError.

A test counts when it contains ``pytest.raises(ValueError, ...)`` and names the function
(directly, or in a module-level list it parametrizes over).
"""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import postmine.methods as methods_pkg

TESTS = Path(__file__).resolve().parents[1]


def _public_functions() -> dict[str, str]:
    found = {}
    for info in pkgutil.iter_modules(methods_pkg.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"postmine.methods.{info.name}")
        for name, obj in vars(mod).items():
            if (
                inspect.isfunction(obj)
                and not name.startswith("_")
                and obj.__module__ == mod.__name__
                and inspect.signature(obj).parameters
            ):
                found[name] = info.name
    return found


def _names(node: ast.AST) -> set[str]:
    out = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            out.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            out.add(sub.attr)
    return out


def _raises_value_error(node: ast.AST) -> bool:
    return any(
        isinstance(s, ast.Call)
        and getattr(s.func, "attr", "") == "raises"
        and s.args
        and getattr(s.args[0], "id", "") == "ValueError"
        for s in ast.walk(node)
    )


def _names_tested_for_value_error() -> set[str]:
    covered: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            node.targets[0].id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and _raises_value_error(node):
                names = _names(node)
                for name in list(names):
                    if name in constants:
                        names |= _names(constants[name])
                covered |= names
    return covered


def test_every_public_function_has_a_value_error_test():
    functions = _public_functions()
    covered = _names_tested_for_value_error()
    missing = sorted(f"{mod}.{name}" for name, mod in functions.items() if name not in covered)
    assert not missing, f"no pytest.raises(ValueError) test names: {missing}"
