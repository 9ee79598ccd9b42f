"""Acquisition and parsing of published IP statistics: no Dagster, no SQL."""
