"""The restructuring of issue 17 changed no result: every golden output is reproduced.

``tests/golden/outputs/`` holds what ``postmine plan --json`` (both examples), ``postmine calc
--json`` (every method, every worked example and every variant row, refusals included) and
``postmine registry stats --json`` (002's statistics) printed before the floor plan was rebuilt.
The same commands run here and must give the same JSON, number for number.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))

from cases import all_cases  # noqa: E402

CASES = dict(all_cases())


def test_every_golden_file_has_its_case():
    files = {p.stem for p in (GOLDEN / "outputs").glob("*.json")}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_unchanged(name):
    expected = json.loads((GOLDEN / "outputs" / f"{name}.json").read_text())
    got = json.loads(json.dumps(CASES[name](), sort_keys=True, ensure_ascii=False))
    assert got == expected
