"""The engagement log: dated contacts with a person, audited, checked, and read back for the
person's page, the register, the dashboard and the forecast."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cmio_desktop import models as m
from cmio_desktop.services import crud
from cmio_desktop.services.engagement import log
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.history import HistoryFilter, history
from cmio_desktop.services.readiness.forecast import load_forecast
from cmio_desktop.services.stakeholders import edits
from tests.conftest import SAMPLE_TODAY

TODAY = SAMPLE_TODAY


def _add(ws, person, days_ago, **values):
    when = TODAY - timedelta(days=days_ago)
    return log.add_entry(ws, person, {"occurred_on": when, **values}, today=TODAY).value


def test_a_logged_contact_with_commitments_reads_back_and_is_audited(sample_ws) -> None:
    entry = log.add_entry(
        sample_ws, 7,
        {"occurred_on": TODAY - timedelta(days=3), "type": "Meeting", "our_side": " CMIO ",
         "summary": "Worried about order sets", "sentiment": -1,
         "next_contact": TODAY + timedelta(days=4)},
        [("Send the order-set draft", TODAY + timedelta(days=2)), ("  ", None)],
        today=TODAY,
    ).value  # fmt: skip
    _add(sample_ws, 7, 20, type="call", sentiment=-2)
    (newest, older) = log.person_log(sample_ws, 7)
    assert newest.id == entry and newest.type_label == "Meeting" and newest.our_side == "CMIO"
    assert [c.text for c in newest.commitments] == ["Send the order-set draft"]
    assert older.type_label == "Call" and older.commitments == ()
    assert log.sentiment_trend([newest, older]) == [
        (TODAY - timedelta(days=20), -2), (TODAY - timedelta(days=3), -1),
    ]  # fmt: skip
    rows = history(sample_ws, HistoryFilter(entity="engagement_entry"))
    assert len(rows) == 2 and all(r.what == "Added" for r in rows)


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ({"occurred_on": TODAY + timedelta(days=1)}, "out of range"),
        ({"occurred_on": date(1999, 12, 31)}, "out of range"),
        ({"occurred_on": TODAY, "sentiment": 3}, r"Sentiment \+3 is out of range"),
        ({"occurred_on": TODAY, "sentiment": 1.5}, "whole number"),
        ({"occurred_on": TODAY, "type": "carrier pigeon"}, "is not a kind of contact"),
        ({"occurred_on": TODAY, "next_contact": TODAY - timedelta(days=1)}, "cannot be before"),
        ({"type": "call"}, "Give the date"),
        ({"occurred_on": TODAY, "mood": "good"}, "has no field mood"),
    ],
)
def test_bad_entries_get_a_sentence_and_change_nothing(sample_ws, values, sentence) -> None:
    with pytest.raises(ServiceError, match=sentence):
        log.add_entry(sample_ws, 7, values, today=TODAY)
    assert log.person_log(sample_ws, 7) == []


def test_an_unknown_person_is_refused(sample_ws) -> None:
    with pytest.raises(NotFoundError, match="no person with id 99999"):
        log.add_entry(sample_ws, 99999, {"occurred_on": TODAY}, today=TODAY)


def test_last_and_next_contact_follow_ups_and_the_not_contacted(sample_ws) -> None:
    with sample_ws.session() as session:  # start from no log (the sample has one)
        session.execute(m.EngagementEntry.__table__.delete())
    _add(sample_ws, 7, 40, next_contact=TODAY - timedelta(days=10))  # planned, then done:
    _add(sample_ws, 7, 9)
    _add(sample_ws, 8, 2, next_contact=TODAY + timedelta(days=5))
    entry = _add(sample_ws, 9, 60)
    commitment_day = TODAY + timedelta(days=1)
    with sample_ws.session() as session:
        crud.create_in(session, m.EngagementCommitment, entry_id=entry, text="Call back",
                       due=commitment_day)  # fmt: skip
    dates = log.contact_dates(sample_ws)
    assert dates[7] == log.ContactDates(TODAY - timedelta(days=9), None)
    assert dates[8] == log.ContactDates(TODAY - timedelta(days=2), TODAY + timedelta(days=5))
    due = log.follow_ups_due(sample_ws, TODAY)
    assert [(f.person_id, f.due) for f in due] == [(9, commitment_day), (8, TODAY + timedelta(5))]
    assert due[0].what == "Commitment: Call back"
    assert log.follow_ups_due(sample_ws, TODAY, days=3)[0].person_id == 9
    gone = log.not_contacted_since(sample_ws, [7, 8, 9, 10], TODAY)
    assert [g.person_id for g in gone] == [10, 9]  # never contacted first, then longest ago
    assert gone[1].last == TODAY - timedelta(days=60)


def test_deleting_a_person_takes_their_log_and_undo_brings_it_back(sample_ws) -> None:
    _add(sample_ws, 7, 3, summary="kept")
    snapshot = edits.delete_stakeholders(sample_ws, [7])
    assert log.person_log(sample_ws, 7) == []
    edits.restore(sample_ws, snapshot)
    assert [e.summary for e in log.person_log(sample_ws, 7)] == ["kept"]
    entry = log.person_log(sample_ws, 7)[0].id
    removed = log.delete_entries(sample_ws, [entry])
    assert log.person_log(sample_ws, 7) == []
    log.restore_entries(sample_ws, removed)
    assert log.person_log(sample_ws, 7)[0].id == entry


def test_edits_are_checked_and_return_what_undo_needs(sample_ws) -> None:
    entry = _add(sample_ws, 7, 3, sentiment=1)
    before = log.update_entry(sample_ws, entry, {"sentiment": -2, "summary": "went badly"}).value
    assert before == {"sentiment": 1, "summary": ""}
    with pytest.raises(ServiceError, match="cannot be before"):
        log.update_entry(sample_ws, entry, {"next_contact": TODAY - timedelta(days=30)})
    assert log.person_log(sample_ws, 7)[0].sentiment == -2


def test_a_logged_one_to_one_since_the_last_round_lifts_the_forecast(sample_ws) -> None:
    base = load_forecast(sample_ws, 1, today=TODAY)
    people = [p for p in range(1, 40) if p in base.ids][:15]
    for person in people:
        _add(sample_ws, person, 0, type="one_to_one")
    _add(sample_ws, people[0], 0, type="email")  # only 1:1s count
    lifted = load_forecast(sample_ws, 1, today=TODAY)
    index = {pid: i for i, pid in enumerate(base.ids)}
    gain = [
        lifted.result.readiness_go_live[index[p]] - base.result.readiness_go_live[index[p]]
        for p in people
    ]
    assert min(gain) >= 0 and sum(gain) > 0
    assert lifted.result.mean_today == base.result.mean_today  # today's scores are today's


def test_a_log_imports_from_csv_through_the_import_machinery(sample_ws, tmp_path, capsys) -> None:
    import json

    from cmio_desktop.cli import main

    with sample_ws.session() as session:  # start from no log (the sample has one)
        session.execute(m.EngagementEntry.__table__.delete())
    seven, eight = (edits.get_stakeholder(sample_ws, i) for i in (7, 8))
    path = tmp_path / "log.csv"
    path.write_text(
        "Date,Person,Type,Summary,Sentiment,Follow up\n"
        f"2026-10-20,{seven.external_id},Meeting,Went through order sets,+1,2026-11-05\n"
        f"2026-10-21,{eight.email},1:1,Worried about nights,−2,\n"
        "2026-10-22,Nobody Here,Call,?,0,\n"
        f"2026-10-23,{seven.external_id},Call,Bad mood,5,\n"
        f"2026-10-24,{seven.external_id},Call,Backwards,0,2026-10-01\n",
        encoding="utf-8",
    )
    args = ["import", str(sample_ws.path), str(path), "--kind", "engagement", "--json"]
    assert main([*args, "--dry-run"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["created"], report["rejected_rows"]) == (2, 3)
    reasons = json.dumps(report["rejected"], ensure_ascii=False)
    assert "must be from -2 to +2" in reasons and "before the contact" in reasons
    assert log.person_log(sample_ws, 7) == []  # a dry run writes nothing
    assert main([*args, "--valid-rows-only"]) == 0
    capsys.readouterr()
    (entry,) = log.person_log(sample_ws, 7)
    assert (entry.type, entry.sentiment, entry.next_contact) == ("meeting", 1, date(2026, 11, 5))
    assert log.person_log(sample_ws, 8)[0].sentiment == -2
    assert main([*args, "--valid-rows-only"]) == 0  # again: the same contacts, nothing new
    assert json.loads(capsys.readouterr().out)["created"] == 0
    assert len(log.person_log(sample_ws, 7)) == 1
