"""CMIO Desktop: plan the human side of a clinical-systems go-live."""

__version__ = "0.1.0"
