"""ADKAR assessments and survey rounds, the readiness overview and the forecast."""
