"""Routes of the tamper-evident ledger: verify the whole chain, prove one entry's inclusion.

Verification is open to everyone: the ledger exists so that residents, investors and
authorities can trust a site's history (document 000). An entry's proof shows the entry as
stored; without financial access the amounts (``*_rub``) are left out of its payload (its
``entry_hash`` and signature still commit to them), and an operator token sees only the
entries of its own sites.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from postmine.api.auth import ContextDep
from postmine.api.schemas import InclusionProofOut, VerifyReportOut, without_money
from postmine.registry import actions
from postmine.registry.ledger import Keyring

__all__ = ["router"]

router = APIRouter(tags=["ledger"])


@router.get("/ledger/verify", response_model=VerifyReportOut, summary="Verify the ledger")
def verify(
    ctx: ContextDep,
    trusted: Annotated[
        bool,
        Query(
            description=(
                "Also check that every entry is signed by a key of the server's keyring "
                "(entries signed by other keys are named 'untrusted-key')."
            )
        ),
    ] = False,
) -> dict[str, Any]:
    """Verify the whole ledger: hashes, signatures, links, order, daily roots and releases.

    Each problem names the entry by ``seq`` and ``kind`` with a code of
    ``postmine.registry.ledger.PROBLEM_CODES``.
    """
    keys = None
    if trusted:
        keys = list(Keyring(actions.resolve_keys_dir(ctx.config.keys_dir)).public_keys().values())
    with ctx.session() as session:
        report = actions.verify_registry(session, trusted_keys=keys)
    return report.as_dict()


@router.get(
    "/ledger/proof/{seq}",
    response_model=InclusionProofOut,
    responses={404: {"description": "No such entry, or an entry of another operator's site."}},
    summary="Inclusion proof of a ledger entry",
)
def proof(
    ctx: ContextDep,
    seq: Annotated[int, Path(ge=1, description="seq of the entry, from 1. [-]")],
) -> dict[str, Any]:
    """Return a ledger entry and the proof that it is included in the Merkle root of its day."""
    with ctx.session() as session:
        found = actions.inclusion_proof(session, seq)
        site_id = found["entry"]["site_id"]
        ctx.check_site_of(
            session, "ledger entry", seq, site_id if isinstance(site_id, int) else None
        )
    if not ctx.principal.financial:
        found["entry"]["payload"] = without_money(found["entry"]["payload"])
    return found
