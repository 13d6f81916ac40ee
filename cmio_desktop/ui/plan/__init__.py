"""The Plan page: engagement activities, timeline, communications and training."""

from cmio_desktop.ui.plan.page import PlanPage

__all__ = ["PlanPage"]
