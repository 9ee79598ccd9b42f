"""derived_fact, mart_target, mart_index, mart_trend; mart_gap.derived and tier,
mart_benchmark.tiers; the analysts' views

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from warehouse.views import create_statements, drop_statements

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fact_columns() -> list[sa.Column]:
    return [
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("period_kind", sa.String(8), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("series", sa.String(32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("publisher", sa.String(64), nullable=False),
        sa.Column("document_sha256", sa.String(64), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("vintage", sa.String(16), nullable=False),
        sa.Column("derived", sa.Boolean(), nullable=False),
        sa.Column("updated_run_id", sa.String(64), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "derived_fact",
        *_fact_columns(),
        sa.Column("numerator_value", sa.Float(), nullable=False),
        sa.Column("denominator_value", sa.Float(), nullable=False),
        sa.Column("denominator_period_end", sa.Date(), nullable=False),
        sa.Column("denominator_vintage", sa.String(16), nullable=False),
        sa.Column("denominator_document_sha256", sa.String(64), nullable=False),
        sa.Column("basis", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "indicator", "period_kind", "period_end", "series"),
    )
    op.create_table(
        "mart_target",
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("title_zh", sa.Text(), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("latest_period_end", sa.Date(), nullable=True),
        sa.Column("latest_value", sa.Float(), nullable=True),
        sa.Column("latest_tier", sa.String(16), nullable=True),
        sa.Column("required_growth", sa.Float(), nullable=True),
        sa.Column("observed_growth", sa.Float(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("needed_growth_now", sa.Float(), nullable=True),
        sa.Column("n_points", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("target_id"),
    )
    op.create_table(
        "mart_index",
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("index", sa.Float(), nullable=True),
        sa.Column("n_indicators", sa.Integer(), nullable=False),
        sa.Column("relative_index", sa.Float(), nullable=True),
        sa.Column("relative_to_huainan", sa.Float(), nullable=True),
        sa.Column("benchmark_group", sa.String(64), nullable=False),
        sa.Column("band", sa.String(16), nullable=True),
        sa.Column("band_zh", sa.String(16), nullable=True),
        sa.Column("tiers", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "year"),
    )
    op.create_table(
        "mart_trend",
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("period_kind", sa.String(8), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("derived", sa.Boolean(), nullable=False),
        sa.Column("tier", sa.String(16), nullable=True),
        sa.Column("yoy_growth", sa.Float(), nullable=True),
        sa.Column("cagr_3y", sa.Float(), nullable=True),
        sa.Column("cagr_reason", sa.Text(), nullable=False),
        sa.Column("benchmark", sa.Float(), nullable=True),
        sa.Column("benchmark_growth", sa.Float(), nullable=True),
        sa.Column("growth_basis", sa.String(8), nullable=True),
        sa.Column("years_to_catch_up", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("region_code", "indicator", "period_kind", "period_end"),
    )
    with op.batch_alter_table("mart_gap") as batch:
        batch.add_column(
            sa.Column("derived", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("tier", sa.String(16), nullable=True))
    with op.batch_alter_table("mart_benchmark") as batch:
        batch.add_column(sa.Column("tiers", sa.String(64), nullable=True))
    for statement in create_statements():
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements():
        op.execute(statement)
    with op.batch_alter_table("mart_benchmark") as batch:
        batch.drop_column("tiers")
    with op.batch_alter_table("mart_gap") as batch:
        batch.drop_column("tier")
        batch.drop_column("derived")
    op.drop_table("mart_trend")
    op.drop_table("mart_index")
    op.drop_table("mart_target")
    op.drop_table("derived_fact")
