"""The chain the ledger tests share: 50 entries of three sites over five UTC days.

Signed by two actors (keys derived from their names, so the chain is the same on every
run), it holds every kind of entry, releases each after its milestone's evidence, and
payloads with non-ASCII text, floats and nested values.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from postmine.registry.assurance_rules import ASSURANCE_RULES
from postmine.registry.ledger import DailyRoot, Entry, append, daily_root_records


def signing_key(name: str) -> Ed25519PrivateKey:
    """The fixed key of an actor of the tests."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())


OPERATOR = signing_key("operator")
REGULATOR = signing_key("regulator")
START = dt.datetime(2024, 5, 6, 8, 0, tzinfo=dt.UTC)
N_ENTRIES = 50
PER_DAY = 10


def acceptance_act(number: int) -> dict:
    """A document reference of an acceptance act: its title and SHA-256."""
    text = f"Акт приёмки №{number}"
    return {"reference": text, "sha256": hashlib.sha256(text.encode()).hexdigest()}


def entry_spec(i: int) -> tuple[str, str, dict, Ed25519PrivateKey, str]:
    """Site, kind, payload, key and actor of entry i (0-based): a varied but fixed history."""
    site = f"site-{i % 3 + 1:02d}"
    if i < 3:
        return site, "created", {"name": f"Участок {i}", "area_ha": 12.75 + i}, OPERATOR, "op"
    if i < 6:
        plan = {"project": f"plan-{i}.toml", "volume_m3": [1.5e6, 2e-3, 7], "ok": True}
        return site, "plan-approved", plan, REGULATOR, "regulator"
    step = (i - 6) % 8
    milestone = f"stage-{(i - 6) // 8}"
    if step == 0:
        return site, "deposit-paid", {"amount_rub": 1_250_000.5 + i}, OPERATOR, "op"
    if step == 1:
        doc = {"document": acceptance_act(i), "title": "Протокол"}
        return site, "document-recorded", doc, OPERATOR, "op"
    if step == 2:
        payload = {"milestone": milestone, "acceptance_act": acceptance_act(i)}
        return "site-01", "stage-accepted", payload, REGULATOR, "regulator"
    if step == 3:
        payload = {"milestone": milestone, "amount_rub": 400_000}
        return "site-01", "release", payload, REGULATOR, "regulator"
    if step == 4:
        payload = {"milestone": milestone, "criteria_met": False, "ndvi": 0.31}
        return "site-02", "monitoring-summary", payload, OPERATOR, "op"
    if step == 5:
        payload = {"milestone": milestone, "criteria_met": True, "ndvi": 0.62}
        return "site-02", "monitoring-summary", payload, OPERATOR, "op"
    if step == 6:
        payload = {"milestone": milestone, "amount_rub": 150_000.25}
        return "site-02", "release", payload, REGULATOR, "regulator"
    return (
        "site-03",
        "forfeit",
        {"amount_rub": 99_000, "reason": "abandoned"},
        REGULATOR,
        "regulator",
    )


def entry_time(i: int) -> dt.datetime:
    """Time of entry i: PER_DAY entries a day, an hour apart, a few microseconds off."""
    return START + dt.timedelta(days=i // PER_DAY, hours=i % PER_DAY, microseconds=7 * i)


@pytest.fixture(scope="session")
def chain() -> list[Entry]:
    """The 50-entry chain, appended as the registry appends (with its assurance rules)."""
    entries: list[Entry] = []
    for i in range(N_ENTRIES):
        site, kind, payload, key, actor = entry_spec(i)
        moment = entry_time(i)
        entries.append(
            append(entries, site, kind, payload, key, actor, moment, rules=ASSURANCE_RULES)
        )
    return entries


@pytest.fixture(scope="session")
def roots(chain) -> list[DailyRoot]:
    """The daily roots of the chain, with their entry counts."""
    return daily_root_records(chain)


@pytest.fixture(scope="session")
def spec():
    """``entry_spec`` and ``entry_time`` of the chain, for tests that build their own."""
    return entry_spec, entry_time
