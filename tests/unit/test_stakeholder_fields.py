"""The stakeholder field registry agrees with the ORM, and every field it declares reaches the
import mapping, the import validation, the round-trip export and the workbook's register sheet
(the register table: tests/ui/test_stakeholder_fields_shown.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Boolean, Integer, String, select, update
from sqlalchemy import Enum as SAEnum

from cmio_desktop import models as m
from cmio_desktop.io.mapping import auto_map, field_specs
from cmio_desktop.io.register_export import REGISTER_HEADERS
from cmio_desktop.io.workbook.layout import HEADER_ROW
from cmio_desktop.services.stakeholders.fields import MAX_LENGTH, FieldError, normalise
from cmio_desktop.services.stakeholders.register_export import export_register
from cmio_desktop.services.workbook.data import export_workbook
from cmio_desktop.stakeholder_fields import FIELDS, WORKBOOK_FIELDS, field

S = m.Stakeholder.__table__
#: Stored columns that are not user fields: keys, bookkeeping and the custom-field bag.
NOT_FIELDS = {"id", "organisation_id", "custom_fields", "created_at", "updated_at", "version"}
TODAY = date(2026, 11, 2)


def test_every_stored_column_is_declared_once_and_agrees_with_the_orm() -> None:
    declared = [f.db_column for f in FIELDS]
    assert len(declared) == len(set(declared))
    assert set(declared) == {c.name for c in S.columns} - NOT_FIELDS
    for spec in FIELDS:
        column = S.c[spec.db_column]
        assert getattr(m.Stakeholder, spec.key).property.columns[0] is column, spec.key
        if spec.enum is not None:
            assert isinstance(column.type, SAEnum) and column.type.enum_class is spec.enum
        elif spec.kind == "flag":
            assert isinstance(column.type, Boolean), spec.key
        elif spec.kind == "score":
            assert isinstance(column.type, Integer), spec.key
        else:
            assert isinstance(column.type, String), spec.key
            assert spec.max_length == column.type.length, spec.key
            assert column.nullable is spec.nullable, spec.key


def test_edit_validation_uses_the_registry_lengths() -> None:
    assert MAX_LENGTH["phone"] == field("phone").max_length == 60
    assert normalise({"phone": "  +1 555 0100 "}) == {"phone": "+1 555 0100"}
    with pytest.raises(FieldError, match="Phone is too long"):
        normalise({"phone": "1" * 61})


def test_every_field_is_importable_by_its_export_header() -> None:
    specs = field_specs("stakeholders")
    mapping = auto_map(list(REGISTER_HEADERS), "stakeholders")
    for spec in FIELDS:
        assert spec.label in REGISTER_HEADERS, spec.key
        assert spec.import_key in specs and specs[spec.import_key].label == spec.label
        assert mapping[spec.import_key] == REGISTER_HEADERS.index(spec.label), spec.key
        for synonym in spec.synonyms:
            assert auto_map([synonym], "stakeholders") == {spec.import_key: 0}, synonym


def test_every_field_reaches_the_export_and_the_workbook(sample_ws, tmp_path: Path) -> None:
    with sample_ws.session() as session:
        session.execute(update(S).where(S.c.id == 1).values(phone="+44 20 7946 0001"))
    with sample_ws.read_session() as session:
        name, phone = session.execute(select(S.c.name, S.c.phone).where(S.c.id == 1)).one()

    export_register(sample_ws, tmp_path / "register.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "register.xlsx").active
    headers = [c.value for c in sheet[1]]
    assert headers[: len(FIELDS)] == [f.label for f in FIELDS]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == name)
    assert row[headers.index("Phone")] == phone

    export_workbook(sample_ws, tmp_path / "book.xlsx", today=TODAY)
    people = openpyxl.load_workbook(tmp_path / "book.xlsx")["Stakeholders"]
    headers = [c.value for c in people[HEADER_ROW]]
    for spec in WORKBOOK_FIELDS:
        assert spec.label in headers, spec.key
    row = next(
        r for r in people.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] == name
    )
    assert row[headers.index("Phone")] == phone
    assert headers.index("Phone") == headers.index("Email") + 1  # after=email


def test_anonymised_workbooks_leave_personal_fields_out(sample_ws, tmp_path: Path) -> None:
    with sample_ws.read_session() as session:
        phones = set(session.scalars(select(S.c.phone).where(S.c.phone != "")))
    assert field("phone").personal and phones
    export_workbook(sample_ws, tmp_path / "anon.xlsx", today=TODAY, anonymised=True)
    book = openpyxl.load_workbook(tmp_path / "anon.xlsx")
    cells = {c for ws in book for row in ws.iter_rows(values_only=True) for c in row}
    assert "Phone" in cells  # the column is there, empty
    assert not phones & cells
