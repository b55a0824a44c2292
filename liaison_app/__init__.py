"""Liaison Desk core: workspace, importing, progress, evidence and packets. Never imports Qt."""

__version__ = "0.1.0"

__all__ = ["__version__"]
