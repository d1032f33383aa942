"""The REST API on both backends: endpoints, OpenAPI units, pagination, 422s, money, ledger."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from numpy.testing import assert_allclose
from pydantic import BaseModel

import postmine.api.app as app_module
from postmine.api import create_app, schemas, serve
from postmine.db import SchemaError
from postmine.registry import ledger, models

KOPECK = 0.005  # amounts are kept to the kopeck

ENDPOINTS = {
    ("get", "/api/v1/sites/{site_id}/channels"),
    ("get", "/api/v1/channels/{channel_id}/readings"),
    ("get", "/api/v1/alerts"),
    ("post", "/api/v1/alerts/{alert_id}/ack"),
    ("get", "/api/v1/channels/{channel_id}/forecast"),
    ("get", "/api/v1/operators"),
    ("post", "/api/v1/operators"),
    ("get", "/api/v1/operators/{operator_id}"),
    ("post", "/api/v1/tokens"),
    ("get", "/api/v1/territories"),
    ("post", "/api/v1/territories"),
    ("get", "/api/v1/territories/{territory_id}"),
    ("get", "/api/v1/sites"),
    ("post", "/api/v1/sites"),
    ("get", "/api/v1/sites/{site_id}"),
    ("get", "/api/v1/sites/{site_id}/passport"),
    ("get", "/api/v1/objects"),
    ("get", "/api/v1/objects/{object_id}"),
    ("get", "/api/v1/sites/{site_id}/objects"),
    ("post", "/api/v1/sites/{site_id}/objects"),
    ("post", "/api/v1/objects/{object_id}/stages"),
    ("get", "/api/v1/tmf"),
    ("get", "/api/v1/tmf/{tmf_id}"),
    ("get", "/api/v1/sites/{site_id}/tmf"),
    ("post", "/api/v1/sites/{site_id}/tmf"),
    ("get", "/api/v1/sites/{site_id}/plans"),
    ("post", "/api/v1/sites/{site_id}/plans"),
    ("get", "/api/v1/plans/{plan_id}"),
    ("post", "/api/v1/plans/{plan_id}/compute"),
    ("post", "/api/v1/plans/{plan_id}/approve"),
    ("get", "/api/v1/sites/{site_id}/assurances"),
    ("post", "/api/v1/sites/{site_id}/assurances"),
    ("get", "/api/v1/assurances/{assurance_id}"),
    ("get", "/api/v1/assurances/{assurance_id}/balance"),
    ("post", "/api/v1/assurances/{assurance_id}/deposits"),
    ("post", "/api/v1/assurances/{assurance_id}/releases"),
    ("post", "/api/v1/assurances/{assurance_id}/forfeits"),
    ("get", "/api/v1/sites/{site_id}/monitoring"),
    ("post", "/api/v1/sites/{site_id}/monitoring"),
    ("get", "/api/v1/monitoring/{summary_id}"),
    ("get", "/api/v1/sites/{site_id}/documents"),
    ("post", "/api/v1/sites/{site_id}/documents"),
    ("get", "/api/v1/documents/{document_id}"),
    ("get", "/api/v1/ledger/verify"),
    ("get", "/api/v1/ledger/proof/{seq}"),
    ("get", "/api/v1/stats/aggregate"),
    ("get", "/api/v1/territories/{territory_id}/land-use-indicators"),
    ("get", "/api/v1/quantities"),
    ("get", "/api/v1/quantities/{key}"),
}


def loc_of(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.text
    return [e["loc"] for e in response.json()["detail"]]


@pytest.fixture
def site(api) -> dict[str, Any]:
    return api.created("/sites", {"name": "Open pit 1", "region": "Kemerovo"}, "operator_a")


# --- OpenAPI ---------------------------------------------------------------------------------


def test_openapi_lists_the_endpoints(api):
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    found = {(m, p) for p, methods in doc["paths"].items() for m in methods}
    assert found == ENDPOINTS
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert api.client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize(
    ("schema", "field", "unit", "description"),
    [
        ("TmfOut", "mass_t", "t", "Mass accumulated. [t]"),
        ("TmfCreate", "mass_t", "t", "Mass accumulated. [t]"),
        ("SiteOut", "area_ha", "ha", "[ha]"),
        ("ObjectCreate", "volume_m3", "m³", "Volume (of a dump, a void). [m³]"),
        ("TransactionOut", "amount_rub", "rub", "Amount moved. [rub]"),
        ("AssuranceBalanceOut", "held_rub", "rub", "Deposited less released and forfeited."),
        ("TerritoryOut", "sanitary_zone_area_ha", "ha", "sanitary protection zone"),
        ("MonitoringOut", "period_end", "date", "Last day of the period. [date]"),
    ],
)
def test_openapi_carries_units_and_descriptions(api, schema, field, unit, description):
    schemas_ = api.client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    prop = schemas_[schema]["properties"][field]
    assert prop["x-unit"] == unit
    assert description in prop["description"]
    assert prop["description"].endswith(f"[{unit}]")


def test_openapi_carries_ranges_and_choices(api):
    schemas_ = api.client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    tmf = schemas_["TmfCreate"]["properties"]
    assert tmf["mass_t"]["minimum"] == 0
    assert (tmf["hazard_class"]["minimum"], tmf["hazard_class"]["maximum"]) == (1, 5)
    assert schemas_["TransactionOut"]["properties"]["kind"]["enum"] == [
        "deposit",
        "release",
        "forfeit",
    ]
    deposit = schemas_["DepositIn"]["properties"]["amount_rub"]
    assert deposit["exclusiveMinimum"] == 0


REQUESTS = [
    (schemas.TerritoryCreate, models.Territory),
    (schemas.SiteCreate, models.Site),
    (schemas.ObjectCreate, models.DisturbanceObject),
    (schemas.StageAccept, models.ObjectStateChange),
    (schemas.TmfCreate, models.Tmf),
    (schemas.PlanSubmit, models.ReclamationPlan),
    (schemas.PlanApprove, models.ReclamationPlan),
    (schemas.AssuranceCreate, models.FinancialAssurance),
    (schemas.DepositIn, models.AssuranceTransaction),
    (schemas.ReleaseIn, models.AssuranceTransaction),
    (schemas.ForfeitIn, models.AssuranceTransaction),
    (schemas.MonitoringCreate, models.MonitoringSummary),
    (schemas.DocumentCreate, models.Document),
    (schemas.OperatorCreate, models.Operator),
    (schemas.TokenCreate, models.ApiToken),
]


@pytest.mark.parametrize(("request_model", "table"), REQUESTS)
def test_request_fields_match_their_columns(request_model, table):
    columns = {c.key: c for c in table.__table__.columns}
    matched = 0
    for name, info in request_model.model_fields.items():
        if name not in columns:
            continue
        column = columns[name].info
        assert info.description == f"{column['description']} [{column['unit']}]", name
        assert info.json_schema_extra == {"x-unit": column["unit"]}, name
        bounds = {type(m).__name__: m for m in info.metadata}
        if "ge" in column:
            assert bounds["Ge"].ge == column["ge"], name
        if "gt" in column:
            assert bounds["Gt"].gt == column["gt"], name
        if "le" in column:
            assert bounds["Le"].le == column["le"], name
        matched += 1
    assert matched >= 1


@pytest.mark.parametrize(
    ("response_model", "table"),
    [
        (schemas.OperatorOut, models.Operator),
        (schemas.TerritoryOut, models.Territory),
        (schemas.SiteOut, models.Site),
        (schemas.ObjectOut, models.DisturbanceObject),
        (schemas.ObjectStateOut, models.ObjectStateChange),
        (schemas.TmfOut, models.Tmf),
        (schemas.MonitoringOut, models.MonitoringSummary),
        (schemas.DocumentOut, models.Document),
        (schemas.TransactionOut, models.AssuranceTransaction),
        (schemas.AssuranceOut, models.FinancialAssurance),
    ],
)
def test_responses_hold_every_column(response_model: type[BaseModel], table):
    columns = {"geometry" if c.key == "geom" else c.key for c in table.__table__.columns}
    assert columns <= set(response_model.model_fields)


def test_plan_responses_keep_inputs_apart_from_results():
    assert "project_toml" not in schemas.PlanOut.model_fields
    assert "result_json" not in schemas.PlanDetailOut.model_fields
    assert {"project_toml", "result", "result_current"} <= set(schemas.PlanDetailOut.model_fields)


# --- pagination ------------------------------------------------------------------------------


def test_pagination_gives_total_limit_and_next_offset(api):
    ids = [
        api.created("/sites", {"name": f"Site {i}", "region": "Kemerovo"}, "regulator")["id"]
        for i in range(5)
    ]
    first = api.get("/sites", limit=2).json()
    assert (first["total"], first["limit"], first["offset"], first["next_offset"]) == (5, 2, 0, 2)
    assert [s["id"] for s in first["items"]] == ids[:2]
    seen, offset = [], 0
    while offset is not None:
        page = api.get("/sites", limit=2, offset=offset).json()
        seen += [s["id"] for s in page["items"]]
        offset = page["next_offset"]
    assert seen == ids
    last = api.get("/sites", limit=2, offset=4).json()
    assert (len(last["items"]), last["next_offset"]) == (1, None)
    beyond = api.get("/sites", limit=2, offset=10).json()
    assert (beyond["items"], beyond["total"], beyond["next_offset"]) == ([], 5, None)
    default = api.get("/sites").json()
    assert (default["limit"], default["next_offset"]) == (50, None)
    filtered = api.get("/sites", region="Kemerovo", status="operating", limit=3).json()
    assert (filtered["total"], filtered["next_offset"]) == (5, 3)


@pytest.mark.parametrize(
    ("params", "name"),
    [({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"offset": -1}, "offset")],
)
def test_pagination_refuses_bad_pages(api, params, name):
    assert loc_of(api.get("/sites", **params)) == [["query", name]]


# --- validation errors name the field --------------------------------------------------------

GOOD_TMF = {
    "name": "Overburden",
    "tmf_class": "mining",
    "mass_t": 1e6,
    "hazard_class": 5,
    "year": 2024,
}


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"mass_t": -1.0}, ["body", "mass_t"], "greater than or equal to 0"),
        ({"hazard_class": 6}, ["body", "hazard_class"], "less than or equal to 5"),
        ({"tmf_class": "nuclear"}, ["body", "tmf_class"], "'mining', 'concentration'"),
        ({"year": 1700}, ["body", "year"], "greater than or equal to 1800"),
        ({"colour": "grey"}, ["body", "colour"], "Extra inputs are not permitted"),
        ({"composition": {"Fe": 1.5}}, ["body", "composition", "Fe"], "less than or equal to 1"),
        # checked by the registry (RecordValueError), answered in the same shape
        (
            {"composition": {"Fe": 0.7, "SiO2": 0.6}},
            ["body", "composition"],
            "composition mass fractions must add up to <= 1, got 1.3",
        ),
    ],
)
def test_422_names_the_field_of_a_bad_tmf(api, site, change, loc, message):
    response = api.post(f"/sites/{site['id']}/tmf", {**GOOD_TMF, **change}, "operator_a")
    [error] = response.json()["detail"]
    assert response.status_code == 422
    assert error["loc"] == loc
    assert message in error["msg"]


def test_422_for_nan(api, site):
    response = api.client.post(
        f"/api/v1/sites/{site['id']}/tmf",
        content='{"name": "T", "tmf_class": "mining", "mass_t": NaN, "hazard_class": 5, '
        '"year": 2024}',
        headers={**api.headers("operator_a"), "Content-Type": "application/json"},
    )
    assert loc_of(response) == [["body", "mass_t"]]
    assert response.json()["detail"][0]["input"] == "nan"


@pytest.mark.parametrize(
    ("path", "body", "loc", "message"),
    [
        (
            "/sites/{site}/objects",
            {"kind": "pit", "name": "P", "area_ha": 2.0, "state": "flooded"},
            ["body", "state"],
            "'disturbed', 'technical-stage'",
        ),
        (
            "/sites/{site}/objects",
            {"kind": "pit", "name": "P"},
            ["body", "area_ha"],
            "area_ha is required with no geometry",
        ),
        (
            "/sites/{site}/objects",
            {"kind": "pit", "name": "P", "area_ha": -2.0},
            ["body", "area_ha"],
            "greater than or equal to 0",
        ),
        (
            "/sites/{site}/objects",
            {
                "kind": "pit",
                "name": "P",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]],
                },
            },
            ["body", "geometry"],
            "geometry must be a valid geometry, got Self-intersection",
        ),
        (
            "/sites/{site}/documents",
            {"kind": "report", "title": "R", "uri": "u", "issued_on": "2024-01-01"},
            ["body", "sha256"],
            "give exactly one of sha256 or content",
        ),
        (
            "/sites/{site}/documents",
            {
                "kind": "report",
                "title": "R",
                "uri": "u",
                "issued_on": "2024-01-01",
                "content_base64": "not base64!",
            },
            ["body", "content_base64"],
            "content_base64 must be base64",
        ),
        (
            "/sites/{site}/plans",
            {"project_toml": "format_version = 2\n"},
            ["body", "project_toml", "format_version"],
            "format_version: this postmine reads 1, got 2",
        ),
        (
            "/sites/{site}/plans",
            {"project_toml": "format_version = 1\n[project\n"},
            ["body", "project_toml"],
            "not valid TOML",
        ),
    ],
)
def test_422_names_the_field(api, site, path, body, loc, message):
    response = api.post(path.format(site=site["id"]), body, "operator_a")
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert errors[0]["loc"] == loc
    assert message in errors[0]["msg"]


def test_422_for_an_unknown_state_of_a_stage(world):
    response = world.post(
        f"/objects/{world.ids['a']['object']}/stages",
        {"state": "flooded", "changed_on": "2025-01-01", "document_id": 1, "milestone": "m"},
        "regulator",
    )
    assert loc_of(response) == [["body", "state"]]


@pytest.mark.parametrize(
    ("path", "params", "loc"),
    [
        ("/sites", {"status": "flooded"}, ["query", "status"]),
        ("/objects", {"state": "flooded"}, ["query", "state"]),
        ("/objects", {"bbox": "1,2,3"}, ["query", "bbox"]),
        ("/objects", {"bbox": "10,5,0,6"}, ["query", "bbox"]),
        ("/tmf", {"hazard_class": 0}, ["query", "hazard_class"]),
        ("/sites/1/passport", {"format": "pdf"}, ["query", "format"]),
    ],
)
def test_422_names_the_query_parameter(api, path, params, loc):
    assert loc_of(api.get(path, **params)) == [loc]


@pytest.mark.parametrize(
    "path",
    [
        "/sites/999",
        "/territories/999",
        "/operators/999",
        "/objects/999",
        "/tmf/999",
        "/plans/999",
        "/documents/999",
        "/monitoring/999",
        "/sites/999/objects",
        "/sites/999/passport",
        "/ledger/proof/999",
    ],
)
def test_404_for_rows_that_do_not_exist(api, path):
    response = api.get(path, "regulator")
    assert response.status_code == 404
    assert response.json()["detail"].endswith("999 not found")


# --- the records through the API -------------------------------------------------------------


def test_site_object_and_tmf_round_trip(api):
    territory = api.created(
        "/territories",
        {"name": "Abaza district", "region": "Khakassia", "area_ha": 52_000.0},
        "regulator",
    )
    site = api.created(
        "/sites",
        {
            "name": "Abaza mine",
            "region": "Khakassia",
            "territory_id": territory["id"],
            "typology": "greyfield",
            "status": "under-reclamation",
        },
        "operator_a",
    )
    assert site["operator_id"] == api.operators["a"]
    crater = api.created(
        f"/sites/{site['id']}/objects",
        {
            "kind": "collapse-crater",
            "name": "Crater 1",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[89.93, 52.64], [89.94, 52.64], [89.94, 52.65], [89.93, 52.64]]],
            },
            "state_on": "2024-01-10",
        },
        "operator_a",
    )
    assert crater["geometry"]["type"] == "Polygon"
    assert crater["area_ha"] > 0
    assert [h["state"] for h in crater["history"]] == ["disturbed"]
    assert crater["history"][0]["changed_on"] == "2024-01-10"
    tmf = api.created(
        f"/sites/{site['id']}/tmf",
        {**GOOD_TMF, "object_id": crater["id"], "valuable_components": {"Fe": 0.28}},
        "operator_a",
    )
    assert tmf["valuable_components"] == {"Fe": 0.28}
    assert api.get(f"/tmf/{tmf['id']}").json() == tmf
    assert api.get(f"/objects/{crater['id']}").json() == crater
    listed = api.get("/tmf", tmf_class="mining", hazard_class=5).json()
    assert [t["id"] for t in listed["items"]] == [tmf["id"]]
    assert api.get("/objects", bbox="89.9,52.6,90.0,52.7").json()["total"] == 1
    assert api.get("/objects", bbox="80,40,81,41").json()["total"] == 0


def test_plan_submit_compute_approve(api, site):
    text = api.project_text()
    plan = api.created(
        f"/sites/{site['id']}/plans",
        {"project_toml": text, "submitted_on": "2025-03-01"},
        "operator_a",
    )
    assert plan["project_toml"] == text
    assert (plan["result"], plan["result_current"]) == (None, False)
    computed = api.post(f"/plans/{plan['id']}/compute", None, "operator_a").json()
    assert computed["result_current"] is True
    assert computed["result_inputs_sha256"] == computed["project_sha256"]
    assert computed["result"]["cost"]["bond_rub"] > 0
    assert computed["project_toml"] == text  # the inputs never change
    public = api.get(f"/plans/{plan['id']}", "public").json()
    assert public["project_toml"] is None and "cost" not in public["result"]
    assert public["result"]["tables"] == computed["result"]["tables"]
    approved = api.post(f"/plans/{plan['id']}/approve", {"approved_on": "2025-04-15"}, "regulator")
    assert approved.json()["approved_on"] == "2025-04-15"
    again = api.post(f"/plans/{plan['id']}/approve", {"approved_on": "2025-05-01"}, "regulator")
    assert loc_of(again) == [["body", "approved_on"]]
    assert "was approved on 2025-04-15" in again.json()["detail"][0]["msg"]
    listed = api.get(f"/sites/{site['id']}/plans").json()
    assert listed["total"] == 1 and "project_toml" not in listed["items"][0]
    # the assurance may be set from the computed bond
    assurance = api.created(f"/sites/{site['id']}/assurances", {"plan_id": plan["id"]}, "regulator")
    assert_allclose(assurance["required_rub"], computed["result"]["cost"]["bond_rub"], atol=KOPECK)


def test_money_flow_and_the_release_gate(api, site):
    sid = site["id"]
    assurance = api.created(
        f"/sites/{sid}/assurances",
        {"required_rub": 1_000_000.0, "required_on": "2021-01-01"},
        "regulator",
    )
    aid = assurance["id"]
    api.created(
        f"/assurances/{aid}/deposits",
        {"amount_rub": 700_000.0, "transacted_on": "2021-02-01"},
        "operator_a",
    )
    verify_before = api.get("/ledger/verify").json()
    release = {"amount_rub": 300_000.0, "transacted_on": "2024-07-01", "milestone": "revegetation"}
    refused = api.post(f"/assurances/{aid}/releases", release, "regulator")
    assert refused.status_code == 409
    assert "release of milestone 'revegetation'" in refused.json()["detail"]
    assert "refused: no evidence recorded" in refused.json()["detail"]
    # nothing of the refused release is stored: not the money, not the ledger entry
    assert api.get(f"/assurances/{aid}/balance", "regulator").json()["released_rub"] == 0.0
    assert api.get("/ledger/verify").json()["n_entries"] == verify_before["n_entries"]
    # an operator may not record a milestone's evidence; the regulator may
    evidence = {
        "parameter": "vegetation_cover",
        "value": 0.82,
        "unit": "-",
        "criteria_met": True,
        "period_start": "2023-05-01",
        "period_end": "2023-09-30",
        "source": "regional laboratory",
        "milestone": "revegetation",
    }
    assert api.post(f"/sites/{sid}/monitoring", evidence, "operator_a").status_code == 403
    api.created(f"/sites/{sid}/monitoring", evidence, "regulator")
    too_much = api.post(
        f"/assurances/{aid}/releases", {**release, "amount_rub": 800_000.0}, "regulator"
    )
    assert loc_of(too_much) == [["body", "amount_rub"]]
    api.created(f"/assurances/{aid}/releases", release, "regulator")
    api.created(
        f"/assurances/{aid}/forfeits",
        {"amount_rub": 50_000.0, "transacted_on": "2024-09-01", "note": "dust limit breached"},
        "regulator",
    )
    balance = api.get(f"/assurances/{aid}/balance", "operator_a").json()
    # 700 000 deposited - 300 000 released - 50 000 forfeited = 350 000 held;
    # 1 000 000 required - 700 000 deposited = 300 000 short
    expected = {
        "required_rub": 1_000_000.0,
        "deposited_rub": 700_000.0,
        "released_rub": 300_000.0,
        "forfeited_rub": 50_000.0,
        "held_rub": 350_000.0,
        "shortfall_rub": 300_000.0,
    }
    for key, value in expected.items():
        assert_allclose(balance[key], value, atol=KOPECK, err_msg=key)
    detail = api.get(f"/assurances/{aid}", "regulator").json()
    assert [t["kind"] for t in detail["transactions"]] == ["deposit", "release", "forfeit"]
    assert detail["transactions"][1]["milestone"] == "revegetation"
    listed = api.get(f"/sites/{sid}/assurances", "regulator").json()
    assert_allclose(listed["items"][0]["balance"]["held_rub"], 350_000.0, atol=KOPECK)


def test_stage_acceptance_by_act_allows_the_release(api, site):
    sid = site["id"]
    obj = api.created(
        f"/sites/{sid}/objects",
        {"kind": "external-dump", "name": "Dump", "area_ha": 40.0, "state_on": "2024-01-01"},
        "operator_a",
    )
    content = b"%PDF act of acceptance"
    act = api.created(
        f"/sites/{sid}/documents",
        {
            "kind": "acceptance-act",
            "title": "Act 7 of the technical stage",
            "uri": "archive://acts/7",
            "issued_on": "2024-06-01",
            "content_base64": base64.b64encode(content).decode(),
        },
        "operator_a",
    )
    assert act["sha256"] == hashlib.sha256(content).hexdigest()
    report = api.created(
        f"/sites/{sid}/documents",
        {
            "kind": "report",
            "title": "R",
            "uri": "u",
            "issued_on": "2024-06-01",
            "sha256": "AB" * 32,
        },
        "operator_a",
    )
    assert report["sha256"] == "ab" * 32
    stage = {"state": "technical-stage", "changed_on": "2024-06-01", "milestone": "technical stage"}
    not_an_act = api.post(
        f"/objects/{obj['id']}/stages", {**stage, "document_id": report["id"]}, "regulator"
    )
    assert loc_of(not_an_act) == [["body", "document_id"]]
    accepted = api.created(
        f"/objects/{obj['id']}/stages", {**stage, "document_id": act["id"]}, "regulator"
    )
    assert (accepted["state"], accepted["document_id"]) == ("technical-stage", act["id"])
    history = api.get(f"/objects/{obj['id']}").json()["history"]
    assert [h["state"] for h in history] == ["disturbed", "technical-stage"]
    aid = api.created(f"/sites/{sid}/assurances", {"required_rub": 100.0}, "regulator")["id"]
    api.created(
        f"/assurances/{aid}/deposits",
        {"amount_rub": 100.0, "transacted_on": "2024-01-01"},
        "operator_a",
    )
    released = api.created(
        f"/assurances/{aid}/releases",
        {"amount_rub": 60.0, "transacted_on": "2024-06-10", "milestone": "technical stage"},
        "regulator",
    )
    assert released["kind"] == "release"


def test_monitoring_and_documents_are_listed(world):
    sid = world.ids["a"]["site"]
    monitoring = world.get(f"/sites/{sid}/monitoring", parameter="dust_pm10").json()
    assert monitoring["total"] == 1
    assert_allclose(monitoring["items"][0]["value"], 0.04, rtol=1e-12)
    assert world.get(f"/sites/{sid}/monitoring", parameter="ph").json()["total"] == 0
    documents = world.get(f"/sites/{sid}/documents", kind="acceptance-act").json()
    assert [d["id"] for d in documents["items"]] == [world.ids["a"]["document"]]
    assert world.get(f"/sites/{sid}/documents", kind="protocol").json()["total"] == 0


# --- passport and ledger ---------------------------------------------------------------------


def test_passport_as_json_and_html(world):
    sid = world.ids["a"]["site"]
    full = world.get(f"/sites/{sid}/passport", "regulator").json()
    assert full["site"]["id"] == sid
    assert full["financial"]["assurances"]
    public = world.get(f"/sites/{sid}/passport").json()
    assert "financial" not in public
    assert public["history"] and public["current_state"]["total_area_ha"] > 0
    with_geometry = world.get(f"/sites/{sid}/passport", geometry=True).json()
    assert with_geometry["site"]["geometry"]["type"] == "Polygon"
    page = world.get(f"/sites/{sid}/passport", format="html", lang="ru")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text and "Open pit A" in page.text


def test_ledger_verifies_and_proves_inclusion(world):
    report = world.get("/ledger/verify").json()
    assert report["ok"] and report["problems"] == []
    # 12 changes of each site (its computed plan result too) and the territory's registration
    assert report["n_entries"] == 25
    seq = world.ids["a"]["seqs"][8]  # the deposit of site A (after its plan's result)
    proof = world.get(f"/ledger/proof/{seq}", "regulator").json()
    assert proof["entry"]["seq"] == seq and proof["entry"]["kind"] == "deposit-paid"
    assert_allclose(proof["entry"]["payload"]["amount_rub"], 600_000.0, atol=KOPECK)
    assert proof["verified"] and not proof["sealed"]
    # an independent check of the proof from the entry's hash to the day's root
    pairs = [(sibling, side) for sibling, side in proof["proof"]]
    assert ledger.verify_inclusion(proof["entry"]["entry_hash"], pairs, proof["root"])
    assert not ledger.verify_inclusion("0" * 64, pairs, proof["root"])
    public = world.get(f"/ledger/proof/{seq}").json()
    assert "amount_rub" not in public["entry"]["payload"]
    assert public["entry"]["entry_hash"] == proof["entry"]["entry_hash"]
    assert loc_of(world.get("/ledger/proof/0")) == [["path", "seq"]]


# --- statistics ------------------------------------------------------------------------------


@pytest.fixture
def district(api) -> dict[str, Any]:
    """A territory of 10 000 ha with a 2 000 ha sanitary zone and one site's objects."""
    territory = api.created(
        "/territories",
        {
            "name": "District",
            "region": "Kemerovo",
            "area_ha": 10_000.0,
            "sanitary_zone_area_ha": 2_000.0,
        },
        "regulator",
    )
    site = api.created(
        "/sites",
        {"name": "Mine", "region": "Kemerovo", "territory_id": territory["id"]},
        "operator_a",
    )
    for kind, name, area in (
        ("external-dump", "Dump 1", 12.5),
        ("external-dump", "Dump 2", 7.5),
        ("pit", "Pit", 30.0),
        ("road", "Haul road", 5.0),
        ("industrial-site", "Plant", 15.0),
    ):
        api.created(
            f"/sites/{site['id']}/objects",
            {"kind": kind, "name": name, "area_ha": area, "state_on": "2024-03-01"},
            "operator_a",
        )
    api.created(
        f"/sites/{site['id']}/tmf",
        {**GOOD_TMF, "mass_t": 3.0e6, "hazard_class": 4},
        "operator_a",
    )
    return {"territory": territory["id"], "site": site["id"]}


def test_aggregate_objects_and_tmf(api, district):
    by_kind = api.get("/stats/aggregate", by="kind").json()
    assert by_kind["of"] == "objects" and by_kind["by"] == ["kind"]
    rows = {r["kind"]: r for r in by_kind["rows"]}
    # 12.5 + 7.5 = 20 ha of outer dumps in two objects
    assert rows["external-dump"]["count"] == 2
    assert_allclose(rows["external-dump"]["area_ha"], 20.0, rtol=1e-12)
    assert_allclose(rows["pit"]["area_ha"], 30.0, rtol=1e-12)
    by_year = api.get("/stats/aggregate", by=["state", "year"], kind="pit").json()["rows"]
    assert [(r["state"], r["year"], r["count"]) for r in by_year] == [("disturbed", 2024, 1)]
    tmf = api.get("/stats/aggregate", of="tmf", by="hazard_class").json()["rows"]
    assert [(r["hazard_class"], r["count"]) for r in tmf] == [(4, 1)]
    assert_allclose(tmf[0]["mass_t"], 3.0e6, rtol=1e-12)
    total = api.get("/stats/aggregate").json()["rows"]
    assert total[0]["count"] == 5
    assert_allclose(total[0]["area_ha"], 70.0, rtol=1e-12)


def test_an_operator_aggregates_its_own_sites_only(api, district):
    assert api.get("/stats/aggregate", "operator_b").json()["rows"] == []
    asked = api.get("/stats/aggregate", "operator_b", site_id=district["site"]).json()
    assert asked["rows"] == []
    own = api.get("/stats/aggregate", "operator_a", of="tmf").json()["rows"]
    assert own[0]["count"] == 1


@pytest.mark.parametrize(
    ("params", "loc", "message"),
    [
        ({"by": "colour"}, ["query", "by"], "by: 'colour' is not a key of objects"),
        ({"by": ["kind", "kind"]}, ["query", "by"], "must not repeat a key"),
        ({"of": "tmf", "kind": "pit"}, ["query", "kind"], "kind is not a key of tmf"),
        ({"of": "dumps"}, ["query", "of"], "'objects', 'tmf' or 'statistics'"),
    ],
)
def test_aggregate_names_the_bad_parameter(api, params, loc, message):
    response = api.get("/stats/aggregate", **params)
    assert loc_of(response) == [loc]
    assert message in response.json()["detail"][0]["msg"]


def test_land_use_indicators_of_a_territory(api, district):
    path = f"/territories/{district['territory']}/land-use-indicators"
    report = api.get(path).json()
    assert report["territory_name"] == "District"
    assert_allclose(report["areas_ha"]["district_area_ha"], 10_000.0, rtol=1e-12)
    assert_allclose(report["areas_ha"]["outer_dump_area_ha"], 20.0, rtol=1e-12)
    values = {i["symbol"]: i for i in report["indicators"]}
    # eq. 3.2: ΣS_лф = S_выр + S_жр + S_т = 30 + 15 + 5 = 50 ha; П_плф = 50 / 10 000 = 0.5 %
    assert_allclose(values["ΣS_лф"]["value"], 50.0, rtol=1e-12)
    assert (values["П_плф"]["unit"], values["П_плф"]["equation"]) == ("%", "3.2")
    assert_allclose(values["П_плф"]["value"], 0.5, rtol=1e-12)
    assert "building_area" in report["not_computed"]["S_тнз"]
    given = api.get(path, building_area=100.0, recreation_area=50.0).json()
    values = {i["symbol"]: i["value"] for i in given["indicators"]}
    # eq. 3.1 as the worked example reads it: S_тнз = S_сзз - (S_рз + S_р + S_з)
    # = 2000 - (0 + 50 + 100) = 1850 ha
    assert_allclose(values["S_тнз"], 1850.0, rtol=1e-12)


@pytest.mark.parametrize(
    ("params", "loc", "message"),
    [
        ({"building_area": -1.0}, ["query", "building_area"], "greater than or equal to 0"),
        ({"crops": "[{"}, ["query", "crops"], "crops"),
        (
            {
                "crops": '[{"name": "grain", "share": 2, "yield_reclaimed": 1, '
                '"yield_farmland": 1, "price": 1}]'
            },
            ["query", "crops"],
            "crops[0.share]: Input should be less than or equal to 1",
        ),
        ({"nontransport_dump_ids": 999}, ["query", "nontransport_dump_ids"], "object 999 is not"),
    ],
)
def test_land_use_indicators_name_the_bad_parameter(api, district, params, loc, message):
    response = api.get(f"/territories/{district['territory']}/land-use-indicators", **params)
    assert loc_of(response) == [loc]
    assert message in response.json()["detail"][0]["msg"]


def test_land_use_indicators_of_a_missing_territory(api):
    response = api.get("/territories/999/land-use-indicators")
    assert response.status_code == 404
    assert response.json() == {"detail": "territory 999 not found"}


# --- the server ------------------------------------------------------------------------------


def test_a_database_without_schema_answers_503(tmp_path):
    client = TestClient(create_app(f"sqlite:///{tmp_path}/empty.sqlite", tmp_path / "keys"))
    response = client.get("/api/v1/sites")
    assert response.status_code == 503
    assert "run `postmine registry init`" in response.json()["detail"]


def test_serve_refuses_a_database_without_schema(tmp_path):
    with pytest.raises(SchemaError, match=r"has no registry schema.*postmine registry init"):
        serve(f"sqlite:///{tmp_path}/empty.sqlite")


def test_serve_runs_uvicorn_on_the_app(db_url, tmp_path, monkeypatch):
    calls: list[dict[str, Any]] = []
    uvicorn = app_module.require("uvicorn")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    serve(db_url, port=8765, keys_dir=tmp_path / "keys")
    [call] = calls
    assert (call["host"], call["port"]) == ("127.0.0.1", 8765)
    assert call["app"].state.registry.url == db_url
    assert call["app"].state.registry.keys_dir == tmp_path / "keys"
