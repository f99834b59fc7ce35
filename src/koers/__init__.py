"""Koers: OKRs and KPIs."""

__version__ = "0.1.0"
