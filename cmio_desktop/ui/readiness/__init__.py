"""The Readiness page: ADKAR rounds, barrier points, heat maps, trend and forecast."""

from .assessment_editor import AssessmentEditor
from .page import ReadinessPage
from .survey_dialog import SurveyRoundDialog

__all__ = ["AssessmentEditor", "ReadinessPage", "SurveyRoundDialog"]
