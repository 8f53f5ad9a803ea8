"""The store's tables as SQLAlchemy 2 typed ORM classes (the schema the migrations build).

One row per client, per site of a client, per assessment, per device of an assessment and per
check result of an assessment, so questions across clients and quarters are plain indexed
queries. The full JSON documents (inventory, findings, interview) are kept beside them, zlib-
compressed, in ``assessment_documents``: they are the record, the other tables are its index.

Every change to these classes needs a migration in ``history/migrations/versions`` (a test
compares the two).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CLIENT_STATUSES = ("prospect", "signed")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back as aware UTC, the same on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware timestamps are converted to UTC; naive ones are taken to be UTC already."""
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """The stored naive UTC value, marked as UTC."""
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """The declarative base; constraint names follow :data:`NAMING` on every backend."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class ClientRow(Base):
    """A client or prospect: the business the consultant audits."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), unique=True)  # casefolded, spaces collapsed
    status: Mapped[str] = mapped_column(String(20), default="prospect")  # CLIENT_STATUSES
    signed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    sites: Mapped[list[SiteRow]] = relationship(back_populates="client")


class SiteRow(Base):
    """One office of a client; a client audited at one address has one site."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("client_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[ClientRow] = relationship(back_populates="sites")


class AssessmentRow(Base):
    """One assessment of one site: when, what it scored, and where it came from."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("site_id", "content_sha256"),
        Index("ix_assessments_client_taken", "client_id", "taken_at"),
        Index("ix_assessments_site_taken", "site_id", "taken_at"),
        Index("ix_assessments_quarter", "quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    quarter: Mapped[str] = mapped_column(String(7))  # "2026-Q1", in the scan's local time
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(20))  # "import" or "scan"
    source_path: Mapped[str] = mapped_column(Text, default="")
    overall_score: Mapped[float | None] = mapped_column(Float)
    overall_band: Mapped[str] = mapped_column(String(60), default="")
    verdict: Mapped[str] = mapped_column(String(40), default="")
    verdict_label: Mapped[str] = mapped_column(String(200), default="")
    tool_version: Mapped[str] = mapped_column(String(40), default="")
    findings_schema_version: Mapped[str] = mapped_column(String(20), default="")
    inventory_schema_version: Mapped[str] = mapped_column(String(20), default="")
    profile: Mapped[str] = mapped_column(String(60), default="")
    host_count: Mapped[int] = mapped_column(Integer, default=0)
    open_count: Mapped[int] = mapped_column(Integer, default=0)  # FindingFacts.open_risk
    secrets_removed: Mapped[int] = mapped_column(Integer, default=0)
    content_sha256: Mapped[str] = mapped_column(String(64))


class AreaScoreRow(Base):
    """The score of one area (firewall, backup …) in one assessment, for per-area trends."""

    __tablename__ = "assessment_areas"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(60), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(60), default="")
    assessed: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class HostRow(Base):
    """One device seen in one assessment."""

    __tablename__ = "hosts"
    __table_args__ = (Index("ix_hosts_mac", "mac"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    asset_key: Mapped[str] = mapped_column(String(200))  # MAC, else first hostname, else IP
    mac: Mapped[str | None] = mapped_column(String(17))
    ip: Mapped[str] = mapped_column(String(45))
    names: Mapped[list[Any]] = mapped_column(JSON)
    display_name: Mapped[str] = mapped_column(String(200))
    device_class: Mapped[str] = mapped_column(String(40))
    vendor: Mapped[str] = mapped_column(String(200), default="")
    manufacturer: Mapped[str] = mapped_column(String(200), default="")
    model: Mapped[str] = mapped_column(String(200), default="")
    firmware: Mapped[str] = mapped_column(String(200), default="")
    open_ports: Mapped[list[Any]] = mapped_column(JSON)  # [{"port", "protocol", "name"}]


class FindingRow(Base):
    """One check result of one assessment (PASS, FAIL, NOT_APPLICABLE or UNKNOWN)."""

    __tablename__ = "findings"
    __table_args__ = (
        Index("ix_findings_assessment_uid", "assessment_id", "uid"),
        Index("ix_findings_uid", "uid"),
        Index("ix_findings_check_status", "check_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(250))
    check_id: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(20))
    area: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    asset_key: Mapped[str] = mapped_column(String(200))
    host_name: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)  # an acceptance in force


class DocumentRow(Base):
    """One of an assessment's JSON documents, as it was imported (secrets removed)."""

    __tablename__ = "assessment_documents"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # inventory, findings …
    encoding: Mapped[str] = mapped_column(String(20))  # "zlib+json"
    body: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))  # of the uncompressed JSON text


class CredentialRow(Base):
    """A site's scan credentials, kept only when the consultant asks, encrypted.

    ``token`` is a Fernet token (AES-128-CBC with HMAC-SHA256) made with a key that is never in
    the database (see :mod:`history.credentials`); ``summary`` says what is inside without the
    secrets ("2 SNMP communities, 1 SNMPv3 user"), so listing them needs no key.
    """

    __tablename__ = "site_credentials"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"),
                                         primary_key=True)
    token: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))  # which key made it (a hash, not the key)
    summary: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
