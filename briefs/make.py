"""One call from the warehouse to the brief's files: read the marts, build the model, draw the
charts, write DOCX / HTML / PDF."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from briefs import charts, model, render
from sources.errors import BriefError
from sources.reference import HUAINAN_CODE, all_known_regions
from warehouse import briefing
from warehouse.peers import load_peer_groups

FORMATS = ("docx", "html", "pdf")


def make_brief(
    engine: Engine,
    *,
    year: int | None = None,
    peers: tuple[str, ...] = ("anhui", "yrd"),
    formats: tuple[str, ...] = FORMATS,
    out_dir: Path,
    region: str = HUAINAN_CODE,
) -> tuple[model.Brief, list[Path]]:
    unknown_formats = set(formats) - set(FORMATS)
    if unknown_formats:
        raise BriefError(f"unknown format(s) {sorted(unknown_formats)}; choose from {FORMATS}")
    groups = load_peer_groups()
    missing = [p for p in peers if p not in groups]
    if missing:
        raise BriefError(f"unknown peer group(s) {missing}; known: {', '.join(sorted(groups))}")
    members = sorted({m for p in peers for m in groups[p].members})
    data = briefing.read_all(engine, region, year, peers, members)
    if not data.get("year") or not data.get("gaps"):
        raise BriefError(
            f"no benchmark data for {region} in {year or 'any year'}: run `ipbench refresh` first"
        )
    name = all_known_regions()[region].name
    brief = model.build(data, region_name=name, groups=tuple(peers))
    brief.charts = charts.all_charts(brief, data)
    return brief, render.write(brief, out_dir, formats)
