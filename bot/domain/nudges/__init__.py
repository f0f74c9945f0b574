"""Nudges: what is due when, for whom, at their local working hours (pure domain code)."""
