"""The customers feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt, Json, KeyText


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    language: Mapped[str | None] = mapped_column(String(64))
    segment: Mapped[str | None] = mapped_column(String(64))
    tags: Mapped[list[str] | None] = mapped_column(Json)
    attributes: Mapped[dict[str, Any] | None] = mapped_column(Json)
    # Set on the losing side of a merge (the row stays, so an unmerge can bring it back exactly). No foreign key:
    # SQLite cannot add or drop one without copying the table, and customers are never deleted.
    merged_into_id: Mapped[int | None] = mapped_column(BigInt, index=True)


class CustomerKey(Base):
    """Lookup keys of a customer: duplicate blocking keys (``duplicates.blocking_keys``) and, prefixed ``q:``, the
    script-neutral name keys the search matches by prefix. Rewritten whenever the name or identities change."""

    __tablename__ = "customer_keys"

    key: Mapped[str] = mapped_column(KeyText, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CustomerFieldChange(Base):
    """History of a profile field: edits, and the values that lost in a merge (nothing is wiped silently)."""

    __tablename__ = "customer_field_history"
    __table_args__ = (Index("ix_customer_field_history_customer", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[Any] = mapped_column(Json, nullable=True)
    new_value: Mapped[Any] = mapped_column(Json, nullable=True)
    source: Mapped[str] = mapped_column(String(16))  # edit, merge, unmerge, create
    merge_id: Mapped[int | None] = mapped_column(BigInt)
    user_id: Mapped[int | None] = mapped_column(BigInt)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Identity(Base):
    """One identifier of a customer (phone, e-mail, messenger account…), unique per kind in normalised form."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identities_kind_value"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
