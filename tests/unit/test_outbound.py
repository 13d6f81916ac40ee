"""The plan out to the calendar (.ics) and the mail client (.eml drafts), read back for real."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from icalendar import Calendar

from cmio_desktop.analysis.audience_match import AudiencePerson, match_audience
from cmio_desktop.cli import main
from cmio_desktop.io.calendar_file import write_calendar
from cmio_desktop.io.export_target import ExportError
from cmio_desktop.io.mail_drafts import write_drafts
from cmio_desktop.services.plan import activities, communications
from cmio_desktop.services.plan.outbound import calendar_events, mail_drafts


def _events(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_parses_back_and_a_re_export_updates_the_same_events(sample_ws, tmp_path):
    target = tmp_path / "plan.ics"
    export = calendar_events(sample_ws)
    first = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert write_calendar(export, target, now=first) == len(export.events) > 10
    events = _events(target)
    assert len(events) == len(export.events)  # UIDs are unique
    plan = activities.list_activities(sample_ws, 1)
    dated = [a for a in plan if (a.due or a.start) and a.status != "cancelled"]
    kinds = [uid.split("-")[0] for uid in events]
    assert kinds.count("activity") == len(dated)
    some = dated[0]
    event = events[next(u for u in events if u.startswith(f"activity-{some.id}@"))]
    assert str(event["SUMMARY"]) == some.title
    assert event.decoded("DTEND") == (some.due or some.start) + (
        date(2000, 1, 2) - date(2000, 1, 1)
    )
    assert f"({some.audience_size:,} people)" in str(event["DESCRIPTION"])

    activities.update_activity(sample_ws, some.id, {"title": "Renamed session"})
    write_calendar(calendar_events(sample_ws), target, now=datetime(2026, 12, 2, tzinfo=UTC))
    again = _events(target)
    assert set(again) == set(events)  # same UIDs: the calendar updates, never duplicates
    renamed = again[next(u for u in again if u.startswith(f"activity-{some.id}@"))]
    assert str(renamed["SUMMARY"]) == "Renamed session"
    assert int(renamed["SEQUENCE"]) > int(event["SEQUENCE"])


def test_calendar_export_refuses_bad_targets_and_leaves_the_old_file(
    sample_ws, tmp_path, monkeypatch
):
    export = calendar_events(sample_ws)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(ExportError, match="does not exist"):
        write_calendar(export, tmp_path / "missing" / "plan.ics")
    with pytest.raises(ExportError, match=r"saved as a \.ics file"):
        write_calendar(export, tmp_path / "plan.xlsx")
    target = tmp_path / "plan.ics"
    target.write_text("the old calendar")

    def read_only(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    with pytest.raises(ExportError, match="You cannot save files in"):
        write_calendar(export, target)
    assert target.read_text() == "the old calendar"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


def test_cli_calendar_never_replaces_the_workspace(sample_ws, capsys):
    assert main(["calendar", str(sample_ws.path), str(sample_ws.path)]) == 1
    assert "is the open workspace; an export never replaces it" in capsys.readouterr().err
    assert sample_ws.integrity_problems() == []


def test_drafts_are_addressed_from_the_audience_and_list_who_they_miss(sample_ws, tmp_path):
    from cmio_desktop.services.stakeholders import edits

    nurse = next(
        p for p in (edits.get_stakeholder(sample_ws, i) for i in range(1, 60)) if p.role == "nurse"
    )
    edits.update_stakeholder(sample_ws, nurse.id, email="")
    board = {"audience": "Board members", "message": "Quarterly update"}
    communications.create_communication(sample_ws, 1, {**board, "start_date": date(2026, 12, 1)})
    found = mail_drafts(sample_ws)
    by_audience = {d.audience: d for d in found.drafts}
    nursing = by_audience["Nursing"]
    assert nurse.name in nursing.without_email
    assert nurse.email not in [e for _, e in nursing.recipients]
    assert by_audience["Board members"].unmatched == ("Board members",)
    assert any("“Board members”" in p and "names no department" in p for p in found.problems)
    assert any(f"({nurse.name}" in p for p in found.problems)

    written = write_drafts(found.drafts, tmp_path)
    assert len(written) == len(found.drafts) - 1  # the draft with nobody to send to is not written
    for path in written:
        with path.open("rb") as fh:
            message = BytesParser(policy=policy.default).parse(fh)
        draft = next(d for d in found.drafts if d.audience == message["X-CMIO-Audience"])
        addresses = {a.addr_spec for a in message["To"].addresses}
        assert addresses == {e for _, e in draft.recipients}
        assert message["X-Unsent"] == "1"
        assert message.get_content().startswith(draft.body.split("\n")[0])


def test_drafts_are_all_or_nothing(sample_ws, tmp_path, monkeypatch):
    found = mail_drafts(sample_ws)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    real = Path.rename
    moved: list[Path] = []

    def fail_third(self, target):
        if len(moved) == 2:
            raise OSError(28, "No space left on device")
        moved.append(Path(target))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", fail_third)
    with pytest.raises(ExportError, match="the disk is full"):
        write_drafts(found.drafts, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cli_drafts_json(sample_ws, tmp_path, capsys):
    assert main(["drafts", str(sample_ws.path), str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["files"]) == len(list(tmp_path.glob("*.eml"))) > 0
    assert main(["drafts", str(sample_ws.path), str(tmp_path / "nope")]) == 1
    assert "does not exist" in capsys.readouterr().err


PEOPLE = [
    AudiencePerson(1, "Periop", "nurse", "frontline_clinician"),
    AudiencePerson(2, "ICU", "physician", "clinical_leader"),
    AudiencePerson(3, "Research and Development", "it", "it"),
]


@pytest.mark.parametrize(
    ("text", "people", "unmatched"),
    [
        ("All staff", {1, 2, 3}, ()),
        ("Physicians", {2}, ()),
        ("Nursing", {1}, ()),
        ("Periop, ICU", {1, 2}, ()),
        ("Research and Development", {3}, ()),  # a department with "and" in its name
        ("Nurses and pharmacists", {1}, ()),
        ("Board members", set(), ("Board members",)),
        ("ICU; Board", {2}, ("Board",)),
    ],
)
def test_audience_text_is_read_or_reported(text, people, unmatched):
    found = match_audience(text, PEOPLE)
    assert set(found.people) == people
    assert found.unmatched == unmatched
