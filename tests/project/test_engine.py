"""The project engine's dispatch and the description of a run (project_meta)."""

import hashlib
import json
import tomllib
from pathlib import Path

import pytest

import postmine
from postmine.project.backfill import design_backfill
from postmine.project.dump_design import design_dump
from postmine.project.dump_stability import check_dump_stability
from postmine.project.engine import design, project_hash, project_meta
from postmine.project.model import DesignPart
from postmine.project.rules import load_rule_set
from postmine.project.schema import parse_project, read_project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "abaza" / "project.toml"

# An external dump of a small coal pit (figures of the kind 004 PR1 gives), for the dispatch.
DUMP = {
    "pit_bottom_length_m": 1200.0,
    "pit_bottom_width_m": 400.0,
    "pit_depth_m": 120.0,
    "pit_slope_angle_deg": 35.0,
    "coal_bearing_ratio": 0.1,
    "overburden_loosening_factor": 1.2,
    "dump_height_m": 60.0,
    "topsoil_thickness_m": 0.5,
    "topsoil_stack_height_m": 10.0,
    "sanitary_zone_width_m": 500.0,
    "mining_years": 20,
}


def project_dict():
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def dump_project():
    data = project_dict()
    del data["void"], data["waste_streams"]
    data["dump"] = dict(DUMP)
    return parse_project(data)


def test_a_void_goes_to_the_backfill_design():
    project = read_project(EXAMPLE)
    rules = load_rule_set(project.rules.set)
    part = design(project, rules)
    assert isinstance(part, DesignPart)
    assert part.tables == design_backfill(project, rules).tables
    assert "time-limit-exceeded" in [f.code for f in part.findings]


def test_a_dump_goes_to_the_dump_design_and_its_stability_check():
    project = dump_project()
    rules = load_rule_set("ru-781-2025")
    designed = design_dump(project, rules)
    findings, tables = check_dump_stability(project, rules)
    part = design(project, rules)
    assert [t.key for t in part.tables] == [t.key for t in [*designed.tables, *tables]]
    assert part.findings == [*designed.findings, *findings]
    assert {f.code for f in findings} >= {"dump-stability-working"}
    assert (part.work, part.materials, part.activity_years) == (
        designed.work,
        designed.materials,
        designed.activity_years,
    )


def test_a_project_without_a_design_branch_is_refused():
    project = read_project(EXAMPLE).model_copy(update={"void": None})
    with pytest.raises(ValueError, match=r"needs a \[void\] \(backfill\) or a \[dump\]"):
        design(project, load_rule_set("ru-800-2018"))


def test_project_meta():
    project = read_project(EXAMPLE)
    meta = project_meta(project, "examples/abaza/project.toml")
    assert meta["postmine_version"] == postmine.__version__
    assert meta["format_version"] == 1
    assert meta["project_file"] == "examples/abaza/project.toml"
    assert meta["name"].startswith("Abaza mine")
    assert meta["operator"] == "ООО «Абаканский рудник»"
    assert meta["rule_set_id"] == "ru-800-2018"
    assert "№ 800" in meta["rule_set_title"]
    assert "No. 800" in meta["rule_set_title_en"]
    assert meta["max_technical_years_override"] is None
    # the hash is that of the canonical JSON, computed here independently
    canonical = json.dumps(
        project.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert meta["project_sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    json.dumps(meta)  # plain JSON


def test_project_meta_with_the_rule_set_given_and_a_relative_rule_file(tmp_path):
    rules = tmp_path / "rules" / "local.toml"
    rules.parent.mkdir()
    rules.write_text('id = "local"\ntitle = "Local rules"\nextends = "ru-800-2018"\n')
    data = project_dict()
    data["rules"] = {"set": "rules/local.toml", "max_technical_years": 12}
    project = parse_project(data)
    meta = project_meta(project, str(tmp_path / "project.toml"))
    assert meta["rule_set_id"] == "local"
    assert meta["max_technical_years_override"] == 12
    given = project_meta(project, "anywhere/project.toml", load_rule_set("ru-781-2025"))
    assert given["rule_set_id"] == "ru-781-2025"
    with pytest.raises(ValueError, match=r"rules\.set must be one of"):
        project_meta(project, str(tmp_path / "elsewhere" / "project.toml"))


def test_the_hash_follows_the_content_not_the_spelling(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    # comments, key order within a table and number spelling do not change the content
    respelled = text.replace("haul_distance_km = 2.0", "haul_distance_km = 2.00  # km")
    respelled = respelled.replace("annual_mass_t = 140_000", "annual_mass_t = 140000")
    assert respelled != text
    path = tmp_path / "respelled.toml"
    path.write_text(respelled, encoding="utf-8")
    assert project_hash(read_project(path)) == project_hash(read_project(EXAMPLE))
    changed = tmp_path / "changed.toml"
    changed.write_text(text.replace("haul_distance_km = 2.0", "haul_distance_km = 2.1"))
    assert project_hash(read_project(changed)) != project_hash(read_project(EXAMPLE))
