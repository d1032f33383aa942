"""Access control of the REST API on both backends: tokens, roles, operator scoping, money.

Choice tested here: another operator's site (and everything of it) answers 404, exactly as
a site that does not exist, for reads and writes alike.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from sqlalchemy import select

from postmine.api import create_token
from postmine.api.auth import ANONYMOUS, Principal, hash_token, principal_for_token
from postmine.db import RecordValueError, session_scope
from postmine.registry import records
from postmine.registry.models import ApiToken, LedgerEntry

PREFIX = "/api/v1"

# --- tokens ----------------------------------------------------------------------------------


def test_token_is_stored_only_as_its_sha256(api):
    with session_scope(api.db_url) as session:
        rows = list(session.scalars(select(ApiToken).order_by(ApiToken.id)))
        stored = [str(value) for row in rows for value in records.as_dict(row).values() if value]
    for role, token in api.tokens.items():
        assert token.startswith("pmt_") and len(token) == 4 + 43, role
        digest = hashlib.sha256(token.encode()).hexdigest()
        assert digest in stored
        assert not any(token in value for value in stored)  # the token itself is nowhere


def test_token_resolves_to_its_principal(api):
    with session_scope(api.db_url) as session:
        regulator = principal_for_token(session, api.tokens["regulator"])
        operator = principal_for_token(session, api.tokens["operator_a"])
        unknown = principal_for_token(session, "pmt_" + "x" * 43)
    assert regulator is not None and regulator.role == "regulator"
    assert regulator.operator_id is None and regulator.authenticated
    assert operator == Principal("operator", api.operators["a"], operator.token_id)
    assert operator.name == f"operator-{api.operators['a']}"
    assert unknown is None
    assert not ANONYMOUS.authenticated and ANONYMOUS.role == "public"


def test_hash_token_is_sha256_hex():
    assert hash_token("abc") == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize(
    ("role", "operator", "error", "message"),
    [
        ("superuser", None, RecordValueError, "role must be one of 'admin'"),
        ("operator", None, RecordValueError, "an operator token needs operator_id"),
        ("regulator", 1, RecordValueError, "a regulator token takes no operator_id"),
        ("operator", 999, records.NotFoundError, "operator 999 not found"),
    ],
)
def test_create_token_refuses(api, role, operator, error, message):
    with session_scope(api.db_url) as session, pytest.raises(error, match=message):
        create_token(session, role, operator)


def test_bad_credentials_are_refused_not_ignored(api):
    unknown = api.client.get(f"{PREFIX}/sites", headers={"Authorization": "Bearer pmt_" + "0" * 43})
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == "unknown API token"
    assert unknown.headers["www-authenticate"] == "Bearer"
    malformed = api.client.get(f"{PREFIX}/sites", headers={"Authorization": "Basic dXNlcg=="})
    assert malformed.status_code == 401
    assert "Bearer <token>" in malformed.json()["detail"]


# --- writes ----------------------------------------------------------------------------------


def write_routes(api) -> list[str]:
    """Every POST route of the app, with 1 for each path parameter."""
    paths = api.client.app.openapi()["paths"]
    return sorted(
        re.sub(r"\{[^}]+\}", "1", path.removeprefix(PREFIX))
        for path, methods in paths.items()
        if "post" in methods
    )


def test_every_write_route_is_covered(api):
    routes = write_routes(api)
    assert len(routes) == 17
    assert "/sites" in routes and "/assurances/1/releases" in routes


def test_no_write_without_a_token(world):
    before = _ledger_length(world)
    for path in write_routes(world):
        response = world.post(path, {})
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
    assert _ledger_length(world) == before


def test_a_public_token_writes_nothing(world):
    before = _ledger_length(world)
    for path in write_routes(world):
        response = world.post(path, {}, "public")
        assert response.status_code == 403, path
    assert _ledger_length(world) == before


def _ledger_length(api) -> int:
    with session_scope(api.db_url) as session:
        return len(list(session.scalars(select(LedgerEntry.seq))))


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/tokens", {"role": "public"}, "creating a token needs an admin token"),
        ("/operators", {"name": "X"}, "needs a regulator or admin token"),
        ("/territories", {"name": "T", "region": "R", "area_ha": 1.0}, "regulator or admin"),
        ("/plans/{plan}/approve", {"approved_on": "2025-05-01"}, "approving a plan needs"),
        ("/sites/{site}/assurances", {"required_rub": 5.0}, "setting a financial assurance"),
        (
            "/assurances/{assurance}/releases",
            {"amount_rub": 1.0, "transacted_on": "2025-01-01", "milestone": "m"},
            "releasing a financial assurance needs",
        ),
        (
            "/assurances/{assurance}/forfeits",
            {"amount_rub": 1.0, "transacted_on": "2025-01-01", "note": "abandoned"},
            "forfeiting a financial assurance needs",
        ),
        (
            "/objects/{object}/stages",
            {
                "state": "accepted",
                "changed_on": "2025-01-01",
                "document_id": 1,
                "milestone": "m",
            },
            "accepting a stage of works needs",
        ),
    ],
)
def test_regulator_acts_are_refused_to_an_operator(world, path, body, message):
    before = _ledger_length(world)
    response = world.post(path.format(**world.ids["a"]), body, "operator_a")
    assert response.status_code == 403
    assert message in response.json()["detail"]
    assert _ledger_length(world) == before


def test_only_an_admin_creates_tokens(api):
    assert api.post("/tokens", {"role": "public"}, "regulator").status_code == 403
    response = api.post("/tokens", {"role": "operator", "operator_id": api.operators["b"]}, "admin")
    assert response.status_code == 201
    new = response.json()
    assert new["role"] == "operator" and new["operator_id"] == api.operators["b"]
    headers = {"Authorization": f"Bearer {new['token']}"}
    assert api.client.get(f"{PREFIX}/sites", headers=headers).status_code == 200
    missing = api.post("/tokens", {"role": "operator"}, "admin")
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "operator_id"]


# --- operators see their own sites only ------------------------------------------------------


def test_an_operator_cannot_read_another_operators_site(world):
    own, other = world.ids["a"], world.ids["b"]
    for path in world.sample_paths("b"):
        if path in world.sample_paths("a"):  # listings and verify: shared paths
            continue
        response = world.get(path, "operator_a")
        assert response.status_code == 404, path
        assert response.json()["detail"].endswith("not found"), path
    # the 404 is the same as for a site that does not exist
    missing = world.get("/sites/99999", "operator_a").json()
    assert missing == {"detail": "site 99999 not found"}
    assert world.get(f"/sites/{other['site']}", "operator_a").json() == {
        "detail": f"site {other['site']} not found"
    }
    # its own site it reads, financial details included
    assert world.get(f"/sites/{own['site']}", "operator_a").status_code == 200
    balance = world.get(f"/assurances/{own['assurance']}/balance", "operator_a").json()
    assert balance["held_rub"] == pytest.approx(400_000.0, abs=0.005)


@pytest.mark.parametrize(
    ("listing", "other_filter"),
    [("/sites", "operator_id"), ("/objects", "site_id"), ("/tmf", "site_id")],
)
def test_an_operators_listings_hold_only_its_sites(world, listing, other_filter):
    own_site = world.ids["a"]["site"]
    page = world.get(listing, "operator_a").json()
    assert page["total"] == 1
    site_ids = [row.get("site_id", row["id"]) for row in page["items"]]
    assert site_ids == [own_site]
    # asking for the other operator's rows gives nothing
    other = world.operators["b"] if other_filter == "operator_id" else world.ids["b"]["site"]
    assert world.get(listing, "operator_a", **{other_filter: other}).json()["total"] == 0
    # the regulator sees both
    assert world.get(listing, "regulator").json()["total"] == 2


def test_bbox_listing_is_scoped_too(world):
    box = "86.0,53.9,87.0,54.2"
    assert world.get("/objects", "regulator", bbox=box).json()["total"] == 2
    mine = world.get("/objects", "operator_a", bbox=box).json()
    assert [o["id"] for o in mine["items"]] == [world.ids["a"]["object"]]


def test_an_operator_cannot_change_another_operators_site(world):
    other = world.ids["b"]
    before = _ledger_length(world)
    attempts: list[tuple[str, dict[str, Any]]] = [
        (
            f"/sites/{other['site']}/objects",
            {"kind": "pit", "name": "Intruder pit", "area_ha": 3.0},
        ),
        (
            f"/sites/{other['site']}/tmf",
            {"name": "T", "tmf_class": "mining", "mass_t": 1.0, "hazard_class": 5, "year": 2024},
        ),
        (
            f"/sites/{other['site']}/documents",
            {
                "kind": "report",
                "title": "R",
                "uri": "u",
                "issued_on": "2024-01-01",
                "sha256": "ab" * 32,
            },
        ),
        (
            f"/sites/{other['site']}/monitoring",
            {
                "parameter": "ph",
                "value": 7.0,
                "unit": "-",
                "criteria_met": True,
                "period_start": "2024-01-01",
                "period_end": "2024-02-01",
                "source": "lab",
            },
        ),
        (f"/sites/{other['site']}/plans", {"project_toml": "format_version = 1\n"}),
        (f"/plans/{other['plan']}/compute", {}),
        (
            f"/assurances/{other['assurance']}/deposits",
            {"amount_rub": 10.0, "transacted_on": "2024-01-01"},
        ),
    ]
    for path, body in attempts:
        response = world.post(path, body, "operator_a")
        assert response.status_code == 404, (path, response.text)
    assert _ledger_length(world) == before


def test_an_operator_registers_sites_of_its_own_operator_only(api):
    other = api.post(
        "/sites",
        {"name": "S", "region": "R", "operator_id": api.operators["b"]},
        "operator_a",
    )
    assert other.status_code == 403
    assert "its own operator" in other.json()["detail"]
    mine = api.created("/sites", {"name": "S", "region": "R"}, "operator_a")
    assert mine["operator_id"] == api.operators["a"]


def test_writes_are_signed_by_the_acting_party(world):
    with session_scope(world.db_url) as session:
        rows = session.execute(select(LedgerEntry.seq, LedgerEntry.actor))
        actors = {row.seq: row.actor for row in rows}
    first_of_a = world.ids["a"]["seqs"][0]  # the site, registered with operator A's token
    assert actors[first_of_a] == f"operator-{world.operators['a']}"
    assert set(actors.values()) == {
        f"operator-{world.operators['a']}",
        f"operator-{world.operators['b']}",
        "regulator",
    }
    assert (world.keys_dir / f"operator-{world.operators['a']}.pem").is_file()
    report = world.get("/ledger/verify", "public", trusted=True).json()
    assert report["ok"], report["problems"]


# --- the public sees no money ----------------------------------------------------------------

FINANCIAL_PATHS = ("/assurances",)


def money_keys(value: Any, path: str = "") -> list[str]:
    """Every key ending in _rub anywhere in a JSON value, with where it is."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.endswith("_rub"):
                found.append(f"{path}.{key}")
            found.extend(money_keys(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(money_keys(item, f"{path}[{i}]"))
    return found


@pytest.mark.parametrize("who", ["public", None])
def test_the_public_sees_no_financial_fields_anywhere(world, who):
    expected_status = 403 if who == "public" else 401
    seen = 0
    for letter in ("a", "b"):
        for path in world.sample_paths(letter):
            response = world.get(path, who)
            if "/assurances" in path:
                assert response.status_code == expected_status, path
                continue
            assert response.status_code == 200, (path, response.text)
            assert money_keys(response.json()) == [], path
            seen += 1
        html = world.get(f"/sites/{world.ids[letter]['site']}/passport", who, format="html")
        assert html.status_code == 200
        assert "rub" not in html.text.lower()  # the regulator's page has "bond, rub" ...
    assert seen > 40
    plan = world.get(f"/plans/{world.ids['a']['plan']}", who).json()
    assert plan["project_toml"] is None  # it holds unit costs
    assert plan["result"]["tables"] and "cost" not in plan["result"]


def test_the_scan_finds_money_where_it_is_allowed(world):
    """The scan above can fail: the regulator's answers do hold *_rub keys."""
    for path in (
        f"/plans/{world.ids['a']['plan']}",
        f"/sites/{world.ids['a']['site']}/passport",
        f"/assurances/{world.ids['a']['assurance']}",
        f"/ledger/proof/{world.ids['a']['seqs'][-1]}",
    ):
        assert money_keys(world.get(path, "regulator").json()), path
    page = world.get(f"/sites/{world.ids['a']['site']}/passport", "regulator", format="html")
    assert "required, rub" in page.text.lower()
