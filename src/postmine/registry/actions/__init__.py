"""Write actions of the registry: every change of a passport, with its signed ledger entry.

Each function here makes one change of the registry with the row operations of
:mod:`postmine.registry.records` and appends the ledger entry that records it
(:mod:`postmine.registry.ledger`), signed by the acting party, in the SAME transaction:
either both are stored or neither. These are the registry's only write verbs: the API, the
CLI, the importers and the workflows write through them; reads are the plain functions of
:mod:`postmine.registry.records`.

Modules: :mod:`.base` (actors, keys, the append), :mod:`.sites` (operators, territories,
sites), :mod:`.objects` (objects, TMF, stages, imports), :mod:`.plans`, :mod:`.assurance`,
:mod:`.documents` (documents and monitoring results), :mod:`.statistics` (published
statistics), :mod:`.checking` (verify, seal, prove).

Every action appends exactly one entry (an import of the sample statistics one per file),
of a kind of :data:`postmine.registry.ledger.ENTRY_KINDS` whose payload rules
(:mod:`postmine.registry.ledger.kinds`) it keeps. A site's entries carry the site's
``sites.id``; operators, territories and statistics belong to no site, and their entries
are registry-wide (``site_id`` None).

==============================  ===========================  ===================================
action                          ledger ``kind``              payload (besides the entry's
                                                             ``site_id``)
==============================  ===========================  ===================================
:func:`register_operator`       ``operator-registered``      operator_id, name, tax_id,
                                (registry-wide)              public_key
:func:`register_territory`      ``territory-registered``     territory_id, name, region, kind,
                                (registry-wide)              area_ha, sanitary_zone_area_ha,
                                                             geometry
:func:`import_statistics`       ``statistics-imported``      file (its name), sha256 (of its
                                (registry-wide)              bytes), n_rows (written), inserted,
                                                             replaced, on_conflict, source
:func:`register_site`           ``created``                  ``entity: "site"``, ``site_id``,
                                                             name, region, status, typology,
                                                             territory_id, operator_id, licence,
                                                             mineral, area_ha, registered_on,
                                                             geometry
:func:`update_site`             ``site-updated``             ``changed`` (field names), the
                                                             site's fields as in register_site
                                                             (without ``entity``)
:func:`add_object`              ``created``                  ``entity: "object"``,
                                                             ``object_id``, kind, name, area_ha,
                                                             volume_m3, state, state_on,
                                                             act_reference,
                                                             reclamation_direction, geometry
:func:`change_object_state`     ``object-state-changed``     object_id, previous_state, state,
                                                             changed_on, state_change_id,
                                                             act_reference, document_id, note
:func:`set_object_geometry`     ``object-geometry-changed``  object_id, area_ha, geometry
:func:`add_tmf`                 ``created``                  ``entity: "tmf"``, ``tmf_id``,
                                                             object_id, name, tmf_class, mass_t,
                                                             volume_m3, hazard_class, year,
                                                             composition, valuable_components,
                                                             recorded_on
:func:`import_records`          ``created``                  ``import``: the file's SHA-256, the
                                                             kind of records and the new rows'
                                                             ids
:func:`store_submitted_plan`    ``created``                  ``entity: "plan"``, ``plan_id``,
                                                             title, format_version,
                                                             project_sha256,
                                                             project_toml_sha256, submitted_on
:func:`store_plan_result`       ``plan-computed``            plan_id, result_sha256,
                                                             postmine_version, inputs_sha256,
                                                             computed_at
:func:`approve_plan`            ``plan-approved``            plan_id, title, project_sha256,
                                                             approved_on
:func:`create_assurance`        ``created``                  ``entity: "assurance"``,
                                                             ``assurance_id``, plan_id,
                                                             required_rub, required_on
:func:`record_document`         ``document-recorded``        document_id, kind, title, uri,
                                                             sha256, issued_on
:func:`accept_stage`            ``stage-accepted``           object_id, object_kind,
                                                             object_name, previous_state, state,
                                                             changed_on, state_change_id,
                                                             milestone, acceptance_act
                                                             {document_id, reference (the act's
                                                             title), uri, sha256, issued_on}
:func:`record_monitoring`       ``monitoring-summary``       monitoring_id, object_id,
                                                             parameter, value, unit,
                                                             criteria_met, period_start,
                                                             period_end, source, milestone (if
                                                             given)
:func:`pay_deposit`             ``deposit-paid``             assurance_id, transaction_id,
                                                             amount_rub, transacted_on,
                                                             evidence_document_id, note,
                                                             held_rub (held after it)
:func:`release`                 ``release``                  as a deposit, with milestone and
                                                             evidence_seq (the entry proving it)
:func:`forfeit`                 ``forfeit``                  as a deposit
==============================  ===========================  ===================================

Ledgers written before the dedicated kinds existed recorded a site's update, an object's
change of state or geometry and a plan's result as ``created`` entries with ``entity`` and
``change`` fields, and no entry for operators and territories; those entries keep their
kind, hash and signature and verify as before.

Payloads keep ids and amounts (``amount_rub``, ``required_rub``): the public view of a
passport hides money, the ledger does not. Dates are ISO strings; a geometry is committed
to by its type, its bounding box (``bbox_deg``: west, south, east, north) and the SHA-256 of
its little-endian WKB (``wkb_sha256``); a project file by its hashes.

Transactions
------------
Every action takes the caller's :class:`~sqlalchemy.orm.Session`, flushes and never
commits (commit with :func:`postmine.db.session_scope`). It first makes its
transaction the only ledger writer (:meth:`DatabaseLedgerStore.lock
<postmine.registry.ledger.store.DatabaseLedgerStore.lock>`: a table lock on PostgreSQL,
SQLite's write lock), then runs the row operations and the append inside a SAVEPOINT: if
anything fails (a value out of range, a release without evidence, a conflict) the
action's rows are rolled back and the exception propagates, so nothing of it is stored
even if the caller goes on and commits. The next entry's ``seq`` and ``prev_hash`` are
taken from the last stored entry (``ORDER BY seq DESC LIMIT 1``) under that lock; the
primary key on ``seq`` is the last line of defence against a fork.

An entry's time is ``now`` (default: the current UTC time). It may not run backwards
(:func:`postmine.registry.ledger.append`) nor fall on a day already sealed
(:func:`seal_days`).

Releases
--------
:func:`release` is refused with a :class:`ValueError` naming the evidence needed (and
nothing is stored) unless the milestone's evidence is in the site's chain before it: a
``stage-accepted`` entry of that milestone whose acceptance act is a registered document
of kind ``acceptance-act`` (:func:`accept_stage` records one), or a
``monitoring-summary`` entry of that milestone with ``criteria_met`` true
(:func:`record_monitoring` with ``milestone=``); see
:func:`postmine.registry.assurance_rules.check_release_allowed`. The evidence entry must still match
its hash and signature.

Keys
----
An :class:`Actor` is a name and an Ed25519 private key. :func:`actor_from_keyring` loads
``<name>.pem`` from a key directory (``keys_dir``, else ``$POSTMINE_KEYS``, else
``~/.postmine/keys``) and creates the key pair on first use
(:class:`postmine.registry.ledger.Keyring`).

Examples
--------
>>> import tempfile
>>> from datetime import date
>>> from postmine import db
>>> tmp = tempfile.mkdtemp()
>>> url = f"sqlite:///{tmp}/registry.sqlite"
>>> _ = db.init_db(url)
>>> regulator = actor_from_keyring("regulator", f"{tmp}/keys")
>>> with db.session_scope(url) as session:
...     site = register_site(session, regulator, name="Abaza mine", region="Khakassia",
...                          registered_on=date(2024, 1, 10))
...     assurance = create_assurance(session, regulator, site_id=site.id,
...                                  required_rub=2_500_000.0, required_on=date(2024, 1, 10))
...     deposit = pay_deposit(session, regulator, assurance.id, amount_rub=1_000_000.0,
...                           transacted_on=date(2024, 1, 20))
>>> with db.session_scope(url) as session:
...     report = verify_registry(session, trusted_keys=[regulator.public_key])
>>> report.ok, report.n_entries
(True, 3)
"""

from postmine.registry.actions.assurance import create_assurance, forfeit, pay_deposit, release
from postmine.registry.actions.base import (
    KEYS_ENV_VAR,
    Actor,
    actor_from_keyring,
    resolve_keys_dir,
)
from postmine.registry.actions.checking import inclusion_proof, seal_days, verify_registry
from postmine.registry.actions.documents import record_document, record_monitoring
from postmine.registry.actions.objects import (
    accept_stage,
    add_object,
    add_tmf,
    change_object_state,
    import_records,
    set_object_geometry,
)
from postmine.registry.actions.plans import approve_plan, store_plan_result, store_submitted_plan
from postmine.registry.actions.sites import (
    register_operator,
    register_site,
    register_territory,
    update_site,
)
from postmine.registry.actions.statistics import import_sample_statistics, import_statistics

__all__ = [
    "KEYS_ENV_VAR",
    "Actor",
    "accept_stage",
    "actor_from_keyring",
    "add_object",
    "add_tmf",
    "approve_plan",
    "change_object_state",
    "create_assurance",
    "forfeit",
    "import_records",
    "import_sample_statistics",
    "import_statistics",
    "inclusion_proof",
    "pay_deposit",
    "record_document",
    "record_monitoring",
    "register_operator",
    "register_site",
    "register_territory",
    "release",
    "resolve_keys_dir",
    "seal_days",
    "set_object_geometry",
    "store_plan_result",
    "store_submitted_plan",
    "update_site",
    "verify_registry",
]
