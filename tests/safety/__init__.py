"""Shared machinery of the safety suites (kills, faults, the state machine): used by the fast
tests and by ``python -m benchmarks --only safety`` (the full-size run)."""
