"""Publisher registry: one module per publisher, listed here in refresh order."""

from __future__ import annotations

import importlib
from types import ModuleType

from sources.errors import ConfigError

PUBLISHER_MODULES: tuple[str, ...] = (
    "cnipa",
    "anhui_amr",
    "anhui_stats",
    "huainan_amr",
    "huainan_stats",
    "shanghai_ip",
    "shanghai_stats",
    "jiangsu_ip",
    "jiangsu_stats",
    "zhejiang_amr",
    "zhejiang_stats",
    "ncac",
    "mirrors",
    "office",
)


def load(name: str) -> ModuleType:
    if name not in PUBLISHER_MODULES:
        known = ", ".join(PUBLISHER_MODULES)
        raise ConfigError(f"unknown publisher {name!r} (known: {known})")
    return importlib.import_module(f"sources.publishers.{name}")


def all_publishers() -> list[ModuleType]:
    return [load(name) for name in PUBLISHER_MODULES]


def allowed_hosts() -> set[str]:
    """Every host some publisher declares: the HTTP client's allowlist."""
    return {host for module in all_publishers() for host in module.PUBLISHER.hosts}
