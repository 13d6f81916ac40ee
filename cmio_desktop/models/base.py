"""Declarative base, naming convention and portable column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import CheckConstraint, FetchedValue, MetaData, String, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names: Alembic batch mode on SQLite needs them to alter tables,
# and services translate a violated constraint's name into a sentence for the user.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class VersionedBase(Base):
    """A table whose every row carries a version: 1 when made, raised by one by the database
    on every update whoever makes it (triggers of migration 0005). An edit compares the
    version it showed with the stored one before it writes (``services/conflicts.py``)."""

    __abstract__ = True

    # Not fetched back on update (SQLite's RETURNING predates the trigger's bump): the
    # attribute expires after a flush and the next read loads the bumped value.
    version: Mapped[int] = mapped_column(
        default=1, server_default=text("1"), server_onupdate=FetchedValue()
    )


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def enum_column(enum_cls: type[Enum], name: str) -> SAEnum:
    """A VARCHAR + CHECK enum storing member values (not names); portable to PostgreSQL."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


def score_check(column: str) -> CheckConstraint:
    """1–5 score constraint, named <column>_range."""
    return CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"{column}_range")


TEXT = String(400)
LONG_TEXT = String(4000)
