"""Resources: how assets reach the archive and the warehouse; tests swap them by configuration."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from sqlalchemy.engine import Engine

from sources import config
from sources.archive import Archive
from sources.transport import Transport, make_transport
from warehouse.db import make_engine, upgrade


class ArchiveResource(dg.ConfigurableResource):
    """Where documents come from (``mode``) and where their bytes are kept (``root``)."""

    mode: str = "sample"
    root: str = ""
    # For mode=replay: the archive directory of a previous refresh.
    replay_from: str = ""

    def archive(self) -> Archive:
        return Archive(Path(self.root) if self.root else config.archive_dir())

    def transport(self, archive: Archive) -> Transport:
        return make_transport(
            self.mode,
            archive=archive,
            replay_from=Path(self.replay_from) if self.replay_from else None,
        )


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse database; an empty URL means ``IPBENCH_DATABASE_URL`` or the SQLite default."""

    url: str = ""

    def engine(self) -> Engine:
        engine = make_engine(self.url or None)
        upgrade(engine)
        return engine
