"""The register as plain precomputed columns: display text, sort keys, filter codes and a
lower-case search haystack per person. Pure Python (no Qt), so it can be built off the UI
thread and searched, filtered and sorted in a few milliseconds at 100,000 rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from cmio_desktop.analysis.grids import Quadrant
from cmio_desktop.enums import AdkarElement
from cmio_desktop.services.engagement.log import ContactDates
from cmio_desktop.services.stakeholders.edits import RegisterData
from cmio_desktop.services.stakeholders.register import classification_codes
from cmio_desktop.services.stakeholders.register_network import RegisterNetwork
from cmio_desktop.stakeholder_fields import (
    BY_KEY,
    REGISTER_FIELDS,
    StakeholderField,
    enum_labels,
)
from cmio_desktop.ui.common.formats import fmt_date


@dataclass(frozen=True)
class ColumnSpec:
    title: str
    width: int
    tooltip: str
    numeric: bool = False
    centred: bool = False  # 1–5 scores and the 0–100 network figure
    after: str | None = None  # shown by default right after this column (a key)


#: The register's computed columns; every other column is a stored field declared in the
#: field registry (:mod:`cmio_desktop.stakeholder_fields`) with a ``register=`` column.
_COMPUTED: dict[str, ColumnSpec] = {
    "quadrant": ColumnSpec("Quadrant", 124, "Power/interest quadrant (Mendelow)"),
    "readiness": ColumnSpec(
        "Readiness",
        60,
        "Mean ADKAR score of the latest assessment",
        numeric=True,
        after="attitude",
    ),
    "barrier": ColumnSpec(
        "Barrier", 104, "ADKAR barrier point: the first element scoring 3 or below (– = none)"
    ),
    "flags": ColumnSpec("Flags", 120, "Physician champion, super user, body/committee"),
    "network_influence": ColumnSpec(
        "Network influence",
        84,
        "Network influence, 0–100: PageRank on who influences whom (from the network analysis; "
        "blank until it has run)",
        numeric=True,
        centred=True,
        after="power",  # two kinds of influence side by side
    ),
    # From the engagement log (services.engagement.log.contact_dates): read-only dates.
    "last_contact": ColumnSpec(
        "Last contact",
        96,
        "The latest contact logged with this person (blank: never)",
    ),  # at the end: the title and department stay in view on a laptop screen
    "next_contact": ColumnSpec(
        "Next contact",
        96,
        "The next contact planned in their engagement log (blank: none planned)",
        after="last_contact",
    ),
}
#: Column positions as first shipped: saved header layouts refer to them, so fields added to
#: the registry since are appended after these (and shown where their ``after`` says).
_SHIPPED = (
    "name", "title", "department", "power", "interest", "attitude", "quadrant", "readiness",
    "barrier", "role", "group", "site", "email", "flags", "external_id", "network_influence",
)  # fmt: skip


def _spec(key: str) -> ColumnSpec | None:
    if key in _COMPUTED:
        return _COMPUTED[key]
    column = BY_KEY[key].register
    if column is None:
        return None
    score = BY_KEY[key].kind == "score"
    return ColumnSpec(BY_KEY[key].label, column.width, column.tooltip, score, score, column.after)


def _specs() -> dict[str, ColumnSpec]:
    """Key → column, in position order: the shipped columns still declared, then the others."""
    specs = {key: spec for key in _SHIPPED if (spec := _spec(key)) is not None}
    for registered in REGISTER_FIELDS:
        specs.setdefault(registered.key, _spec(registered.key))  # type: ignore[arg-type]
    for key, computed in _COMPUTED.items():  # computed columns added since, at the end
        specs.setdefault(key, computed)
    return specs


_SPECS = _specs()
#: Register columns by position (``Col.NAME``, ``Col.PHONE``…), one per column key.
Col = IntEnum("Col", [(key.upper(), n) for n, key in enumerate(_SPECS)])  # type: ignore[misc]
COLUMNS: dict[Col, ColumnSpec] = {Col(n): spec for n, spec in enumerate(_SPECS.values())}
COLUMN_KEYS: dict[Col, str] = {Col(n): key for n, key in enumerate(_SPECS)}

#: Filter name → the RegisterData column it compares with.
FILTER_KEYS = (
    "group",
    "role",
    "department",
    "site",
    "quadrant",
    "attitude",
    "classification",
    "network",
)
#: Filters computed from the columns rather than stored in one.
_COMPUTED_FILTERS = {"classification": classification_codes}
#: Filters that keep people *carrying* a tag (a person may carry several), not equal to it.
TAG_FILTERS = frozenset({"network"})
NO_TAGS: frozenset[str] = frozenset()
_NO_NETWORK_KEY = (-1.0, 0)
_NEVER_CONTACTED = -1  # sorts as the longest ago
_NONE_PLANNED = 10**9  # sorts after every planned date

_LABELS: dict[str, dict[str | None, str]] = {
    "quadrant": {m.value: m.label for m in Quadrant},
    "barrier": {**{m.value: m.label for m in AdkarElement}, None: "–"},
}
_ORDER: dict[str, dict[str | None, int]] = {
    "quadrant": {m.value: n for n, m in enumerate(Quadrant)},
    "barrier": {**{m.value: n for n, m in enumerate(AdkarElement)}, None: len(AdkarElement)},
}


def quadrant_caption(quadrant: Quadrant, separator: str = " — ") -> str:
    """ "Key player — manage closely", "Keep satisfied", "Monitor with minimum effort"."""
    label, strategy = quadrant.label, quadrant.strategy
    if strategy.casefold() == label.casefold():
        return label
    if strategy.casefold().startswith(label.casefold()):
        return strategy
    return f"{label}{separator}{strategy.lower()}"


def _text_keys(values: list[str]) -> list[str]:
    return [v.casefold() for v in values]


def _shown(spec: StakeholderField, values: list[Any]) -> list[str]:
    """A stored field's register text: list labels, numbers as text, text as stored."""
    if spec.enum is not None:
        labels = enum_labels(spec.enum)
        return [labels.get(v, v) for v in values]
    if spec.kind in ("text", "email"):
        return list(values)
    return [str(spec.display(v)) for v in values]


def _contact_columns(d: RegisterData) -> dict[Col, tuple[list[str], list[int]]]:
    """Last/Next contact: display text and sort keys (never contacted sorts as the longest
    ago; no contact planned after every planned date)."""
    return {
        Col.LAST_CONTACT: (
            [fmt_date(day) for day in d.last_contact],
            [_NEVER_CONTACTED if day is None else day.toordinal() for day in d.last_contact],
        ),
        Col.NEXT_CONTACT: (
            [fmt_date(day) for day in d.next_contact],
            [_NONE_PLANNED if day is None else day.toordinal() for day in d.next_contact],
        ),
    }


@dataclass
class Derived:
    """Display text, sort keys and search text derived from register columns."""

    display: dict[Col, list[str]]
    keys: dict[Col, list[Any]]
    haystack: list[str]
    tags: list[frozenset[str]]  # network tags: key_resister, champion, top_influence

    @classmethod
    def of(cls, d: RegisterData) -> Derived:
        assessed = [r is not None for r in d.readiness]
        display: dict[Col, list[str]] = {}
        keys: dict[Col, list[Any]] = {}
        for col, key in COLUMN_KEYS.items():
            if key in _COMPUTED:
                continue
            spec = BY_KEY[key]
            values = d.values[key]
            display[col] = _shown(spec, values)
            sort = spec.register.sort if spec.register else "text"
            if sort == "number":
                keys[col] = list(values)
            elif sort == "order" and spec.enum is not None:
                order = {m.value: n for n, m in enumerate(spec.enum)}
                keys[col] = [order.get(v, len(order)) for v in values]
            else:
                keys[col] = _text_keys(display[col])
        display[Col.QUADRANT] = [_LABELS["quadrant"][v] for v in d.quadrant]
        display[Col.READINESS] = ["" if r is None else f"{r:.1f}" for r in d.readiness]
        display[Col.BARRIER] = [
            _LABELS["barrier"][b] if a else "" for b, a in zip(d.barrier, assessed, strict=True)
        ]
        display[Col.FLAGS] = list(d.flags)
        display[Col.NETWORK_INFLUENCE] = [""] * len(d.ids)  # filled by RegisterTable.set_network
        keys[Col.FLAGS] = _text_keys(display[Col.FLAGS])
        for col, (shown, key) in _contact_columns(d).items():
            display[col], keys[col] = shown, key
        keys[Col.QUADRANT] = [_ORDER["quadrant"][v] for v in d.quadrant]
        keys[Col.READINESS] = [-1.0 if r is None else r for r in d.readiness]
        keys[Col.BARRIER] = [
            _ORDER["barrier"][b] if a else -1 for b, a in zip(d.barrier, assessed, strict=True)
        ]
        # (influence, -id): descending gives the network analysis' order (ties: lower id first)
        keys[Col.NETWORK_INFLUENCE] = [_NO_NETWORK_KEY] * len(d.ids)
        searched = [
            d.values[f.key] for f in REGISTER_FIELDS if f.register and f.register.searchable
        ]
        haystack = ["\n".join(parts).casefold() for parts in zip(*searched, strict=True)]
        if not searched:
            haystack = [""] * len(d.ids)
        display = {col: display[col] for col in Col}  # dict order = column order
        keys = {col: keys[col] for col in Col}
        return cls(display, keys, haystack, [NO_TAGS] * len(d.ids))

    def lists(self) -> list[list[Any]]:
        return [*self.display.values(), *self.keys.values(), self.haystack, self.tags]


@dataclass(frozen=True)
class NetworkColumns:
    """The register's network columns for ``ids``, position by position."""

    ids: list[int]
    display: list[str]
    keys: list[tuple[float, int]]
    tags: list[frozenset[str]]


def network_columns(net: RegisterNetwork, ids: list[int]) -> NetworkColumns:
    """Display text, sort keys ((influence, -id): descending is the analysis' order, ties by
    lower id) and tags for ``ids``. Pure: safe to run off the UI thread."""
    influence, tagged = net.influence, net.tags()
    values = [influence.get(i) for i in ids]
    return NetworkColumns(
        ids=list(ids),
        display=["" if v is None else f"{v:.0f}" for v in values],
        keys=[_NO_NETWORK_KEY if v is None else (v, -i) for v, i in zip(values, ids, strict=True)],
        tags=[tagged.get(i, NO_TAGS) for i in ids],
    )


class RegisterTable:
    """Columns of plain values; position ``i`` of every list is one person."""

    def __init__(self, data: RegisterData) -> None:
        self.data = data
        self.derived = Derived.of(data)
        self.index: dict[int, int] = {ident: n for n, ident in enumerate(data.ids)}
        self.network: RegisterNetwork | None = None

    def __len__(self) -> int:
        return len(self.data.ids)

    @property
    def display(self) -> dict[Col, list[str]]:
        return self.derived.display

    @property
    def keys(self) -> dict[Col, list[Any]]:
        return self.derived.keys

    def codes(self, key: str) -> list[Any]:
        if key in _COMPUTED_FILTERS:
            return _COMPUTED_FILTERS[key](self.data)
        return self.derived.tags if key in TAG_FILTERS else getattr(self.data, key)

    def set_network(self, net: RegisterNetwork, columns: NetworkColumns | None = None) -> None:
        """Fill the Network influence column and the network tags from the analysis.

        ``columns``: :func:`network_columns` for exactly this table's ids, computed off the UI
        thread (a third of a second at 100,000 people); ignored when the ids differ.
        """
        self.network = net
        if columns is None or columns.ids != self.data.ids:
            columns = network_columns(net, self.data.ids)
        self.derived.display[Col.NETWORK_INFLUENCE][:] = columns.display
        self.derived.keys[Col.NETWORK_INFLUENCE][:] = columns.keys
        self.derived.tags[:] = columns.tags

    def set_contacts(self, contacts: dict[int, ContactDates]) -> None:
        """Fill the Last/Next contact columns again from the engagement log's contact dates
        (after a log entry changed: no need to read the whole register again)."""
        never = ContactDates(None, None)
        dates = [contacts.get(i, never) for i in self.data.ids]
        self.data.last_contact[:] = [c.last for c in dates]
        self.data.next_contact[:] = [c.next for c in dates]
        for col, (shown, key) in _contact_columns(self.data).items():
            self.derived.display[col][:] = shown
            self.derived.keys[col][:] = key

    def name_of(self, ident: int) -> str:
        pos = self.index.get(ident)
        return self.data.name[pos] if pos is not None else ""

    def version_of(self, ident: int) -> int | None:
        """The person's row version as last read: what an edit or a delete was shown."""
        pos = self.index.get(ident)
        return self.data.versions[pos] if pos is not None else None

    def summary(self, ident: int) -> str:
        """One line about a person: quadrant, readiness and barrier point."""
        pos = self.index.get(ident)
        if pos is None:
            return ""
        d = self.data
        parts = [quadrant_caption(Quadrant(d.quadrant[pos]))]
        readiness, barrier = d.readiness[pos], d.barrier[pos]
        if readiness is None:
            parts.append("not assessed yet")
        elif barrier:
            parts.append(
                f"readiness {readiness:.1f}, barrier at {AdkarElement(barrier).label.lower()}"
            )
        else:
            parts.append(f"readiness {readiness:.1f}, no barrier")
        return " · ".join(parts)

    # -- queries --------------------------------------------------------------------------------
    def order(self, column: Col, descending: bool, base: list[int] | None = None) -> list[int]:
        """Positions sorted by ``column``; ties keep the order of ``base`` (stable sort)."""
        base = base if base is not None else list(range(len(self)))
        return sorted(base, key=self.keys[column].__getitem__, reverse=descending)

    def matching(self, order: list[int], terms: list[str], filters: dict[str, Any]) -> list[int]:
        """The positions of ``order`` whose row passes every filter and contains every term."""
        mask: list[bool] | None = None
        for key, value in filters.items():
            codes = self.codes(key)
            m = [value in c for c in codes] if key in TAG_FILTERS else [c == value for c in codes]
            mask = m if mask is None else [a and b for a, b in zip(mask, m, strict=True)]
        if mask is not None:
            order = [i for i in order if mask[i]]
        return self.searching(order, terms)

    def searching(self, rows: list[int], terms: list[str]) -> list[int]:
        hay = self.derived.haystack
        for term in terms:
            if len(rows) * 3 > len(hay):  # most rows: one contiguous pass is faster
                hit = [term in h for h in hay]
                rows = [i for i in rows if hit[i]]
            else:
                rows = [i for i in rows if term in hay[i]]
        return rows

    # -- changes --------------------------------------------------------------------------------
    def replace(self, fresh: RegisterData) -> list[int]:
        """Overwrite the rows of the people in ``fresh``; returns their positions."""
        derived = Derived.of(fresh)
        mine, theirs = self.derived.lists(), derived.lists()
        positions = []
        for n, ident in enumerate(fresh.ids):
            pos = self.index.get(ident)
            if pos is None:
                continue
            positions.append(pos)
            for mine_column, their_column in zip(self.data.columns(), fresh.columns(), strict=True):
                mine_column[pos] = their_column[n]
            for target, source in zip(mine, theirs, strict=True):
                target[pos] = source[n]
        self._keep_network(positions)
        return positions

    def extend(self, fresh: RegisterData) -> list[int]:
        """Append the people of ``fresh`` not yet present; returns their positions."""
        new = [n for n, ident in enumerate(fresh.ids) if ident not in self.index]
        derived = Derived.of(fresh)
        start = len(self)
        for column, source in zip(self.data.columns(), fresh.columns(), strict=True):
            column.extend(source[n] for n in new)
        for target, source in zip(self.derived.lists(), derived.lists(), strict=True):
            target.extend(source[n] for n in new)
        for offset, n in enumerate(new):
            self.index[fresh.ids[n]] = start + offset
        self._keep_network(list(range(start, start + len(new))))
        return list(range(start, start + len(new)))

    def _keep_network(self, positions: list[int]) -> None:
        """Rows re-read from the database come without network figures: put back the last
        analysis' (the page asks for a fresh one after every change)."""
        if self.network is None or not positions:
            return
        columns = network_columns(self.network, [self.data.ids[p] for p in positions])
        display = self.derived.display[Col.NETWORK_INFLUENCE]
        keys = self.derived.keys[Col.NETWORK_INFLUENCE]
        for n, pos in enumerate(positions):
            display[pos], keys[pos] = columns.display[n], columns.keys[n]
            self.derived.tags[pos] = columns.tags[n]

    def remove(self, ids: Iterable[int]) -> None:
        gone = {self.index[i] for i in ids if i in self.index}
        if not gone:
            return
        keep = [n for n in range(len(self)) if n not in gone]
        for column in [*self.data.columns(), *self.derived.lists()]:
            column[:] = [column[n] for n in keep]
        self.index = {ident: n for n, ident in enumerate(self.data.ids)}
