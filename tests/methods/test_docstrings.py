"""Every public function of postmine.methods documents units, source and errors."""

import importlib
import inspect
import pkgutil
import re

import pytest

import postmine.methods as methods_pkg

MODULES = [
    importlib.import_module(f"postmine.methods.{m.name}")
    for m in pkgutil.iter_modules(methods_pkg.__path__)
    if not m.name.startswith("_")
]

FUNCTIONS = [
    (mod.__name__, name, obj)
    for mod in MODULES
    for name, obj in vars(mod).items()
    if inspect.isfunction(obj) and not name.startswith("_") and obj.__module__ == mod.__name__
]


def _section(doc: str, title: str) -> str:
    m = re.search(rf"^\s*{title}\n\s*-+\n(.*?)(?=^\s*\w[\w ]*\n\s*-+\n|\Z)", doc, re.M | re.S)
    return m.group(1) if m else ""


def test_there_are_methods():
    assert len(FUNCTIONS) > 10


@pytest.mark.parametrize(("module", "name", "func"), FUNCTIONS, ids=lambda x: str(x)[:40])
def test_docstring_has_units_source_and_errors(module, name, func):
    doc = inspect.getdoc(func) or ""
    assert doc, f"{module}.{name} has no docstring"
    params = _section(doc, "Parameters")
    sig = inspect.signature(func)
    if sig.parameters:
        assert params, f"{module}.{name}: no Parameters section"
        # each parameter's description ends with its unit in brackets, e.g. [m] or [-]
        blocks = re.split(r"^(?=\w[\w, ]* :)", params, flags=re.M)
        for block in filter(str.strip, blocks):
            head = block.splitlines()[0]
            kind = head.split(":", 1)[1] if ":" in head else ""
            if "{" in kind or re.search(r"\b(str|bool|callable|[A-Z][a-z]+[A-Z]\w*)\b", kind):
                continue  # a choice, a flag or a domain object (units on its fields) has no unit
            assert re.search(r"\[[^\]]*\]\s*$", block.strip()), (
                f"{module}.{name}: parameter {head!r} does not end with a [unit]"
            )
    assert _section(doc, "Returns"), f"{module}.{name}: no Returns section"
    assert re.search(r"\[00[34]\]", doc), f"{module}.{name}: no [003]/[004] source reference"
    if sig.parameters:
        assert _section(doc, "Raises"), f"{module}.{name}: no Raises section"
