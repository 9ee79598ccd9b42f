"""Progress reporting for long work, without tying library code to a terminal."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, stage: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1, detail: str = "") -> None: ...

    def done(self, summary: str = "") -> None: ...


class NullProgress:
    """The default: unattended runs (Dagster daemon, tests) report through metadata instead."""

    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1, detail: str = "") -> None:
        pass

    def done(self, summary: str = "") -> None:
        pass
