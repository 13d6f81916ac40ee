"""The Plan page: engagement activities, timeline, communications and training."""

from .page import PlanPage

__all__ = ["PlanPage"]
