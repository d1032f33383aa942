"""Entries of the ledger: canonical bytes, hash, timestamps and the dict form.

Independent check: the entry hash recomputed with hashlib and the standard json module, and
signatures checked with cryptography directly.
"""

import datetime as dt
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from postmine.registry.ledger.entries import (
    Entry,
    canonical_bytes,
    entry_day,
    format_timestamp,
    parse_timestamp,
)


def test_entry_hash_and_signature_recomputed_independently(chain):
    # Entry 1 has no float in its payload except 12.75, which json and RFC 8785 both
    # write as 12.75, and only BMP keys, so the standard json module gives the same bytes.
    entry = chain[0]
    fields = {k: v for k, v in entry.as_dict().items() if k not in ("entry_hash", "signature")}
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_bytes(entry) == text.encode("utf-8")
    expected = hashlib.sha256(bytes(32) + text.encode("utf-8")).hexdigest()
    assert entry.entry_hash == expected
    for e in chain:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(e.public_key))
        public.verify(bytes.fromhex(e.signature), bytes.fromhex(e.entry_hash))  # raises if bad


def test_created_at_is_utc_iso(chain):
    assert chain[0].created_at == "2024-05-06T08:00:00.000000Z"
    assert chain[13].created_at == "2024-05-07T11:00:00.000091Z"
    assert entry_day(chain[13]) == dt.date(2024, 5, 7)


def test_payload_json_round_trip(chain):
    for entry in chain:
        data = entry.as_dict()
        data.pop("payload")
        data["payload_json"] = entry.payload_json
        assert Entry.from_dict(data) == entry


def test_from_dict_names_missing_fields():
    with pytest.raises(ValueError, match=r"lacks the field.*seq.*payload"):
        Entry.from_dict({"site_id": "x"})


def test_format_timestamp_converts_to_utc():
    moment = dt.datetime(2024, 1, 1, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert format_timestamp(moment) == "2023-12-31T18:30:00.000000Z"
    assert format_timestamp(dt.datetime(999, 1, 2, tzinfo=dt.UTC)) == "0999-01-02T00:00:00.000000Z"


@pytest.mark.parametrize(
    "text",
    ["2024-05-06T08:00:00Z", "2024-05-06T08:00:00.000000+00:00", "2024-13-06T08:00:00.000000Z"],
)
def test_parse_timestamp_refuses(text):
    with pytest.raises(ValueError, match="created_at"):
        parse_timestamp(text)
