"""Dagster wiring and the ``ipbench`` command: the only package that imports dagster."""
