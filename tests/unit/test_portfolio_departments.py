"""The departments a change-impact rating may name: the register's, spelled as it spells them."""

from __future__ import annotations

import pytest

from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.portfolio.departments import department_names, known_department


def test_the_register_names_the_departments(sample_ws) -> None:
    names = department_names(sample_ws)
    assert "Periop" in names and "ICU" in names
    assert names == sorted(names, key=str.casefold) and "" not in names


def test_a_known_department_comes_back_as_the_register_spells_it() -> None:
    known = ["ICU", "Periop"]
    assert known_department("  periop ", known) == "Periop"
    assert known_department("", known) == ""  # all departments
    with pytest.raises(ServiceError, match="no department “Cardiology”"):
        known_department("Cardiology", known)
