"""Write the golden outputs of the restructuring (issue 17): ``python tests/golden/generate.py``.

Every file under ``tests/golden/outputs/`` is what a command printed before the floor plan was
rebuilt; ``tests/test_golden.py`` runs the same commands and compares byte for byte (JSON
re-serialised with sorted keys, so only numbers, texts and structure count). Regenerate only
when a change of behaviour is intended, and say which in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUTS = HERE / "outputs"
sys.path.insert(0, str(HERE))

from cases import all_cases  # noqa: E402


def main() -> None:
    OUTPUTS.mkdir(exist_ok=True)
    for name, run in all_cases():
        (OUTPUTS / f"{name}.json").write_text(
            json.dumps(run(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        )
        print(name)


if __name__ == "__main__":
    main()
