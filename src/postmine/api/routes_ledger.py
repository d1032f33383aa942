"""Routes of the tamper-evident ledger: verify the whole chain, prove one entry's inclusion.

Verification is open to everyone: the ledger exists so that residents, investors and
authorities can trust a site's history (document 000). An entry's proof shows the entry as
stored; without financial access the amounts (``*_rub``) are left out of its payload (its
``entry_hash`` and signature still commit to them).

Who sees which entry's proof
----------------------------
=====================  =====================================================================
regulator, admin       every entry
public, no token       every entry, without amounts: a site's entries are its public
                       history, and the registry-wide ones (an operator or a territory
                       registered, statistics imported) record what the registry publishes
                       anyway (operators, territories and statistics are public reads)
operator               the entries of its own sites; the registry-wide entries of
                       territories and statistics; its OWN ``operator-registered`` entry. The
                       entries of another operator's sites and another operator's
                       registration are answered 404, as another operator's sites are: an
                       operator token is a credential for the operator's own records
=====================  =====================================================================
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy.orm import Session

from postmine.api.auth import Context, ContextDep
from postmine.api.schemas import InclusionProofOut, VerifyReportOut, without_money
from postmine.registry import actions
from postmine.registry.ledger import REGISTRY_WIDE_KINDS, Keyring
from postmine.registry.records import NotFoundError

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
    responses={
        404: {
            "description": (
                "No such entry, or (to an operator token) an entry of another operator's "
                "site or another operator's registration."
            )
        }
    },
    summary="Inclusion proof of a ledger entry",
)
def proof(
    ctx: ContextDep,
    seq: Annotated[int, Path(ge=1, description="seq of the entry, from 1. [-]")],
) -> dict[str, Any]:
    """Return a ledger entry and the proof that it is included in the Merkle root of its day.

    An operator token sees the entries of its own sites and the registry-wide entries but
    another operator's registration (404 otherwise).
    """
    with ctx.session() as session:
        found = actions.inclusion_proof(session, seq)
        _check_entry_visible(ctx, session, seq, found["entry"])
    if not ctx.principal.financial:
        found["entry"]["payload"] = without_money(found["entry"]["payload"])
    return found


def _check_entry_visible(ctx: Context, session: Session, seq: int, entry: dict[str, Any]) -> None:
    """Answer 404 for an entry the principal may not see (see the module's table)."""
    site_id = entry["site_id"]
    if entry["kind"] in REGISTRY_WIDE_KINDS and site_id is None:
        payload = entry["payload"] if isinstance(entry["payload"], dict) else {}
        own = payload.get("operator_id") == ctx.principal.operator_id
        if ctx.principal.role == "operator" and entry["kind"] == "operator-registered" and not own:
            raise NotFoundError("ledger entry", seq)
        return
    ctx.check_site_of(session, "ledger entry", seq, site_id if isinstance(site_id, int) else None)
