"""Statistics: published values by dataset, region, year and indicator (002 Tables 1, 2).

Creates the ``statistics`` table of :class:`postmine.registry.statistics_model.Statistic`:
one value per (dataset, region, year, indicator), with its unit and source. Constraint
names are written out in full and marked final with ``op.f``, as in ``0001``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "statistics"


def upgrade() -> None:
    """Create the ``statistics`` table and its indexes."""
    op.create_table(
        _TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(100), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(60), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("year >= 1800 AND year <= 2200", name=op.f("ck_statistics_year_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics")),
        sa.UniqueConstraint(
            "dataset",
            "region",
            "year",
            "indicator",
            name=op.f("uq_statistics_dataset_region_year_indicator"),
        ),
    )
    op.create_index("ix_statistics_region", _TABLE, ["region"])
    op.create_index("ix_statistics_indicator", _TABLE, ["indicator"])


def downgrade() -> None:
    """Drop the ``statistics`` table (its indexes go with it)."""
    op.drop_table(_TABLE)
