"""ActivityDialog: add or edit one engagement activity and its audience."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

from cmio_desktop.enums import ActivityStatus, ActivityType, AdkarElement
from cmio_desktop.services.plan.activities import AudienceChoices, AudienceEntry
from cmio_desktop.ui.common.audience_editor import AudienceEditor
from cmio_desktop.ui.common.form_dialog import Field, FormDialog, enum_choices


def activity_fields(owners: Sequence[str]) -> list[Field]:
    return [
        Field("title", "Title", required=True),
        Field("type", "Type", "choice", enum_choices(ActivityType)),
        Field("element", "ADKAR element", "choice", enum_choices(AdkarElement, "(none)"),
              help="The element of ADKAR the activity works on"),
        Field("owner", "Owner", "edit_choice", [(o, o) for o in owners]),
        Field("start", "Start", "date"),
        Field("due", "Due", "date"),
        Field("status", "Status", "choice", enum_choices(ActivityStatus)),
        Field("outcome", "Outcome note", "long"),
    ]  # fmt: skip


def _dates_ordered(values: dict[str, Any]) -> str | None:
    if values["due"] < values["start"]:
        return "The due date must not be before the start date."
    return None


class ActivityDialog(FormDialog):
    def __init__(
        self,
        choices: AudienceChoices,
        owners: Sequence[str],
        values: dict[str, Any] | None = None,
        audience: Sequence[AudienceEntry] = (),
        selected_people: Callable[[], list[int]] | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        today = today or date.today()
        defaults = {"type": ActivityType.BRIEFING.value, "status": ActivityStatus.PLANNED.value,
                    "start": today, "due": today + timedelta(days=7)}  # fmt: skip
        title = "Edit activity" if values else "New activity"
        super().__init__(
            title, activity_fields(owners), {**defaults, **(values or {})}, parent,
            validate=_dates_ordered,
        )  # fmt: skip
        self.setMinimumWidth(560)
        self.audience = AudienceEditor(choices, selected_people)
        self.audience.set_entries(list(audience))
        self.extra.addWidget(self.audience)

    def activity_values(self) -> dict[str, Any]:
        values = self.values()
        values["owner"] = values["owner"] or ""
        return values

    def audience_entries(self) -> list[AudienceEntry]:
        return self.audience.entries()
