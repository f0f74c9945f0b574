"""Nudges in motion: planning into the outbox, delivering from it, and the clock that drives both."""
