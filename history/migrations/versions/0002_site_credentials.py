"""Site credentials: SNMP communities and v3 users, kept only when asked, encrypted.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the encrypted credentials table."""
    op.create_table(
        "site_credentials",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("summary", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE",
                                name="fk_site_credentials_site_id_sites"),
        sa.PrimaryKeyConstraint("site_id", name="pk_site_credentials"),
    )


def downgrade() -> None:
    """Drop the credentials table."""
    op.drop_table("site_credentials")
