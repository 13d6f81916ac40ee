"""Anonymised exports leak no name (issue 19, item 8): a person's name is planted, in every
form free text writes it, into every free-text field of a workspace; the anonymised workbook
is opened as a zip and every part (sheets, shared strings, charts, defined names, comments,
document properties) is searched for every register person's name forms, email and id."""

from __future__ import annotations

import html
import re
import sqlite3
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from cmio_desktop.sample import generate_sample
from cmio_desktop.services.stakeholders import edits as stakeholders
from cmio_desktop.services.workbook.data import build_workbook_data, export_workbook
from cmio_desktop.store import create_workspace

TODAY = date(2026, 11, 2)
EMAIL = "zebulon.quuxley@riverside.example"
EXTERNAL_ID = "ZQ-90210"
PLANTED = (
    "Zebulon Quuxley's concerns; Dr. Quuxley, Dr Quuxley and Z. Quuxley agreed; "
    "Dr Zebulon Quuxley (QUUXLEY, quuxley, Quuxley’s team) asked Zebulon; "
    f"Course run by Zebulon Quuxley, mail {EMAIL}, staff id {EXTERNAL_ID}"
)
# every free-text column a user types into, exported or not
FREE_TEXT = {
    "organisation": ["name"],
    "initiative": ["name", "description"],
    "phase": ["name"],
    "milestone": ["name"],
    "stakeholder": ["notes"],
    "relationship": ["note"],
    "assessment": ["note", "assessor"],
    "activity": ["title", "owner", "outcome"],
    "activity_audience": ["department"],
    "communication": ["audience", "message", "sender"],
    "training_course": ["name"],
    "risk": ["description", "mitigation", "owner"],
    "decision": ["committee", "decision", "rationale"],
    "request": ["summary", "detail"],
    "golive_criterion": ["name"],
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("planted") / "planted.cmio"
    ws = create_workspace(path, organisation="Riverside Health")
    generate_sample(ws, people=80, seed=5, today=TODAY)
    stakeholders.create_stakeholder(
        ws,
        name="Zebulon Quuxley",
        title="Dr",
        role="physician",
        department="Cardiology",
        email=EMAIL,
        external_id=EXTERNAL_ID,
    )
    ws.close()
    db = sqlite3.connect(path)
    with db:
        for table, columns in FREE_TEXT.items():
            for column in columns:
                db.execute(
                    f'UPDATE "{table}" SET "{column}" = coalesce("{column}", \'\') || \' — \' || ?',
                    (PLANTED,),
                )
        # a unit and a site named after him, as hospitals do
        db.execute(
            "UPDATE stakeholder SET department = 'Quuxley Memorial Ward', site = 'Dr Quuxley "
            "Centre' WHERE id IN (SELECT id FROM stakeholder ORDER BY id LIMIT 5)"
        )
    db.close()
    return path


def _forms_of_everyone(ws) -> dict[str, re.Pattern[str]]:  # noqa: ANN001
    """Every register person's full name, surname, distinctive given name, email and id."""
    register = build_workbook_data(ws, today=TODAY).register
    given = Counter(r.name.split()[0].casefold() for r in register if len(r.name.split()) > 1)
    forms: set[str] = set()
    for r in register:
        words = [w for w in r.name.split() if w.rstrip(".").casefold() not in {"dr", "prof"}]
        forms.add(" ".join(words))
        if len(words) > 1:
            forms.add(words[-1])
            if given[words[0].casefold()] == 1:
                forms.add(words[0])
        forms.update(v for v in (r.email, r.external_id) if v)
    assert {"Zebulon Quuxley", "Quuxley", "Zebulon", EMAIL, EXTERNAL_ID} <= forms
    return {f: re.compile(rf"(?<![\w@.-]){re.escape(f)}(?![\w@-])", re.IGNORECASE) for f in forms}


def test_anonymised_workbook_has_no_name_anywhere(planted: Path, tmp_path: Path) -> None:
    from cmio_desktop.store import open_workspace

    ws = open_workspace(planted)
    try:
        forms = _forms_of_everyone(ws)
        plain = tmp_path / "plain.xlsx"
        export_workbook(ws, plain, today=TODAY)
        out = tmp_path / "anonymised.xlsx"
        export_workbook(ws, out, anonymised=True, today=TODAY)
        keyed = tmp_path / "keyed.xlsx"  # stable pseudonyms (issue 18): no name either
        export_workbook(ws, keyed, anonymised=True, pseudonym_key="kept", today=TODAY)
    finally:
        ws.close()

    # the plain workbook shows the planted text: the fields do reach the sheets
    plain_text = _all_parts(plain)
    assert "Course run by Zebulon Quuxley" in plain_text and "Quuxley Memorial Ward" in plain_text

    parts = _parts(out) | {f"keyed:{name}": text for name, text in _parts(keyed).items()}
    assert any(name.startswith("xl/charts/") for name in parts)
    assert {"xl/workbook.xml", "docProps/core.xml", "docProps/app.xml"} <= set(parts)
    leaks = [
        (name, form)
        for name, text in parts.items()
        for form, pattern in forms.items()
        if pattern.search(text)
    ]
    assert leaks == []
    text = "\n".join(parts.values())
    assert "Course run by Physician" in text  # replaced by the pseudonym, not dropped


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as book:
        return {
            name: html.unescape(book.read(name).decode("utf-8", errors="replace"))
            for name in book.namelist()
        }


def _all_parts(path: Path) -> str:
    return "\n".join(_parts(path).values())


def test_everyday_words_that_are_also_names_stay_as_typed() -> None:
    from cmio_desktop.io.workbook.anonymise import KnownPerson, NameScrubber

    scrub = NameScrubber(
        [KnownPerson("Kwame Hall", "Physician 2"), KnownPerson("May Quuxley", "Nurse 1")]
    )
    assert scrub("Town hall; it may slip") == "Town hall; it may slip"
    assert scrub("Hall, HALL, Dr hall, k. hall, May, quuxley's") == (
        "Physician 2, Physician 2, Physician 2, Physician 2, Nurse 1, Nurse 1's"
    )


def test_only_a_possessive_or_an_id_mentions_the_person() -> None:
    from cmio_desktop.io.workbook.anonymise import anonymise
    from cmio_desktop.io.workbook.data import ActivityRow, RegisterRow, WorkbookData, WorkbookMeta

    person = RegisterRow(
        7, "Zebulon Quuxley", "Dr", "Physician", "Clinical leader", "Cardiology", "Main",
        EMAIL, 3, 3, "Monitor", "Neutral", "Supportive", None, "", "", EXTERNAL_ID,
    )  # fmt: skip
    titles = ["Quuxley's ward round", f"Badge {EXTERNAL_ID.lower()}", f"Ask {EMAIL.upper()}"]
    activities = [
        ActivityRow(t, "Meeting", "", "", "", None, None, "Planned", False) for t in titles
    ]
    data = WorkbookData(
        WorkbookMeta("Org", "Init", TODAY), register=[person], activities=activities
    )
    out = anonymise(data)
    assert [a.title for a in out.activities] == [
        "Physician 1's ward round",
        "Badge Physician 1",
        "Ask Physician 1",
    ]
