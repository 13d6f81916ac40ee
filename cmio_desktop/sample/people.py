"""Synthetic people and the influence network between them."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from cmio_desktop.enums import Attitude, Role, StakeholderGroup, TieKind
from cmio_desktop.sample.catalogue import DEPARTMENTS, EXECUTIVES, LEADERS, SITES, DepartmentSpec
from cmio_desktop.sample.names import FIRST_NAMES, LAST_NAMES

TEAM_SIZE = 12  # frontline staff per charge nurse / team lead


@dataclass
class Population:
    people: list[dict[str, Any]] = field(default_factory=list)
    ties: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    by_department: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    heads: dict[str, int] = field(default_factory=dict)
    executives: dict[str, int] = field(default_factory=dict)  # title -> id

    def tie(self, source: int, target: int, strength: int, kind: TieKind) -> None:
        if source != target and (source, target) not in self.ties:
            self.ties[(source, target)] = {
                "source_id": source,
                "target_id": target,
                "strength": strength,
                "kind": kind.value,
                "note": "",
            }


class PeopleFactory:
    def __init__(self, rng: random.Random, organisation_id: int) -> None:
        self.rng = rng
        self.organisation_id = organisation_id
        self.pop = Population()
        self._emails: set[str] = set()

    def person(
        self,
        role: Role,
        title: str,
        department: DepartmentSpec | str,
        site: str,
        group: StakeholderGroup,
        power: int,
        interest: int,
    ) -> int:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        ident = len(self.pop.people) + 1
        dept = department if isinstance(department, str) else department.name
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}@riversidehealth.org"
        suffix = 2
        while email in self._emails:
            email = f"{local}{suffix}@riversidehealth.org"
            suffix += 1
        self._emails.add(email)
        prefix = "Dr. " if role is Role.PHYSICIAN else ""
        self.pop.people.append(
            {
                "id": ident,
                "organisation_id": self.organisation_id,
                "external_id": f"RH{100000 + ident}",
                "name": f"{prefix}{first} {last}",
                "title": title,
                "role": role.value,
                "stakeholder_group": group.value,
                "department": dept,
                "site": site,
                "email": email,
                "phone": f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                "notes": "",
                "is_body": False,
                "power": power,
                "interest": interest,
                "attitude": Attitude.NEUTRAL.value,
                "desired_attitude": Attitude.SUPPORTIVE.value,
                "salience_power": False,
                "salience_legitimacy": True,
                "salience_urgency": False,
                "physician_champion": False,
                "super_user": False,
                "custom_fields": {},
            }
        )
        self.pop.by_department[dept].append(ident)
        return ident


def build_population(
    rng: random.Random, n: int, organisation_id: int, ties_per_person: float
) -> Population:
    factory = PeopleFactory(rng, organisation_id)
    pop = factory.pop
    for role, title in EXECUTIVES:
        group = StakeholderGroup.EXECUTIVE
        pop.executives[title] = factory.person(role, title, "Executive", SITES[0], group, 5, 5)
    remaining = max(n - len(EXECUTIVES), len(DEPARTMENTS) * 3)
    sizes = [max(3, round(remaining * spec.share)) for spec in DEPARTMENTS]
    largest = sizes.index(max(sizes))
    sizes[largest] += remaining - sum(sizes)  # exactly n people
    for spec, size in zip(DEPARTMENTS, sizes, strict=True):
        _build_department(factory, spec, size, ties_per_person)
    _link_leadership(pop)
    _add_brokers_and_cross_ties(rng, pop, ties_per_person)
    _assign_attitudes(rng, pop)
    return pop


def _build_department(
    factory: PeopleFactory, spec: DepartmentSpec, size: int, ties_per_person: float
) -> None:
    rng, pop = factory.rng, factory.pop
    site = SITES[spec.sites[0]]
    leader_group = (
        spec.group
        if spec.group is not StakeholderGroup.FRONTLINE_CLINICIAN
        else StakeholderGroup.CLINICAL_LEADER
    )
    leaders = [
        factory.person(role, title, spec, site, leader_group, rng.choice((4, 5)), 5)
        for role, title in LEADERS[spec.name]
    ]
    pop.heads[spec.name] = leaders[0]
    roles, titles, weights = zip(*((r, t, w) for r, t, w in spec.staff_mix), strict=True)
    staff: list[int] = []
    managers: list[int] = list(leaders[1:]) or [leaders[0]]
    for index in range(max(0, size - len(leaders))):
        if index % TEAM_SIZE == 0 and index > 0 and spec.group is not StakeholderGroup.PATIENT:
            lead_role = Role.NURSE if Role.NURSE in roles else roles[0]
            lead_title = "Charge Nurse" if lead_role is Role.NURSE else "Team Lead"
            ident = factory.person(
                lead_role,
                lead_title,
                spec,
                _site(rng, spec),
                leader_group,
                rng.choice((3, 4)),
                rng.choice((4, 5)),
            )
            pop.tie(managers[0], ident, 4, TieKind.REPORTS_TO)
            managers.insert(0, ident)
            continue
        k = rng.choices(range(len(roles)), weights=weights)[0]
        role = roles[k]
        power = rng.choice((2, 3, 3, 4)) if role is Role.PHYSICIAN else rng.choice((1, 2, 2, 3))
        interest = rng.choice((2, 3, 4, 4, 5)) if spec.group is not StakeholderGroup.PATIENT else 4
        ident = factory.person(role, titles[k], spec, _site(rng, spec), spec.group, power, interest)
        pop.tie(managers[0], ident, 4, TieKind.REPORTS_TO)
        staff.append(ident)
    for leader in leaders[1:]:
        pop.tie(leaders[0], leader, 5, TieKind.REPORTS_TO)
    _preferential_peer_ties(rng, pop, leaders + staff, ties_per_person)


def _site(rng: random.Random, spec: DepartmentSpec) -> str:
    return SITES[spec.sites[0] if rng.random() < 0.7 else rng.choice(spec.sites)]


def _preferential_peer_ties(
    rng: random.Random, pop: Population, members: list[int], ties_per_person: float
) -> None:
    """Peer and informal ties by preferential attachment: a heavy-tailed degree distribution."""
    per_person = max(1, round((ties_per_person - 1.4) / 1.55))
    urn: list[int] = list(members[:2])
    for index, person in enumerate(members):
        if index >= 2:
            for _ in range(per_person):
                other = rng.choice(urn)
                if other == person:
                    continue
                strength = rng.choice((2, 3, 3, 4))
                kind = TieKind.PEER if rng.random() < 0.6 else TieKind.INFORMAL_ADVISOR
                # The well-connected person is the one whose opinion travels.
                pop.tie(other, person, strength, kind)
                if rng.random() < 0.55:
                    pop.tie(person, other, max(1, strength - 1), TieKind.PEER)
                urn.append(other)
        urn.append(person)


def _link_leadership(pop: Population) -> None:
    ex = pop.executives
    ceo = pop.heads["Executive"]
    for ident in ex.values():
        pop.tie(ceo, ident, 5, TieKind.REPORTS_TO)
    pop.tie(ex["Chief Medical Information Officer"], ex["Chief Medical Officer"], 4, TieKind.PEER)
    pop.tie(
        ex["Chief Medical Officer"], ex["Chief Medical Information Officer"], 5, TieKind.REPORTS_TO
    )
    for dept, head in pop.heads.items():
        role = pop.people[head - 1]["role"]
        if dept == "Information Technology":
            boss = ex["Chief Information Officer"]
        elif role == Role.PHYSICIAN.value:
            boss = ex["Chief Medical Officer"]
        elif role == Role.NURSE.value:
            boss = ex["Chief Nursing Officer"]
        else:
            boss = ex["Chief Operating Officer"]
        pop.tie(boss, head, 4, TieKind.REPORTS_TO)
        pop.tie(ex["Chief Medical Information Officer"], head, 3, TieKind.COMMITTEE)


def _add_brokers_and_cross_ties(
    rng: random.Random, pop: Population, ties_per_person: float
) -> None:
    """A few boundary spanners (pharmacists, hospitalists, analysts) and sparse cross ties."""
    everyone = range(1, len(pop.people) + 1)
    departments = list(pop.by_department)
    broker_titles = {
        "Clinical Pharmacist",
        "Hospitalist",
        "Clinical Applications Analyst",
        "Nurse Practitioner",
        "Respiratory Therapist",
    }
    candidates = [p["id"] for p in pop.people if p["title"] in broker_titles]
    for broker in rng.sample(candidates, min(len(candidates), max(3, len(pop.people) // 120))):
        for dept in rng.sample(departments, 3):
            for other in rng.sample(pop.by_department[dept], min(3, len(pop.by_department[dept]))):
                pop.tie(broker, other, rng.choice((3, 4)), TieKind.INFORMAL_ADVISOR)
                pop.tie(other, broker, 2, TieKind.PEER)
    for _ in range(int(len(pop.people) * ties_per_person * 0.06)):
        a, b = rng.choice(everyone), rng.choice(everyone)
        pop.tie(a, b, rng.choice((1, 2, 2, 3)), TieKind.INFORMAL_ADVISOR)


def _assign_attitudes(rng: random.Random, pop: Population) -> None:
    baseline = {spec.name: spec.baseline for spec in DEPARTMENTS}
    out_degree: dict[int, int] = defaultdict(int)
    for source, _ in pop.ties:
        out_degree[source] += 1
    for p in pop.people:
        lean = baseline.get(p["department"], 3.0) - 2.7 + rng.gauss(0, 0.8)
        if p["department"] == "Periop" and p["role"] == Role.PHYSICIAN.value:
            lean -= 0.9
        attitude = (
            Attitude.RESISTANT
            if lean < -1.25
            else Attitude.UNAWARE
            if lean < -0.8
            else Attitude.NEUTRAL
            if lean < 0.35
            else Attitude.SUPPORTIVE
            if lean < 1.3
            else Attitude.LEADING
        )
        p["attitude"] = attitude.value
        if p["power"] >= 4:
            p["desired_attitude"] = Attitude.LEADING.value
        p["salience_power"] = p["power"] >= 4
        p["salience_legitimacy"] = p["stakeholder_group"] != StakeholderGroup.EXTERNAL.value
        p["salience_urgency"] = attitude is Attitude.RESISTANT or p["interest"] == 5
        frontline = p["stakeholder_group"] == StakeholderGroup.FRONTLINE_CLINICIAN.value
        if p["role"] == Role.PHYSICIAN.value and attitude in (
            Attitude.SUPPORTIVE,
            Attitude.LEADING,
        ):
            p["physician_champion"] = rng.random() < 0.18
        if frontline and attitude is not Attitude.RESISTANT:
            p["super_user"] = rng.random() < 0.09
    # The story every go-live has: a few influential surgeons and one ED physician push back.
    periop = sorted(pop.by_department["Periop"], key=lambda i: -out_degree[i])
    ed = sorted(pop.by_department["Emergency Department"], key=lambda i: -out_degree[i])
    for ident in [pop.heads["Periop"], *periop[1:3], *ed[2:3]]:
        p = pop.people[ident - 1]
        p.update(
            attitude=Attitude.RESISTANT.value,
            salience_urgency=True,
            physician_champion=False,
            super_user=False,
        )
    cmio = pop.people[pop.executives["Chief Medical Information Officer"] - 1]
    cmio.update(attitude=Attitude.LEADING.value, physician_champion=True)
