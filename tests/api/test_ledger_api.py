"""The ledger's routes and the registry-wide entries: who sees which entry's proof.

The ``world`` (``tests/api/conftest.py``) registers its territory through the API, so the
ledger's first entry is a registry-wide ``territory-registered`` entry (``site_id`` null).
Here an operator is registered through the API too, given a token of its own, and a
statistics table is imported through the registry's action: regulators and the public see
every registry-wide entry, an operator sees territories, statistics and its OWN
registration, and another operator's registration is answered 404 like another operator's
site.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, text

from postmine.db import get_engine, session_scope
from postmine.registry import actions
from postmine.registry.models import LedgerEntry


def _registry_wide(world) -> dict[str, int]:
    """Register operator C (with its token) and import statistics; return seq by kind."""
    operator_c = world.created(
        "/operators", {"name": "Khakas Coal LLC", "tax_id": "1900000003"}, "regulator"
    )
    token = world.created("/tokens", {"role": "operator", "operator_id": operator_c["id"]}, "admin")
    world.tokens["operator_c"] = token["token"]
    world.operators["c"] = operator_c["id"]
    table = world.keys_dir.parent / "waste.csv"
    table.write_text(
        "dataset,region,year,indicator,name,value,unit\n"
        "002-table-2,Kostanay,2019,hazardous_waste_stock,Stock,1156195.5,thousand t\n",
        encoding="utf-8",
    )
    registry = actions.actor_from_keyring("regulator", world.keys_dir)
    with session_scope(world.db_url) as session:
        actions.import_statistics(session, registry, table, now=dt.datetime.now(dt.UTC))
    with session_scope(world.db_url) as session:
        rows = session.execute(
            select(LedgerEntry.kind, LedgerEntry.seq).where(LedgerEntry.site_id.is_(None))
        ).all()
    return {row.kind: row.seq for row in rows}


def _proof(world, seq: int, who: str | None) -> Any:
    return world.get(f"/ledger/proof/{seq}", who)


def test_registry_wide_entries_are_proved_with_a_null_site(world):
    seqs = _registry_wide(world)
    assert set(seqs) == {"territory-registered", "operator-registered", "statistics-imported"}
    assert seqs["territory-registered"] == 1  # the world's territory, before its sites
    for kind, seq in seqs.items():
        proof = _proof(world, seq, "regulator").json()
        assert (proof["entry"]["kind"], proof["entry"]["site_id"]) == (kind, None)
        assert proof["verified"]
    operator = _proof(world, seqs["operator-registered"], "regulator").json()["entry"]
    assert operator["payload"]["operator_id"] == world.operators["c"]
    assert operator["payload"]["name"] == "Khakas Coal LLC"
    assert operator["actor"] == "regulator"
    report = world.get("/ledger/verify").json()
    assert report["ok"], report["problems"]


def test_who_sees_which_registry_wide_entry(world):
    seqs = _registry_wide(world)
    everyone = ("regulator", "admin", "public", None)
    for who in everyone:
        for seq in seqs.values():
            assert _proof(world, seq, who).status_code == 200, (who, seq)
    # operators: territories and statistics, and only their own registration
    for who in ("operator_a", "operator_b", "operator_c"):
        for kind in ("territory-registered", "statistics-imported"):
            assert _proof(world, seqs[kind], who).status_code == 200, (who, kind)
    registration = seqs["operator-registered"]
    assert _proof(world, registration, "operator_c").status_code == 200
    for who in ("operator_a", "operator_b"):
        response = _proof(world, registration, who)
        assert response.status_code == 404, who
        assert response.json() == {"detail": f"ledger entry {registration} not found"}
    # and still none of another operator's sites
    other_site_entry = world.ids["b"]["seqs"][0]
    assert _proof(world, other_site_entry, "operator_a").status_code == 404
    assert _proof(world, other_site_entry, "operator_c").status_code == 404
    assert _proof(world, world.ids["a"]["seqs"][0], "operator_a").status_code == 200


def test_registry_wide_entries_hold_no_money(world):
    seqs = _registry_wide(world)
    for seq in seqs.values():
        payload = _proof(world, seq, "regulator").json()["entry"]["payload"]
        assert not [key for key in payload if key.endswith("_rub")], payload
        assert _proof(world, seq, "public").json()["entry"]["payload"] == payload


def test_a_tampered_registry_wide_entry_is_named_by_verify(world):
    seqs = _registry_wide(world)
    seq = seqs["operator-registered"]
    with get_engine(world.db_url).begin() as connection:
        connection.execute(
            text(
                "UPDATE ledger_entries SET payload_json = replace(payload_json, "
                "'Khakas Coal LLC', 'Khakas Coal PLC') WHERE seq = :seq"
            ),
            {"seq": seq},
        )
    report = world.get("/ledger/verify").json()
    assert not report["ok"]
    assert [(p["seq"], p["kind"], p["code"]) for p in report["problems"]] == [
        (seq, "operator-registered", "hash-mismatch")
    ]
