"""Where the system keeps its files and which warehouse it talks to.

Every setting comes from the environment so that the CLI, Dagster and the tests agree:

* ``IPBENCH_DATA_DIR``      data directory (archive, SQLite warehouse, briefs, docs); default ``./data``
                            under the project root.
* ``IPBENCH_DATABASE_URL``  SQLAlchemy URL of the warehouse; default a SQLite file in the data directory.
* ``IPBENCH_SIMULATOR``     base URL of the loopback simulator; when set, every publisher host is
                            routed to it.
* ``IPBENCH_RATE_LIMIT``    requests per second per host, overriding every publisher's declared
                            politeness (e.g. ``0.2`` for a stricter night, a higher value against the
                            simulator); unset = each publisher's own limit.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = PACKAGE_DIR / "reference"
SAMPLE_DIR = PACKAGE_DIR / "sample"


def data_dir() -> Path:
    path = Path(os.environ.get("IPBENCH_DATA_DIR") or PROJECT_ROOT / "data")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("IPBENCH_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'warehouse.db'}"


def archive_dir() -> Path:
    path = Path(os.environ.get("IPBENCH_ARCHIVE_DIR") or data_dir() / "archive")
    path.mkdir(parents=True, exist_ok=True)
    return path


def inbox_dir() -> Path:
    path = Path(os.environ.get("IPBENCH_INBOX_DIR") or data_dir() / "inbox")
    path.mkdir(parents=True, exist_ok=True)
    return path


def simulator_url() -> str | None:
    return os.environ.get("IPBENCH_SIMULATOR") or None


def rate_limit_override() -> float | None:
    from sources.errors import ConfigError

    text = os.environ.get("IPBENCH_RATE_LIMIT")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"IPBENCH_RATE_LIMIT={text!r} is not a number") from None
    if value <= 0:
        raise ConfigError("IPBENCH_RATE_LIMIT must be positive (requests per second per host)")
    return value


def staging_keep_runs() -> int:
    """How many refreshes keep their staging rows (default 14: two weeks of nightly runs)."""
    from sources.errors import ConfigError

    text = os.environ.get("IPBENCH_STAGING_KEEP_RUNS") or "14"
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"IPBENCH_STAGING_KEEP_RUNS={text!r} is not a whole number of at least 1")
    return int(text)
