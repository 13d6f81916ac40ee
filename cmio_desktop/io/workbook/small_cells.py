"""Small-cell suppression for the anonymised workbook: no breakdown shows fewer than 5 people.

A count of 1–4 in a breakdown (people per department, per attitude, per quadrant, per power ×
interest score, per round, per role × unit × course) points at individuals once the reader
knows the unit, so in the anonymised workbook it is written as "<5", and every figure worked
out from such a group (its mean readiness, ADKAR means, share, completion rate, main barrier)
is left blank. In the register and influence lists, a person whose role × department (or
role × site) group has fewer than 5 people is shown in "Other units (<5)" / "Other sites (<5)"
instead of their own unit, so "the only pharmacist in Cardiology" cannot be picked out.

A suppressed count is a :class:`Few`: an ``int`` (sums and sorting work, so totals stay
right) that prints as "<5", is written to its cell as the text "<5", and turns any share or
difference worked out from it into NaN, which the sheet writers leave blank.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from cmio_desktop.io.workbook.data import RegisterRow, WorkbookData

SMALL = 5  # groups of fewer people than this are suppressed
FEW_TEXT = "<5"
OTHER_UNITS = "Other units (<5)"
OTHER_SITES = "Other sites (<5)"
_NAN = float("nan")


class Few(int):
    """A count of 1–4 people: "<5" wherever it is shown."""

    def __str__(self) -> str:
        return FEW_TEXT

    __repr__ = __str__

    def __format__(self, _spec: str) -> str:
        return FEW_TEXT

    # A share or difference of a suppressed count would give it away: blank instead.
    def __truediv__(self, _other: Any) -> float:
        return _NAN

    __rtruediv__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__


class Count(int):
    """A count of 5 or more whose difference with another ("still to train") is itself a
    count of people, so it is suppressed when it is 1–4."""

    def __sub__(self, other: Any) -> Any:
        return _NAN if isinstance(other, Few) else few(int(self) - int(other))


def few(count: int) -> int:
    """``count`` itself, or a :class:`Few` when it is 1–4."""
    return Few(count) if 0 < count < SMALL else count


def _count(count: int) -> int:
    return Count(count) if count >= SMALL else few(count)


def suppress_small_cells(data: WorkbookData) -> WorkbookData:
    departments = []
    for d in data.departments:
        small = d.people < SMALL or d.assessed < SMALL
        departments.append(
            replace(
                d,
                people=few(d.people),
                assessed=few(d.assessed),
                **(_NO_MEANS if small else {}),
            )
        )
    trend = [
        replace(t, assessed=few(t.assessed), readiness=None, elements=(None,) * 5)
        if t.assessed < SMALL
        else t
        for t in data.trend
    ]
    quadrants = [
        replace(
            q,
            people=few(q.people),
            resistant_or_unaware=few(q.resistant_or_unaware),
            hot_spots=few(q.hot_spots),
            mean_readiness=q.mean_readiness if q.people >= SMALL else None,
        )
        for q in data.quadrants
    ]
    register, units = _generalised_register(data.register)
    return replace(
        data,
        departments=departments,
        trend=trend,
        attitudes=[replace(a, people=few(a.people)) for a in data.attitudes],
        quadrants=quadrants,
        grid_counts=tuple(tuple(few(n) for n in row) for row in data.grid_counts),
        training=[
            replace(t, required=_count(t.required), completed=few(t.completed))
            for t in data.training
        ],
        register=register,
        influence=[
            replace(r, department=units.get(r.person_id, OTHER_UNITS)) for r in data.influence
        ],
        red_zone=_red_zone(data.red_zone),
    )


def _red_zone(rows: Any) -> list[Any]:
    """A department with 1–4 people assessed shows "<5", no mean readiness, and no red-zone
    flag when its impact is high (the flag would tell whether their mean is below the
    threshold); the rows are re-sorted so their place gives nothing away either."""
    out = []
    for r in rows:
        if 0 < r.assessed < SMALL:
            red = None if r.degree == "High" else r.red
            r = replace(r, assessed=few(r.assessed), readiness=None, red=red)
        out.append(r)
    rank = {"High": 0, "Medium": 1, "Low": 2}
    red_rank = {True: 0, None: 1, False: 2}
    low = float("-inf")  # no readiness shown sorts as the services sort "not assessed"
    return sorted(
        out,
        key=lambda r: (
            red_rank[r.red], rank.get(r.degree, 3),
            low if r.readiness is None else r.readiness, -r.score, r.department,
        ),
    )  # fmt: skip


_NO_MEANS: dict[str, Any] = {
    "elements": (None,) * 5,
    "readiness": None,
    "influence_weighted": None,
    "ready_share": None,
    "main_barrier": "",
}


def _generalised_register(
    register: Any,
) -> tuple[list[RegisterRow], dict[int, str]]:
    """The register with small role × unit and role × site groups merged; and each person's
    unit as shown (for the influence lists)."""
    by_unit = Counter((r.role, r.department) for r in register)
    by_site = Counter((r.role, r.site) for r in register)
    rows = [
        replace(
            r,
            department=r.department if by_unit[r.role, r.department] >= SMALL else OTHER_UNITS,
            site=r.site if by_site[r.role, r.site] >= SMALL else OTHER_SITES,
        )
        for r in register
    ]
    return rows, {r.person_id: r.department for r in rows}
