import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_glossary_is_current():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "glossary.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr


def test_project_file_reference_is_current():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "project_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr


def test_registry_schema_reference_is_current():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "registry_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
