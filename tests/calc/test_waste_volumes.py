"""``postmine calc waste-volumes`` against Table 4 of 003."""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine import calc
from postmine.calc.waste_volumes import abaza_example
from postmine.cli.main import app

runner = CliRunner()

MASS_TOL_KT = 0.05  # Table 4 prints masses to 0.1 thousand t
VOLUME_TOL_K = 0.05  # Table 4 prints volumes to 0.1 thousand m³

# Table 4 in 003 (thousand t, t/m³, thousand m³, factor, thousand m³ in the dump)
TABLE_4 = [
    ("Waste rock", 140.0, 2.85, 49.1, 1.08, 53.0),
    ("SMS tailings", 1000.0, 2.15, 465.1, 1.1, 422.8),
    ("Mine-water sludge", 7.1, 3.0, 2.4, 1.1, 2.2),
    ("Ash-slag", 33.9, 0.9, 37.7, 1.1, 34.3),
]
# Table 4 applies the factor to V rounded to 0.1; unrounded, by hand:
# 140 / 2.85 x 1.08 = 53.0526 and 33.9 / 0.9 / 1.1 = 34.2424 (printed 53.0 and 34.3)
UNROUNDED_DUMP_K = {"Waste rock": 53.0526, "Ash-slag": 34.2424}
HAND_TOL_K = 5e-5  # hand values to 4 decimals


def results():
    _, out = calc.get("waste-volumes").run(abaza_example())
    return {q.symbol: q for q in out}


@pytest.mark.parametrize(("stream", "mass_kt", "density", "volume_k", "k", "dump_k"), TABLE_4)
def test_table_4_rows(stream, mass_kt, density, volume_k, k, dump_k):
    r = results()
    assert_allclose(r[f"M[{stream}]"].value, mass_kt, atol=MASS_TOL_KT)
    assert_allclose(r[f"γ[{stream}]"].value, density, rtol=0)
    assert_allclose(r[f"V[{stream}]"].value, volume_k, atol=VOLUME_TOL_K)
    k_symbol = "k_ор" if stream == "Waste rock" else "k_у"
    assert_allclose(r[f"{k_symbol}[{stream}]"].value, k, rtol=0)
    dump = r[f"V_отв[{stream}]"]
    assert dump.unit == "thousand m³/year" and dump.equation == "003 Table 4"
    if stream in UNROUNDED_DUMP_K:
        assert_allclose(dump.value, UNROUNDED_DUMP_K[stream], atol=HAND_TOL_K)
        assert str(dump_k) in dump.note
    else:
        assert_allclose(dump.value, dump_k, atol=VOLUME_TOL_K)


def test_table_4_totals():
    r = results()
    assert_allclose(r["ΣM"].value, 1181.0, atol=MASS_TOL_KT)
    assert_allclose(r["ΣV"].value, 554.3, atol=VOLUME_TOL_K)
    assert_allclose(r["ΣV_отв"].value, 512.3, atol=VOLUME_TOL_K)


def test_cli_json():
    result = runner.invoke(app, ["calc", "waste-volumes", "--example", "abaza", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "waste-volumes"
    assert len(doc["inputs"]["streams"]) == 4
    values = {q["symbol"]: q["value"] for q in doc["results"]}
    assert values["ΣV_отв"] == pytest.approx(512.3, abs=VOLUME_TOL_K)


def _bad(tmp_path, change):
    inputs = abaza_example()
    change(inputs)
    path = tmp_path / "streams.json"
    path.write_text(json.dumps(inputs))
    return runner.invoke(app, ["calc", "waste-volumes", "--input", str(path)])


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d["streams"][0].update(bulk_density=-2.85), "bulk_density"),
        (lambda d: d["streams"][1].update(factor=0.9), "factor"),
        (lambda d: d["streams"][2].update(factor_kind="swelling"), "factor_kind"),
        (lambda d: d["streams"][3].update(name="Waste rock"), "distinct names, got Waste rock"),
        (lambda d: d.update(streams=[]), "streams"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, change, match):
    result = _bad(tmp_path, change)
    assert result.exit_code == 2
    assert match in result.stderr
    assert "Traceback" not in result.output
