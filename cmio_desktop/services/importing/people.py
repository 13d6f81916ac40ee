"""Find the people a relationship, assessment or training file names.

A :class:`~cmio_desktop.io.validation.PersonRef` is looked up by its kind: an external ID or an
email (both compared without case), or the exact name as stored; an ``any`` reference tries the
ID, then the email, then the name. A reference that matches nobody, or several people, gives a
reason in plain words instead of an id: imports never create people they cannot find.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.io.validation import PersonRef

S = m.Stakeholder.__table__


class PersonIndex:
    def __init__(self, rows: Iterable[tuple[int, str | None, str | None, str]]) -> None:
        self.names: dict[int, str] = {}
        self.by_id: dict[str, list[int]] = defaultdict(list)
        self.by_email: dict[str, list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for ident, external_id, email, name in rows:
            self.names[ident] = name
            if external_id:
                self.by_id[external_id.casefold()].append(ident)
            if email:
                self.by_email[email.casefold()].append(ident)
            self.by_name[name].append(ident)

    @classmethod
    def load(cls, session: Session) -> PersonIndex:
        stmt = select(S.c.id, S.c.external_id, S.c.email, S.c.name)
        return cls(session.execute(stmt).all())  # type: ignore[arg-type]

    def resolve(self, ref: PersonRef) -> tuple[int | None, str]:
        """``(id, "")`` for the one person ``ref`` names, else ``(None, why not)``."""
        value = ref.value
        if ref.kind == "external_id":
            return _one(
                self.by_id.get(value.casefold()),
                f"no one in the register has the ID “{value}”",
                f"people have the ID “{value}”",
            )
        if ref.kind == "email":
            return _one(
                self.by_email.get(value.casefold()),
                f"no one in the register has the email “{value}”",
                "people share this email; use their ID instead",
            )
        if ref.kind == "name":
            return _one(
                self.by_name.get(value),
                f"no one in the register is named “{value}” (names must match exactly)",
                f"people are named “{value}”; use their ID or email instead",
            )
        for table, what in (
            (self.by_id, "the ID"),
            (self.by_email, "the email"),
            (self.by_name, "the name"),
        ):
            ids = table.get(value if table is self.by_name else value.casefold())
            if ids:
                return _one(ids, "", f"people have {what} “{value}”; use a more specific column")
        return None, f"no one in the register has the ID, email or name “{value}”"

    def name(self, ident: int) -> str:
        return self.names.get(ident, f"#{ident}")


def _one(ids: list[int] | None, missing: str, several: str) -> tuple[int | None, str]:
    if not ids:
        return None, missing
    if len(ids) > 1:
        return None, f"{len(ids)} {several}"
    return ids[0], ""


def ref_field(prefix: str, ref: PersonRef, mapped: frozenset[str]) -> str:
    """The mapped field a reference came from, for the rejection's column."""
    suffix = {"external_id": "_id", "email": "_email", "name": "_name"}.get(ref.kind, "")
    name = prefix + suffix
    return name if name in mapped else prefix
