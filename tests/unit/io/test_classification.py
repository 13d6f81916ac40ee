"""Role and group inferred from HR job titles: the synonym table, spellings, precedence."""

from __future__ import annotations

import pytest

from cmio_desktop.enums import Role, StakeholderGroup
from cmio_desktop.io.classification import (
    infer_group,
    infer_role,
    needs_classification,
    role_from_title,
    words,
)

R, G = Role, StakeholderGroup


@pytest.mark.parametrize(
    ("title", "role"),
    [
        # the table
        ("RN", R.NURSE),
        ("Registered Nurse", R.NURSE),
        ("Charge Nurse", R.NURSE),
        ("LPN", R.NURSE),
        ("MD", R.PHYSICIAN),
        ("Physician", R.PHYSICIAN),
        ("Hospitalist", R.PHYSICIAN),
        ("Surgeon", R.PHYSICIAN),
        ("Consultant Anaesthetist", R.PHYSICIAN),
        ("Anesthetist", R.PHYSICIAN),
        ("Cardiologist", R.PHYSICIAN),
        ("Haematologist", R.PHYSICIAN),
        ("Resident", R.PHYSICIAN),
        ("NP", R.APP),
        ("PA", R.APP),
        ("CRNA", R.APP),
        ("Pharmacist", R.PHARMACIST),
        ("PharmD", R.PHARMACIST),
        ("Respiratory Therapist", R.ALLIED_HEALTH),
        ("Radiologic Technologist", R.ALLIED_HEALTH),
        ("Dietitian", R.ALLIED_HEALTH),
        ("Dietician", R.ALLIED_HEALTH),
        ("Social Worker", R.ALLIED_HEALTH),
        ("Epic Analyst", R.IT),
        ("Integration Engineer", R.IT),
        ("Clinical Informatics Specialist", R.IT),
        ("IT Support", R.IT),
        ("Chief Medical Officer", R.EXECUTIVE),
        ("CNO", R.EXECUTIVE),
        ("VP, Operations", R.EXECUTIVE),
        ("Practice Manager", R.ADMINISTRATOR),
        ("Director of Finance", R.ADMINISTRATOR),
        ("Unit Coordinator", R.ADMINISTRATOR),
        ("Front Desk Clerk", R.ADMINISTRATOR),
        ("Patient Registrar", R.ADMINISTRATOR),
        # case, punctuation, accents and spellings
        ("r.n.", R.NURSE),
        ("CHARGE-NURSE", R.NURSE),
        ("Paediatrician", R.PHYSICIAN),
        ("Pediatrician", R.PHYSICIAN),
        ("Pharm.D.", R.PHARMACIST),
        ("Pédiatrician", R.PHYSICIAN),
        # precedence: longer phrases, stronger words, overrides
        ("Nurse Practitioner", R.APP),
        ("Nurse Anaesthetist", R.APP),
        ("Physician Assistant", R.APP),
        ("Nurse Manager", R.NURSE),
        ("Director of Nursing", R.NURSE),
        ("Chief Nursing Officer", R.EXECUTIVE),
        ("Chief Resident", R.PHYSICIAN),
        ("IT Consultant", R.IT),
        ("Executive Assistant to the CEO", R.ADMINISTRATOR),
        ("PA to the Chief Executive", R.ADMINISTRATOR),
        ("Psychologist", R.ALLIED_HEALTH),
        ("Podiatrist", R.ALLIED_HEALTH),
        ("Medical Director", R.PHYSICIAN),
        ("Specialty Registrar", R.PHYSICIAN),
        ("Healthcare Assistant", R.NURSE),
        ("Pharmacy Technician", R.PHARMACIST),
    ],
)
def test_role_from_title(title: str, role: Role) -> None:
    assert role_from_title(title) is role


@pytest.mark.parametrize("title", ["", None, "Volunteer", "Interpreter", "Band 5", "—"])
def test_unknown_titles_give_nothing(title) -> None:
    assert role_from_title(title) is None
    assert infer_role(title) is None


def test_department_is_the_fallback_and_the_reason_says_which() -> None:
    by_title = infer_role("Charge Nurse", "Pharmacy")
    assert by_title is not None and by_title.value is R.NURSE
    assert by_title.reason == "from the title “Charge Nurse”"
    by_department = infer_role("Volunteer", "Pharmacy")
    assert by_department is not None and by_department.value is R.PHARMACIST
    assert by_department.reason == "from the department “Pharmacy”"
    assert infer_role("Volunteer", "Pharmacy Stores East") is None  # whole names only


@pytest.mark.parametrize(
    ("role", "title", "group"),
    [
        (R.EXECUTIVE, "Chief Executive", G.EXECUTIVE),
        (R.IT, "Epic Analyst", G.IT),
        (R.NURSE, "Nurse Manager", G.CLINICAL_LEADER),
        (R.PHYSICIAN, "Medical Director", G.CLINICAL_LEADER),
        (R.PHYSICIAN, "Chair of Surgery", G.CLINICAL_LEADER),
        (R.NURSE, "Charge Nurse", G.FRONTLINE_CLINICIAN),
        (R.PHYSICIAN, "Hospitalist", G.FRONTLINE_CLINICIAN),
        (R.ADMINISTRATOR, "Ward Clerk", G.SUPPORT_STAFF),
        (R.PATIENT_FAMILY, "", G.PATIENT),
    ],
)
def test_group_from_role_and_title(role: Role, title: str, group: StakeholderGroup) -> None:
    inferred = infer_group(role, title)
    assert inferred is not None and inferred.value is group


def test_no_group_without_a_role() -> None:
    assert infer_group(None, "Nurse Manager") is None
    assert infer_group(R.UNCLASSIFIED, "Nurse Manager") is None


def test_words_and_needs_classification() -> None:
    assert words("Dr. O’Brien-Smith, R.N.") == ("dr", "obrien", "smith", "rn")
    assert needs_classification(R.UNCLASSIFIED, G.IT)
    assert needs_classification("nurse", "unclassified")
    assert not needs_classification(R.NURSE, G.FRONTLINE_CLINICIAN)
