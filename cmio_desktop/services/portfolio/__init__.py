"""Across initiatives: change impact per group, change load and saturation, clashes."""
