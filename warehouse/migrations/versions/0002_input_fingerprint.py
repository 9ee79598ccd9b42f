"""refresh_run.input_fingerprint: what a refresh read (documents and code), to skip a rerun of
identical inputs

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("refresh_run") as batch:
        batch.add_column(sa.Column("input_fingerprint", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("refresh_run") as batch:
        batch.drop_column("input_fingerprint")
