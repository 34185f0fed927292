"""Confide: clinical documentation for mental-health practices."""

__version__ = "0.1.0"
