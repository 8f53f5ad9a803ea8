"""The first schema: clients, sites, assessments, their areas, hosts, findings and documents.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
        sa.UniqueConstraint("key", name="uq_clients_key"),
    )
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], ondelete="CASCADE",
                                name="fk_sites_client_id_clients"),
        sa.PrimaryKeyConstraint("id", name="pk_sites"),
        sa.UniqueConstraint("client_id", "key", name="uq_sites_client_id"),
    )
    op.create_index("ix_sites_client_id", "sites", ["client_id"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("quarter", sa.String(7), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("overall_score", sa.Float(), nullable=True),
        sa.Column("overall_band", sa.String(60), nullable=False),
        sa.Column("verdict", sa.String(40), nullable=False),
        sa.Column("verdict_label", sa.String(200), nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("findings_schema_version", sa.String(20), nullable=False),
        sa.Column("inventory_schema_version", sa.String(20), nullable=False),
        sa.Column("profile", sa.String(60), nullable=False),
        sa.Column("host_count", sa.Integer(), nullable=False),
        sa.Column("open_count", sa.Integer(), nullable=False),
        sa.Column("secrets_removed", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], ondelete="CASCADE",
                                name="fk_assessments_client_id_clients"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE",
                                name="fk_assessments_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
        sa.UniqueConstraint("site_id", "content_sha256", name="uq_assessments_site_id"),
    )
    op.create_index("ix_assessments_client_taken", "assessments", ["client_id", "taken_at"])
    op.create_index("ix_assessments_site_taken", "assessments", ["site_id", "taken_at"])
    op.create_index("ix_assessments_quarter", "assessments", ["quarter"])
    op.create_table(
        "assessment_areas",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(60), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("band", sa.String(60), nullable=False),
        sa.Column("assessed", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                name="fk_assessment_areas_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("assessment_id", "area", name="pk_assessment_areas"),
    )
    op.create_table(
        "hosts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("asset_key", sa.String(200), nullable=False),
        sa.Column("mac", sa.String(17), nullable=True),
        sa.Column("ip", sa.String(45), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("device_class", sa.String(40), nullable=False),
        sa.Column("vendor", sa.String(200), nullable=False),
        sa.Column("manufacturer", sa.String(200), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("firmware", sa.String(200), nullable=False),
        sa.Column("open_ports", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                name="fk_hosts_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_hosts"),
    )
    op.create_index("ix_hosts_assessment_id", "hosts", ["assessment_id"])
    op.create_index("ix_hosts_mac", "hosts", ["mac"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(250), nullable=False),
        sa.Column("check_id", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("area", sa.String(60), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("asset_key", sa.String(200), nullable=False),
        sa.Column("host_name", sa.String(200), nullable=False),
        sa.Column("ip", sa.String(45), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                name="fk_findings_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_assessment_uid", "findings", ["assessment_id", "uid"])
    op.create_index("ix_findings_uid", "findings", ["uid"])
    op.create_index("ix_findings_check_status", "findings", ["check_id", "status"])
    op.create_table(
        "assessment_documents",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("encoding", sa.String(20), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                name="fk_assessment_documents_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("assessment_id", "kind", name="pk_assessment_documents"),
    )


def downgrade() -> None:
    """Drop every table of the first schema."""
    for table in ("assessment_documents", "findings", "hosts", "assessment_areas",
                  "assessments", "sites", "clients"):
        op.drop_table(table)
