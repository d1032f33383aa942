"""``postmine slope verify`` and docs/slope-verification.md, which is written from its output."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from postmine.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _doc_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "slope_verification_doc", ROOT / "scripts" / "slope_verification_doc.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_verification_doc_is_what_verify_prints() -> None:
    result = runner.invoke(app, ["slope", "verify", "--json", "--progress"])
    assert result.exit_code in (0, 1), result.output  # 1: a factor differs (the doc shows it)
    data = json.loads(result.stdout)
    assert data["failed"] == sum(not c["passed"] for c in data["checks"])
    problems = data["problems"]
    assert len(problems) == len(
        list((ROOT / "src/postmine/data/geotech/verification").glob("*.toml"))
    )
    assert sum(len(p["checks"]) for p in problems) == len(data["checks"])
    assert f"verification problems: {len(problems)} of {len(problems)}" in result.stderr
    expected = _doc_script().render(data)
    current = (ROOT / "docs" / "slope-verification.md").read_text(encoding="utf-8")
    assert current == expected, (
        "docs/slope-verification.md differs from `postmine slope verify --json`: "
        "run python scripts/slope_verification_doc.py"
    )


def test_render_marks_a_factor_that_differs() -> None:
    check = {"method": "bishop", "published": 1.0, "computed": 1.1, "difference": 0.1,
             "tolerance": 0.015, "passed": False}  # fmt: skip
    problem = {"problem": "p", "title": "A slope", "kind": "given circle", "n_slices": 50,
               "minimised_method": "bishop", "published_reference": 1.05, "source": "A paper.",
               "checks": [check]}  # fmt: skip
    text = _doc_script().render({"checks": [check], "failed": 1, "problems": [problem]})
    assert (
        "| A slope | given circle | Bishop | 1.000 | 1.1000 | +10.00 % | 1.5 % | **differs** |"
        in text
    )
    assert "0 of 1 published factors of 1 problems reproduced" in text
    assert "A slope: 1.05" in text and "- **A slope** (`p.toml`): A paper." in text
