"""The Readiness page: ADKAR rounds, barrier points, heat maps, trend and forecast."""

from cmio_desktop.ui.readiness.assessment_editor import AssessmentEditor
from cmio_desktop.ui.readiness.page import ReadinessPage
from cmio_desktop.ui.readiness.survey_dialog import SurveyRoundDialog

__all__ = ["AssessmentEditor", "ReadinessPage", "SurveyRoundDialog"]
