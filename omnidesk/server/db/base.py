"""The declarative base every feature's tables share, its naming convention and common column types."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    MetaData,
    String,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

BigInt = BigInteger()  # a plain 64-bit column (not a key)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# JSON everywhere; JSONB on PostgreSQL for compact storage and indexing later.
Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Keys are lower-case ASCII; the "C" collation makes a prefix range scan on PostgreSQL mean what it means on SQLite.
KeyText = String(200).with_variant(String(200, collation="C"), "postgresql")
