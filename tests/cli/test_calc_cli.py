import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from postmine import calc
from postmine.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["calc", *args])


def test_list_shows_every_registered_method():
    result = run("--list")
    assert result.exit_code == 0
    for name in calc.registry():
        assert name in result.stdout


def test_slide_prism_json_shape():
    result = run("slide-prism", "--example", "abaza", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "slide-prism"
    assert doc["source"].startswith("003")
    assert set(doc["inputs"]) == {"repose_angle", "stability_angle", "tier_height"}
    (width,) = doc["results"]
    assert set(width) >= {"symbol", "name", "value", "unit", "equation"}
    assert width["symbol"] == "П" and width["unit"] == "m"
    assert width["value"] == pytest.approx(1.32, abs=0.005)


def test_table_output_is_readable():
    result = run("slide-prism", "--example", "abaza")
    assert result.exit_code == 0
    assert "width of the slide prism" in result.stdout


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("no-such-method", "--example", "abaza"), "method must be one of"),
        (("slide-prism", "--example", "nope"), "example must be one of: abaza"),
        (("slide-prism",), "give exactly one of"),
        (("slide-prism", "--variant", "1"), "has no variant table"),
    ],
)
def test_usage_errors_exit_2(args, match):
    result = run(*args)
    assert result.exit_code == 2
    assert match in result.stderr
    assert "Traceback" not in result.output


def test_input_file_errors(tmp_path):
    good = tmp_path / "prism.toml"
    good.write_text("repose_angle = 36.8\nstability_angle = 37.3\ntier_height = 55\n")
    assert run("slide-prism", "--input", str(good)).exit_code == 0

    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps({"repose_angle": 36.8, "stability_angle": 37.3}))
    result = run("slide-prism", "--input", str(missing))
    assert result.exit_code == 2
    assert "missing required field 'tier_height'" in result.stderr

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"repose_angle": 95, "stability_angle": 37.3, "tier_height": 5}))
    result = run("slide-prism", "--input", str(bad))
    assert result.exit_code == 2
    assert "repose_angle" in result.stderr and "95" in result.stderr

    crossed = tmp_path / "crossed.json"
    crossed.write_text(json.dumps({"repose_angle": 40, "stability_angle": 37, "tier_height": 5}))
    result = run("slide-prism", "--input", str(crossed))
    assert result.exit_code == 2
    assert "stability_angle must be >= repose_angle" in result.stderr

    result = run("slide-prism", "--input", str(tmp_path / "nowhere.toml"))
    assert result.exit_code == 2 and "cannot be read" in result.stderr


def test_console_script_runs_in_a_subprocess():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "postmine.cli.main",
            "calc",
            "slide-prism",
            "--example",
            "abaza",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["results"][0]["value"] == pytest.approx(1.32, abs=0.005)


def test_brackets_in_symbols_and_units_survive_the_table_view(tmp_path):
    # Rich markup must not swallow "[m]" in descriptions or "[rock]" in symbols
    result = run("slide-prism", "--example", "abaza")
    assert "[m]" in result.stdout
