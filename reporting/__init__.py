"""HR's report on the conversations (`python -m reporting`, `make report`) and retention (`python -m reporting.retention`).

A top-level package, not in actions/: the action server imports every module of actions/ at start, and matplotlib
would slow it down. Reads the events table that Rasa's SQL tracker store (our PrivacyTrackerStore) writes.
"""
