"""Fixtures of the API tests: the backend fixtures, an app, tokens, a populated registry.

``db_url`` (and the fixtures it needs) come from ``tests/registry/conftest.py``, loaded by
path, so the API suite runs on SQLite and PostgreSQL/PostGIS alike (PostgreSQL tests carry
the ``postgis`` marker, skip locally without a server and fail under ``$CI``).

``api``
    An :class:`Api`: a TestClient on a fresh registry, two operators (A and B) and a token
    of every role (``admin``, ``regulator``, ``public``, ``operator_a``, ``operator_b``).
``world``
    ``api`` with a populated registry, written through the API itself: a territory; site A
    of operator A and site B of operator B, each with an object, a TMF, an acceptance act,
    a monitoring result, a computed and approved plan, an assurance with a deposit, a stage
    accepted and a release. Ids are in :attr:`Api.ids`.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from postmine.api import create_app, create_token
from postmine.db import session_scope
from postmine.registry.models import LedgerEntry
from postmine.registry.records.operators import insert_operator

_REGISTRY_CONFTEST = Path(__file__).resolve().parents[1] / "registry" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_postmine_registry_fixtures", _REGISTRY_CONFTEST)
assert _spec is not None and _spec.loader is not None
_registry_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _registry_fixtures
_spec.loader.exec_module(_registry_fixtures)

_pg_admin = _registry_fixtures._pg_admin
_pg_module_db = _registry_fixtures._pg_module_db
db_url = _registry_fixtures.db_url

ROOT = Path(__file__).resolve().parents[2]
PR1_PROJECT = ROOT / "examples" / "pr1-coal-pit" / "project.toml"
FAST_SAMPLES = 20  # Monte Carlo samples for tests (the example asks for 500)
PREFIX = "/api/v1"
ROLES = ("admin", "regulator", "public", "operator_a", "operator_b")


def fast_project_text() -> str:
    text = PR1_PROJECT.read_text(encoding="utf-8")
    assert "samples = 500" in text
    return text.replace("samples = 500", f"samples = {FAST_SAMPLES}")


@dataclass
class Api:
    """A client on a test registry with a token per role (helpers for the tests, too)."""

    client: TestClient
    db_url: str
    keys_dir: Path
    tokens: dict[str, str]
    operators: dict[str, int]
    ids: dict[str, Any] = field(default_factory=dict)
    prefix: str = PREFIX

    @staticmethod
    def project_text() -> str:
        """The PR1 example project file with few Monte Carlo samples."""
        return fast_project_text()

    def headers(self, who: str | None) -> dict[str, str]:
        return {} if who is None else {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, path: str, who: str | None = None, **params: Any) -> Any:
        return self.client.get(PREFIX + path, headers=self.headers(who), params=params)

    def post(self, path: str, body: Any = None, who: str | None = None) -> Any:
        return self.client.post(PREFIX + path, json=body, headers=self.headers(who))

    def sample_paths(self, letter: str) -> list[str]:
        """Every GET path of the API for the rows of site ``letter`` of the ``world``."""
        ids, s = self.ids, self.ids[letter]
        return [
            "/operators",
            "/territories",
            f"/territories/{ids['territory']}",
            "/sites",
            f"/sites/{s['site']}",
            "/objects",
            f"/sites/{s['site']}/objects",
            f"/objects/{s['object']}",
            "/tmf",
            f"/sites/{s['site']}/tmf",
            f"/tmf/{s['tmf']}",
            f"/sites/{s['site']}/plans",
            f"/plans/{s['plan']}",
            f"/sites/{s['site']}/assurances",
            f"/assurances/{s['assurance']}",
            f"/assurances/{s['assurance']}/balance",
            f"/sites/{s['site']}/monitoring",
            f"/monitoring/{s['monitoring']}",
            f"/sites/{s['site']}/documents",
            f"/documents/{s['document']}",
            f"/sites/{s['site']}/passport",
            "/ledger/verify",
            *(f"/ledger/proof/{seq}" for seq in s["seqs"]),
            "/stats/aggregate",
            f"/territories/{ids['territory']}/land-use-indicators",
        ]

    def created(self, path: str, body: Any, who: str) -> dict[str, Any]:
        """POST and insist on 201 Created; return the JSON."""
        response = self.post(path, body, who)
        assert response.status_code == 201, (path, response.status_code, response.text)
        out: dict[str, Any] = response.json()
        return out


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Api:
    keys_dir = tmp_path / "keys"
    with session_scope(db_url) as session:
        a = insert_operator(session, name="Kuzbass Coal LLC", tax_id="4200000001")
        b = insert_operator(session, name="Abaza Ore JSC", tax_id="1900000002")
        tokens = {
            "admin": create_token(session, "admin"),
            "regulator": create_token(session, "regulator"),
            "public": create_token(session, "public"),
            "operator_a": create_token(session, "operator", a.id),
            "operator_b": create_token(session, "operator", b.id),
        }
        operators = {"a": a.id, "b": b.id}
    client = TestClient(create_app(db_url, keys_dir))
    return Api(client, db_url, keys_dir, tokens, operators)


def _square(lon: float, lat: float, size: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def populate_site(api: Api, letter: str, territory_id: int, lon: float) -> dict[str, Any]:
    """Write one site's whole life through the API; return the ids."""
    op = f"operator_{letter}"
    site = api.created(
        "/sites",
        {
            "name": f"Open pit {letter.upper()}",
            "region": "Kemerovo" if letter == "a" else "Khakassia",
            "territory_id": territory_id,
            "licence": f"KEM 0000{letter} TE",
            "mineral": "coal",
            "typology": "brownfield",
            "geometry": _square(lon, 54.0, 0.1),
            "registered_on": "2020-01-10",
        },
        op,
    )
    sid = site["id"]
    obj = api.created(
        f"/sites/{sid}/objects",
        {
            "kind": "external-dump",
            "name": f"Dump {letter.upper()}",
            "geometry": _square(lon + 0.01, 54.01, 0.02),
            "volume_m3": 2.5e6,
            "state_on": "2020-02-01",
        },
        op,
    )
    tmf = api.created(
        f"/sites/{sid}/tmf",
        {
            "name": f"Overburden {letter.upper()}",
            "tmf_class": "mining",
            "mass_t": 4.2e6,
            "hazard_class": 5,
            "year": 2024,
            "object_id": obj["id"],
            "composition": {"SiO2": 0.6, "Fe2O3": 0.05},
        },
        op,
    )
    act = api.created(
        f"/sites/{sid}/documents",
        {
            "kind": "acceptance-act",
            "title": f"Act 12/{letter} of the technical stage",
            "uri": f"archive://acts/{letter}/12",
            "issued_on": "2024-06-01",
            "content_base64": "YWN0",
        },
        op,
    )
    plan = api.created(
        f"/sites/{sid}/plans",
        {"project_toml": fast_project_text(), "submitted_on": "2025-03-01"},
        op,
    )
    computed = api.post(f"/plans/{plan['id']}/compute", None, op)
    assert computed.status_code == 200, computed.text
    approved = api.post(f"/plans/{plan['id']}/approve", {"approved_on": "2025-04-15"}, "regulator")
    assert approved.status_code == 200, approved.text
    assurance = api.created(
        f"/sites/{sid}/assurances",
        {"required_rub": 1_000_000.0, "required_on": "2021-01-01"},
        "regulator",
    )
    deposit = api.created(
        f"/assurances/{assurance['id']}/deposits",
        {"amount_rub": 600_000.0, "transacted_on": "2021-01-15"},
        op,
    )
    stage = api.created(
        f"/objects/{obj['id']}/stages",
        {
            "state": "technical-stage",
            "changed_on": "2024-06-01",
            "document_id": act["id"],
            "milestone": "technical stage",
        },
        "regulator",
    )
    monitoring = api.created(
        f"/sites/{sid}/monitoring",
        {
            "parameter": "dust_pm10",
            "value": 0.04,
            "unit": "mg/m³",
            "criteria_met": True,
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "source": "site laboratory",
            "object_id": obj["id"],
        },
        op,
    )
    release = api.created(
        f"/assurances/{assurance['id']}/releases",
        {
            "amount_rub": 200_000.0,
            "transacted_on": "2024-07-01",
            "milestone": "technical stage",
            "evidence_document_id": act["id"],
        },
        "regulator",
    )
    return {
        "site": sid,
        "object": obj["id"],
        "tmf": tmf["id"],
        "document": act["id"],
        "plan": plan["id"],
        "assurance": assurance["id"],
        "deposit": deposit["id"],
        "stage": stage["id"],
        "monitoring": monitoring["id"],
        "release": release["id"],
    }


@pytest.fixture
def world(api: Api) -> Api:
    territory = api.created(
        "/territories",
        {
            "name": "Kemerovo mining district",
            "region": "Kemerovo",
            "geometry": _square(86.0, 54.0, 1.0),
            "sanitary_zone_area_ha": 12_000.0,
        },
        "regulator",
    )
    api.ids["territory"] = territory["id"]
    api.ids["a"] = populate_site(api, "a", territory["id"], 86.1)
    api.ids["b"] = populate_site(api, "b", territory["id"], 86.5)
    with session_scope(api.db_url) as session:
        entries = session.execute(select(LedgerEntry.seq, LedgerEntry.site_id)).all()
    for letter in ("a", "b"):
        site_id = api.ids[letter]["site"]
        api.ids[letter]["seqs"] = sorted(seq for seq, sid in entries if sid == site_id)
    return api
