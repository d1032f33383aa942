"""The registry's row operations, one module per entity, and the reads of every record.

Reads (``get_*``, ``list_*``, ``find_*``, ``bbox_query``, ``object_history``,
``assurance_balance``, ``plan_result``) are the public way to look records up. The writes
here (``insert_*``, ``change_site``, ``replace_object_geometry``, ``insert_state_change``,
``set_plan_result``, ``mark_plan_approved``) are the low-level row operations the ledgered
actions of :mod:`postmine.registry.actions` are made of: they leave no trace in the ledger,
so the API, the CLI and the workflows write through the actions, never through these (the
importers of :mod:`postmine.registry.io` use them inside
:func:`~postmine.registry.actions.import_records`, which signs the batch).

============================  ====================================================
module                        records
============================  ====================================================
:mod:`.common`                pages, lookups, checks, geometry, ``as_dict``
:mod:`.operators`             operators (parties operating sites)
:mod:`.territories`           territories (mining districts)
:mod:`.sites`                 sites (mines, licence areas)
:mod:`.objects`               objects of disturbance and their state history
:mod:`.tmf`                   technogenic mineral formations (document 002)
:mod:`.plans`                 reclamation plans and their stored results
:mod:`.assurance`             financial assurances and their movements
:mod:`.documents`             documents by reference and SHA-256
:mod:`.monitoring_summaries`  monitoring summaries
============================  ====================================================
"""

from postmine.registry.records.assurance import (
    AssuranceBalance,
    assurance_balance,
    get_assurance,
    list_assurances,
)
from postmine.registry.records.common import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    NotFoundError,
    Page,
    as_dict,
    check_page,
    paginate,
)
from postmine.registry.records.documents import (
    document_matches,
    get_document,
    list_documents,
    sha256_file,
    sha256_hex,
)
from postmine.registry.records.monitoring_summaries import list_monitoring
from postmine.registry.records.objects import bbox_query, get_object, list_objects, object_history
from postmine.registry.records.operators import find_operator, get_operator, list_operators
from postmine.registry.records.plans import (
    get_plan,
    list_plans,
    plan_result,
    plan_result_is_current,
)
from postmine.registry.records.sites import get_site, list_sites
from postmine.registry.records.territories import get_territory, list_territories
from postmine.registry.records.tmf import get_tmf, list_tmf

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "AssuranceBalance",
    "NotFoundError",
    "Page",
    "as_dict",
    "assurance_balance",
    "bbox_query",
    "check_page",
    "document_matches",
    "find_operator",
    "get_assurance",
    "get_document",
    "get_object",
    "get_operator",
    "get_plan",
    "get_site",
    "get_territory",
    "get_tmf",
    "list_assurances",
    "list_documents",
    "list_monitoring",
    "list_objects",
    "list_operators",
    "list_plans",
    "list_sites",
    "list_territories",
    "list_tmf",
    "object_history",
    "paginate",
    "plan_result",
    "plan_result_is_current",
    "sha256_file",
    "sha256_hex",
]
