"""The shape of the synthetic health system: sites, departments and who works in them."""

from __future__ import annotations

from dataclasses import dataclass

from cmio_desktop.enums import Role, StakeholderGroup

SITES = ("Riverside Medical Center", "Northgate Community Hospital", "Lakeview Ambulatory Campus")


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    share: float  # share of the headcount
    staff_mix: tuple[tuple[Role, str, float], ...]  # (role, title, weight) of frontline staff
    group: StakeholderGroup = StakeholderGroup.FRONTLINE_CLINICIAN
    sites: tuple[int, ...] = (0, 1)
    baseline: float = 2.6  # mean ADKAR score in the first round
    trend: float = 0.25  # change per round


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "Emergency Department",
        0.12,
        (
            (Role.PHYSICIAN, "Emergency Physician", 3),
            (Role.NURSE, "ED Registered Nurse", 8),
            (Role.APP, "Physician Assistant", 1.5),
        ),
        baseline=2.7,
        trend=0.3,
    ),
    DepartmentSpec(
        "ICU",
        0.09,
        (
            (Role.PHYSICIAN, "Intensivist", 2),
            (Role.NURSE, "Critical Care Nurse", 8),
            (Role.ALLIED_HEALTH, "Respiratory Therapist", 1.5),
        ),
        baseline=2.8,
        trend=0.28,
    ),
    DepartmentSpec(
        "Med-Surg",
        0.17,
        (
            (Role.PHYSICIAN, "Hospitalist", 2),
            (Role.NURSE, "Med-Surg Nurse", 10),
            (Role.APP, "Nurse Practitioner", 1),
        ),
        baseline=2.6,
        trend=0.32,
    ),
    DepartmentSpec(
        "Pediatrics",
        0.07,
        ((Role.PHYSICIAN, "Pediatrician", 3), (Role.NURSE, "Pediatric Nurse", 6)),
        baseline=2.9,
        trend=0.3,
    ),
    # Perioperative services lag: surgeons are sceptical and the trend stalls.
    DepartmentSpec(
        "Periop",
        0.10,
        (
            (Role.PHYSICIAN, "Surgeon", 3),
            (Role.PHYSICIAN, "Anesthesiologist", 1.5),
            (Role.NURSE, "Perioperative Nurse", 6),
        ),
        baseline=2.3,
        trend=0.02,
    ),
    DepartmentSpec(
        "Pharmacy",
        0.05,
        (
            (Role.PHARMACIST, "Clinical Pharmacist", 4),
            (Role.ALLIED_HEALTH, "Pharmacy Technician", 3),
        ),
        baseline=3.0,
        trend=0.3,
    ),
    DepartmentSpec(
        "Radiology",
        0.05,
        ((Role.PHYSICIAN, "Radiologist", 2), (Role.ALLIED_HEALTH, "Radiologic Technologist", 4)),
        baseline=2.7,
        trend=0.2,
    ),
    DepartmentSpec(
        "Laboratory",
        0.05,
        (
            (Role.ALLIED_HEALTH, "Medical Laboratory Scientist", 5),
            (Role.PHYSICIAN, "Pathologist", 1),
        ),
        baseline=2.8,
        trend=0.22,
    ),
    DepartmentSpec(
        "Ambulatory Clinics",
        0.16,
        (
            (Role.PHYSICIAN, "Primary Care Physician", 4),
            (Role.NURSE, "Clinic Nurse", 5),
            (Role.APP, "Nurse Practitioner", 2),
            (Role.ADMINISTRATOR, "Front Desk Coordinator", 2),
        ),
        sites=(2, 0),
        baseline=2.6,
        trend=0.35,
    ),
    DepartmentSpec(
        "Information Technology",
        0.07,
        (
            (Role.IT, "Clinical Applications Analyst", 4),
            (Role.IT, "EHR Trainer", 2),
            (Role.IT, "Integration Engineer", 1),
        ),
        group=StakeholderGroup.IT,
        sites=(0,),
        baseline=3.4,
        trend=0.25,
    ),
    DepartmentSpec(
        "Executive",
        0.02,
        ((Role.EXECUTIVE, "Vice President", 2), (Role.ADMINISTRATOR, "Executive Director", 2)),
        group=StakeholderGroup.EXECUTIVE,
        sites=(0,),
        baseline=3.3,
        trend=0.2,
    ),
    DepartmentSpec(
        "Patient & Family Council",
        0.02,
        ((Role.PATIENT_FAMILY, "Patient Advisor", 3), (Role.PATIENT_FAMILY, "Family Advisor", 1)),
        group=StakeholderGroup.PATIENT,
        sites=(0, 1, 2),
        baseline=2.9,
        trend=0.2,
    ),
    DepartmentSpec(
        "Support Services",
        0.02,
        ((Role.ADMINISTRATOR, "Unit Clerk", 3), (Role.ADMINISTRATOR, "Scheduler", 2)),
        group=StakeholderGroup.SUPPORT_STAFF,
        baseline=2.7,
        trend=0.25,
    ),
)

# Leaders per department (role, title); the first is the department head.
LEADERS: dict[str, tuple[tuple[Role, str], ...]] = {
    "Emergency Department": (
        (Role.PHYSICIAN, "Chief of Emergency Medicine"),
        (Role.NURSE, "ED Nurse Manager"),
    ),
    "ICU": ((Role.PHYSICIAN, "ICU Medical Director"), (Role.NURSE, "ICU Nurse Manager")),
    "Med-Surg": (
        (Role.PHYSICIAN, "Chief of Hospital Medicine"),
        (Role.NURSE, "Med-Surg Nurse Manager"),
    ),
    "Pediatrics": (
        (Role.PHYSICIAN, "Chair of Pediatrics"),
        (Role.NURSE, "Pediatrics Nurse Manager"),
    ),
    "Periop": (
        (Role.PHYSICIAN, "Chief of Surgery"),
        (Role.NURSE, "Director of Perioperative Services"),
    ),
    "Pharmacy": ((Role.PHARMACIST, "Director of Pharmacy"),),
    "Radiology": ((Role.PHYSICIAN, "Chair of Radiology"),),
    "Laboratory": ((Role.PHYSICIAN, "Laboratory Medical Director"),),
    "Ambulatory Clinics": (
        (Role.PHYSICIAN, "Medical Director, Ambulatory Care"),
        (Role.NURSE, "Ambulatory Nursing Director"),
    ),
    "Information Technology": ((Role.IT, "Director of Clinical Applications"),),
    "Executive": ((Role.EXECUTIVE, "Chief Executive Officer"),),
    "Patient & Family Council": ((Role.PATIENT_FAMILY, "Patient & Family Council Chair"),),
    "Support Services": ((Role.ADMINISTRATOR, "Manager, Patient Access"),),
}

# The executive suite, always present; they sit in the Executive department.
EXECUTIVES: tuple[tuple[Role, str], ...] = (
    (Role.PHYSICIAN, "Chief Medical Information Officer"),
    (Role.PHYSICIAN, "Chief Medical Officer"),
    (Role.NURSE, "Chief Nursing Officer"),
    (Role.EXECUTIVE, "Chief Information Officer"),
    (Role.EXECUTIVE, "Chief Operating Officer"),
)
