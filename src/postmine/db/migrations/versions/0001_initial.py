"""Initial registry schema: places, objects, TMF, plans, assurance, monitoring, ledger.

On PostgreSQL it first creates the PostGIS extension (and refuses, naming the package to
install, when the server does not have it) and gives every geometry column a GIST index.
Constraint names are written out in full and marked final with ``op.f`` (the models'
naming convention would otherwise prefix the CHECK names a second time).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from postmine.db.engine import SchemaError
from postmine.db.types import PortableGeometry

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GEOMETRY_TABLES = ("territories", "sites", "disturbance_objects")
_BBOX = ("min_lon", "min_lat", "max_lon", "max_lat")
_OBJECT_STATES = "'disturbed', 'technical-stage', 'biological-stage', 'reclaimed', 'accepted'"


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _create_postgis() -> None:
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    ).first()
    if available is None:
        raise SchemaError(
            "the PostgreSQL server has no PostGIS extension, which the registry needs: "
            "install the package postgresql-15-postgis-3 (apt-get install "
            "postgresql-15-postgis-3, matching the server's major version) and run "
            "`postmine registry init` again"
        )
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _created_at() -> sa.Column[Any]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _money() -> sa.Numeric[float]:
    return sa.Numeric(precision=18, scale=2, asdecimal=False)


def _geometry_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("geom", PortableGeometry(), nullable=True),
        *(sa.Column(c, sa.Float(), nullable=True) for c in _BBOX),
    ]


def _geometry_checks(table: str) -> list[sa.CheckConstraint]:
    all_null = " AND ".join(f"{c} IS NULL" for c in ("geom", *_BBOX))
    all_set = " AND ".join(f"{c} IS NOT NULL" for c in ("geom", *_BBOX))
    return [
        sa.CheckConstraint(f"({all_null}) OR ({all_set})", name=op.f(f"ck_{table}_bbox_with_geom")),
        sa.CheckConstraint(
            "min_lon <= max_lon AND min_lat <= max_lat", name=op.f(f"ck_{table}_bbox_order")
        ),
        sa.CheckConstraint(
            "min_lon >= -180.0 AND min_lon <= 180.0", name=op.f(f"ck_{table}_min_lon_range")
        ),
        sa.CheckConstraint(
            "min_lat >= -90.0 AND min_lat <= 90.0", name=op.f(f"ck_{table}_min_lat_range")
        ),
        sa.CheckConstraint(
            "max_lon >= -180.0 AND max_lon <= 180.0", name=op.f(f"ck_{table}_max_lon_range")
        ),
        sa.CheckConstraint(
            "max_lat >= -90.0 AND max_lat <= 90.0", name=op.f(f"ck_{table}_max_lat_range")
        ),
    ]


def _choice(column: str, values: str, table: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} IN ({values})", name=op.f(f"ck_{table}_{column}_choice"))


def _range(expr: str, column: str, table: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(expr, name=op.f(f"ck_{table}_{column}_range"))


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


# long: generated schema, a released migration creating fourteen tables (kept as issued)
def upgrade() -> None:
    """Create the registry tables (and PostGIS on PostgreSQL)."""
    if _is_postgresql():
        _create_postgis()

    op.create_table(
        "operators",
        _id(),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("tax_id", sa.String(32), nullable=True),
        sa.Column("public_key", sa.Text(), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_operators"),
        sa.UniqueConstraint("name", name="uq_operators_name"),
    )

    t = "territories"
    op.create_table(
        t,
        _id(),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("area_ha", sa.Float(), nullable=False),
        sa.Column("sanitary_zone_area_ha", sa.Float(), nullable=True),
        _created_at(),
        *_geometry_columns(),
        _choice("kind", "'mining-district', 'municipality', 'other'", t),
        _range("area_ha >= 0.0", "area_ha", t),
        _range("sanitary_zone_area_ha >= 0.0", "sanitary_zone_area_ha", t),
        *_geometry_checks(t),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
        sa.UniqueConstraint("name", name=f"uq_{t}_name"),
    )

    t = "sites"
    op.create_table(
        t,
        _id(),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("licence", sa.String(100), nullable=True),
        sa.Column("mineral", sa.String(200), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("typology", sa.String(32), nullable=True),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("area_ha", sa.Float(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        _created_at(),
        *_geometry_columns(),
        _choice(
            "status",
            "'operating', 'suspended', 'closed', 'under-reclamation', 'reclaimed', 'abandoned'",
            t,
        ),
        _choice("typology", "'greenfield', 'greyfield', 'brownfield', 'blackfield'", t),
        _range("area_ha >= 0.0", "area_ha", t),
        *_geometry_checks(t),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territories.id"], name="fk_sites_territory_id_territories"
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name="fk_sites_operator_id_operators"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    for c in ("territory_id", "operator_id", "region"):
        _index(t, c)

    t = "disturbance_objects"
    op.create_table(
        t,
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("area_ha", sa.Float(), nullable=False),
        sa.Column("volume_m3", sa.Float(), nullable=True),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("reclamation_direction", sa.String(32), nullable=True),
        _created_at(),
        *_geometry_columns(),
        _choice(
            "kind",
            "'pit', 'collapse-crater', 'external-dump', 'internal-dump', 'tailings-storage', "
            "'topsoil-store', 'road', 'industrial-site'",
            t,
        ),
        _choice("state", _OBJECT_STATES, t),
        _choice(
            "reclamation_direction",
            "'agricultural', 'forestry', 'water', 'recreational', 'construction', "
            "'sanitary-hygienic'",
            t,
        ),
        _range("area_ha >= 0.0", "area_ha", t),
        _range("volume_m3 >= 0.0", "volume_m3", t),
        *_geometry_checks(t),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=f"fk_{t}_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    for c in ("site_id", "kind"):
        _index(t, c)

    for table in _GEOMETRY_TABLES:
        for c in _BBOX:
            _index(table, c)
        if _is_postgresql():
            op.create_index(f"ix_{table}_geom", table, ["geom"], postgresql_using="gist")

    t = "documents"
    op.create_table(
        t,
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        _created_at(),
        _choice("kind", "'acceptance-act', 'protocol', 'report', 'other'", t),
        sa.CheckConstraint("length(sha256) = 64", name=op.f(f"ck_{t}_sha256_length")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=f"fk_{t}_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    _index(t, "site_id")

    t = "object_states"
    op.create_table(
        t,
        _id(),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("act_reference", sa.String(300), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _created_at(),
        _choice("state", _OBJECT_STATES, t),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["disturbance_objects.id"],
            name=f"fk_{t}_object_id_disturbance_objects",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=f"fk_{t}_document_id_documents"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    _index(t, "object_id")

    t = "tmf"
    op.create_table(
        t,
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("tmf_class", sa.String(32), nullable=False),
        sa.Column("mass_t", sa.Float(), nullable=False),
        sa.Column("volume_m3", sa.Float(), nullable=True),
        sa.Column("hazard_class", sa.Integer(), nullable=False),
        sa.Column("composition", _json(), nullable=False),
        sa.Column("valuable_components", _json(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        _created_at(),
        _choice("tmf_class", "'mining', 'concentration', 'metallurgical'", t),
        _range("mass_t >= 0.0", "mass_t", t),
        _range("volume_m3 >= 0.0", "volume_m3", t),
        _range("hazard_class >= 1 AND hazard_class <= 5", "hazard_class", t),
        _range("year >= 1800 AND year <= 2200", "year", t),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=f"fk_{t}_site_id_sites"),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["disturbance_objects.id"],
            name=f"fk_{t}_object_id_disturbance_objects",
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    for c in ("site_id", "tmf_class"):
        _index(t, c)

    t = "reclamation_plans"
    op.create_table(
        t,
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("project_toml", sa.Text(), nullable=False),
        sa.Column("project_sha256", sa.String(64), nullable=False),
        sa.Column("format_version", sa.Integer(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("result_json", sa.Text(), nullable=True),
        sa.Column("result_postmine_version", sa.String(40), nullable=True),
        sa.Column("result_inputs_sha256", sa.String(64), nullable=True),
        sa.Column("result_computed_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        _range("format_version >= 1", "format_version", t),
        sa.CheckConstraint(
            "length(project_sha256) = 64", name=op.f(f"ck_{t}_project_sha256_length")
        ),
        sa.CheckConstraint(
            "result_json IS NULL OR (result_postmine_version IS NOT NULL "
            "AND result_inputs_sha256 IS NOT NULL AND result_computed_at IS NOT NULL)",
            name=op.f(f"ck_{t}_result_provenance"),
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=f"fk_{t}_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    _index(t, "site_id")

    t = "financial_assurances"
    op.create_table(
        t,
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("required_rub", _money(), nullable=False),
        sa.Column("required_on", sa.Date(), nullable=False),
        _created_at(),
        _range("required_rub >= 0.0", "required_rub", t),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=f"fk_{t}_site_id_sites"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["reclamation_plans.id"], name=f"fk_{t}_plan_id_reclamation_plans"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    _index(t, "site_id")

    t = "assurance_transactions"
    op.create_table(
        t,
        _id(),
        sa.Column("assurance_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount_rub", _money(), nullable=False),
        sa.Column("transacted_on", sa.Date(), nullable=False),
        sa.Column("milestone", sa.String(300), nullable=True),
        sa.Column("evidence_document_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _created_at(),
        _choice("kind", "'deposit', 'release', 'forfeit'", t),
        _range("amount_rub > 0.0", "amount_rub", t),
        sa.CheckConstraint(
            "kind <> 'release' OR milestone IS NOT NULL",
            name=op.f(f"ck_{t}_release_names_milestone"),
        ),
        sa.ForeignKeyConstraint(
            ["assurance_id"],
            ["financial_assurances.id"],
            name=f"fk_{t}_assurance_id_financial_assurances",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_document_id"],
            ["documents.id"],
            name=f"fk_{t}_evidence_document_id_documents",
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    _index(t, "assurance_id")

    t = "monitoring_summaries"
    op.create_table(
        t,
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("parameter", sa.String(200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("criteria_met", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        _created_at(),
        sa.CheckConstraint("period_end >= period_start", name=op.f(f"ck_{t}_period_order")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=f"fk_{t}_site_id_sites"),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["disturbance_objects.id"],
            name=f"fk_{t}_object_id_disturbance_objects",
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    _index(t, "site_id")

    t = "ledger_entries"
    op.create_table(
        t,
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(300), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        _created_at(),
        _range("seq >= 1", "seq", t),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=f"fk_{t}_site_id_sites"),
        sa.PrimaryKeyConstraint("seq", name=f"pk_{t}"),
        sa.UniqueConstraint("entry_hash", name=f"uq_{t}_entry_hash"),
    )
    _index(t, "site_id")

    t = "daily_roots"
    op.create_table(
        t,
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("n_entries", sa.Integer(), nullable=False),
        _created_at(),
        _range("n_entries >= 0", "n_entries", t),
        sa.PrimaryKeyConstraint("day", name=f"pk_{t}"),
    )

    t = "api_tokens"
    op.create_table(
        t,
        _id(),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        _created_at(),
        _choice("role", "'admin', 'regulator', 'operator', 'public'", t),
        sa.CheckConstraint(
            "role <> 'operator' OR operator_id IS NOT NULL",
            name=op.f(f"ck_{t}_operator_token_has_operator"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=f"fk_{t}_operator_id_operators"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
        sa.UniqueConstraint("token_sha256", name=f"uq_{t}_token_sha256"),
    )


def downgrade() -> None:
    """Drop the registry tables (indexes go with them); the PostGIS extension stays."""
    for table in (
        "api_tokens",
        "daily_roots",
        "ledger_entries",
        "monitoring_summaries",
        "assurance_transactions",
        "financial_assurances",
        "reclamation_plans",
        "tmf",
        "object_states",
        "documents",
        "disturbance_objects",
        "sites",
        "territories",
        "operators",
    ):
        op.drop_table(table)
