"""Governance: risks, decisions, requests and the go/no-go scorecard."""
