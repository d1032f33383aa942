"""Merkle trees of the ledger: daily roots and inclusion proofs.

Independent check: Merkle roots of small trees computed by hand with hashlib (RFC 6962
prefixes, the odd node paired with itself).
"""

import dataclasses
import hashlib

import pytest

from postmine.registry.ledger.entries import compute_entry_hash, entry_day
from postmine.registry.ledger.merkle import (
    daily_roots,
    inclusion_proof,
    merkle_root,
    verify_inclusion,
)


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


LEAVES = [hashlib.sha256(bytes([i])).hexdigest() for i in range(5)]


def test_merkle_root_by_hand():
    a, b, c, d, e = (_h(b"\x00" + bytes.fromhex(x)) for x in LEAVES)
    assert merkle_root(LEAVES[:1]) == a.hex()
    assert merkle_root(LEAVES[:2]) == _h(b"\x01" + a + b).hex()
    # Odd level: the last node is paired with itself.
    assert merkle_root(LEAVES[:3]) == _h(b"\x01" + _h(b"\x01" + a + b) + _h(b"\x01" + c + c)).hex()
    ab, cd, ee = _h(b"\x01" + a + b), _h(b"\x01" + c + d), _h(b"\x01" + e + e)
    abcd, eeee = _h(b"\x01" + ab + cd), _h(b"\x01" + ee + ee)
    assert merkle_root(LEAVES) == _h(b"\x01" + abcd + eeee).hex()


def test_merkle_domain_separation():
    # Without the 0x00/0x01 prefixes an inner node could be presented as a leaf.
    a, b, c, d = (_h(b"\x00" + bytes.fromhex(x)) for x in LEAVES[:4])
    ab, cd = _h(b"\x01" + a + b), _h(b"\x01" + c + d)
    root = merkle_root(LEAVES[:4])
    assert verify_inclusion(LEAVES[0], [(b.hex(), "right"), (cd.hex(), "right")], root)
    assert not verify_inclusion(ab.hex(), [(cd.hex(), "right")], root)
    assert merkle_root(LEAVES[:1]) != LEAVES[0]


@pytest.mark.parametrize(("hashes", "match"), [([], "at least one"), (["AB" * 32], "lowercase")])
def test_merkle_root_bad_input(hashes, match):
    with pytest.raises(ValueError, match=match):
        merkle_root(hashes)


def test_inclusion_proof_for_every_entry(chain):
    by_day = daily_roots(chain)
    for entry in chain:
        proof = inclusion_proof(chain, entry.seq)
        assert verify_inclusion(entry.entry_hash, proof, by_day[entry_day(entry)])


def test_inclusion_proof_fails_for_tampered_entry(chain):
    by_day = daily_roots(chain)
    entry = chain[17]
    root = by_day[entry_day(entry)]
    proof = inclusion_proof(chain, entry.seq)
    tampered = dataclasses.replace(entry, payload={**entry.payload, "title": "Протокол 2"})
    assert not verify_inclusion(compute_entry_hash(tampered), proof, root)
    assert not verify_inclusion(chain[16].entry_hash, proof, root)  # another entry
    flipped = [(h, "left" if s == "right" else "right") for h, s in proof]
    assert not verify_inclusion(entry.entry_hash, flipped, root)
    other_day = by_day[entry_day(chain[0])]
    assert not verify_inclusion(entry.entry_hash, proof, other_day)


def test_inclusion_proof_bad_input(chain):
    with pytest.raises(ValueError, match=r"no entry with seq 99; the ledger holds seq 1\.\.50"):
        inclusion_proof(chain, 99)
    with pytest.raises(ValueError, match="side must be 'left' or 'right', got 'up'"):
        verify_inclusion(LEAVES[0], [(LEAVES[1], "up")], LEAVES[2])
