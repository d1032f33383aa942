"""``postmine serve`` without the server extra: a one-line refusal naming it (issue 16)."""

import subprocess
import sys

WITHOUT_FASTAPI = r"""
import builtins
import sys

real = builtins.__import__


def without_fastapi(name, *args, **kwargs):
    if name == "fastapi" or name.startswith("fastapi."):
        raise ImportError("No module named 'fastapi'")
    return real(name, *args, **kwargs)


builtins.__import__ = without_fastapi
sys.argv = ["postmine", "serve"]
from postmine.cli.main import main

main()
"""


def test_serve_without_the_server_extra_names_it():
    r = subprocess.run(
        [sys.executable, "-c", WITHOUT_FASTAPI], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2
    assert "pip install 'postmine[server]'" in r.stderr
    assert "Traceback" not in r.stderr
