"""Composite IP index in the spirit of the RIS (methodology §1a).

Per indicator: square root for skewed indicators, min–max over the whole panel (all cities × all
years, so scores are comparable over time) with outliers beyond mean ± 3 SD left out of the
min/max and then clipped, and 1 − x for lower-is-better. The index is the weighted mean of the
scores present × 100, null when too few are present; the relative index is 100 × the region's
index / its benchmark group's mean index in the same year, banded as the EIS groups are;
:func:`index_rows` gives the ``mart_index`` rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from sources.config import REFERENCE_DIR
from sources.errors import ConfigError, ValidationFailed
from sources.records import tiers_label
from sources.reference import HUAINAN_CODE, REGION_LEVELS, Indicator, Region
from sources.reference.indicator_file import read_yaml
from warehouse.peers import with_municipal_cities
from warehouse.trends import annual_points

TRANSFORMS = ("auto", "sqrt", "none")
SCORE_COLUMNS = (
    "region_code",
    "year",
    "indicator",
    "value",
    "transform",
    "transformed",
    "outlier",
    "score",
)
INDEX_COLUMNS = (
    "region_code",
    "year",
    "index",
    "n_indicators",
    "relative_index",
    "benchmark_group",
    "band",
    "band_zh",
    "reason",
)


@dataclass(frozen=True)
class Band:
    id: str
    min: float
    label_zh: str


@dataclass(frozen=True)
class IndexSpec:
    weights: tuple[tuple[str, float], ...]
    transforms: tuple[tuple[str, str], ...]
    panel_level: str
    min_coverage: float
    outlier_sd: float
    skewness_threshold: float
    benchmark_id: str
    benchmark_label_zh: str
    benchmark_level: str
    benchmark_province: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class IndexResult:
    index: pl.DataFrame
    scores: pl.DataFrame


def _positive(data: dict, key: str, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"{key} must be a positive number, not {value!r}", where=where)
    return float(value)


def _bands(raw: Any, where: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError("bands must be a non-empty list", where=where)
    bands = []
    for item in raw:
        if not isinstance(item, dict) or not {"id", "min", "label_zh"} <= set(item):
            raise ConfigError("each band needs id, min and label_zh", where=where)
        bands.append(Band(str(item["id"]), float(item["min"]), str(item["label_zh"])))
    mins = [b.min for b in bands]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins) or mins[-1] != 0:
        raise ConfigError("band minimums must fall strictly and end at 0", where=where)
    return tuple(bands)


def _indicator_entries(raw: Any, indicators: Mapping[str, Indicator], where: str):
    if not isinstance(raw, dict) or not raw:
        raise ConfigError("indicators must be a non-empty mapping", where=where)
    weights, transforms = [], []
    for ind_id, entry in raw.items():
        here = f"{where}, indicator {ind_id}"
        indicator = indicators.get(ind_id)
        if indicator is None:
            raise ConfigError(f"unknown indicator {ind_id!r}", where=here)
        if indicator.kind != "ratio":
            raise ConfigError(
                f"{ind_id} is a {indicator.kind}, not a ratio: raw counts scale with size",
                where=here,
            )
        entry = entry or {}
        transform = entry.get("transform", "auto")
        if transform not in TRANSFORMS:
            raise ConfigError(f"transform must be one of {TRANSFORMS}", where=here)
        weights.append((ind_id, _positive({"weight": entry.get("weight", 1.0)}, "weight", here)))
        transforms.append((ind_id, transform))
    return tuple(weights), tuple(transforms)


def load_index_spec(
    path: Path | None = None, *, indicators: Mapping[str, Indicator] | None = None
) -> IndexSpec:
    """Read and validate ``index.yaml``: known ratio indicators, positive weights, sane bands."""
    path = path or REFERENCE_DIR / "index.yaml"
    if indicators is None:
        from sources.reference import indicators as load_indicators

        indicators = load_indicators()
    data = read_yaml(path)
    where = path.name
    weights, transforms = _indicator_entries(data.get("indicators"), indicators, where)
    level = data.get("panel_level", "city")
    bench = data.get("benchmark")
    if level not in REGION_LEVELS:
        raise ConfigError(f"panel_level {level!r} not one of {REGION_LEVELS}", where=where)
    if not isinstance(bench, dict) or not {"id", "level", "province_code"} <= set(bench):
        raise ConfigError("benchmark needs id, level and province_code", where=where)
    coverage = _positive(data, "min_coverage", where)
    if coverage > 1:
        raise ConfigError("min_coverage is a share of the weight, at most 1", where=where)
    return IndexSpec(
        weights=weights,
        transforms=transforms,
        panel_level=level,
        min_coverage=coverage,
        outlier_sd=_positive(data, "outlier_sd", where),
        skewness_threshold=_positive(data, "skewness_threshold", where),
        benchmark_id=str(bench["id"]),
        benchmark_label_zh=str(bench.get("label_zh", bench["id"])),
        benchmark_level=str(bench["level"]),
        benchmark_province=str(bench["province_code"]),
        bands=_bands(data.get("bands"), where),
    )


def band_for(relative: float | None, bands: tuple[Band, ...]) -> Band | None:
    """The first band (highest first) whose lower bound the relative index reaches."""
    if relative is None or math.isnan(relative):
        return None
    return next((b for b in bands if relative >= b.min), bands[-1])


def _panel(facts: pl.DataFrame, spec: IndexSpec, regions: Mapping[str, Region]) -> pl.DataFrame:
    members = [code for code, r in regions.items() if r.level == spec.panel_level]
    ids = [ind for ind, _ in spec.weights]
    points = annual_points(facts.filter(pl.col("indicator").is_in(ids)))
    points = with_municipal_cities(points, regions, ("indicator", "year"))
    # One value per region, indicator and year: published before derived.
    return (
        points.filter(pl.col("region_code").is_in(members))
        .sort("derived")
        .unique(["region_code", "indicator", "year"], keep="first")
        .select("region_code", "year", "indicator", "value")
    )


def _use_sqrt(values: pl.Series, transform: str, indicator: Indicator, threshold: float) -> bool:
    if transform != "auto":
        return transform == "sqrt"
    if indicator.skewed:
        return True
    skew = values.skew(bias=False) if values.len() >= 3 else None
    return skew is not None and not math.isnan(skew) and skew > threshold


def _score_indicator(
    panel: pl.DataFrame, indicator: Indicator, transform: str, spec: IndexSpec
) -> pl.DataFrame:
    if panel.filter(pl.col("value") < 0).height:
        raise ValidationFailed(f"negative values of {indicator.id}", where="composite index")
    sqrt = _use_sqrt(panel["value"], transform, indicator, spec.skewness_threshold)
    x = panel["value"].sqrt() if sqrt else panel["value"]
    mean, sd = x.mean(), x.std()
    if sd is None or sd == 0 or math.isnan(sd):
        outlier = pl.Series([False] * x.len())
    else:
        outlier = ((x - mean).abs() > spec.outlier_sd * sd).alias("outlier")
    inliers = x.filter(~outlier)
    low, high = inliers.min(), inliers.max()
    if high is None or high == low:
        # No spread in the panel: the indicator tells the regions nothing apart.
        score = pl.Series([None] * x.len(), dtype=pl.Float64)
    else:
        score = ((x - low) / (high - low)).clip(0.0, 1.0)
        if not indicator.higher_is_better:
            score = 1.0 - score
    return panel.with_columns(
        pl.lit("sqrt" if sqrt else "none").alias("transform"),
        x.alias("transformed"),
        outlier.alias("outlier"),
        score.alias("score"),
    )


def normalised_scores(
    facts: pl.DataFrame,
    spec: IndexSpec,
    indicators: Mapping[str, Indicator],
    regions: Mapping[str, Region],
) -> pl.DataFrame:
    """Long table of scores in [0, 1] per region × year × indicator (for radar charts)."""
    panel = _panel(facts, spec, regions)
    transforms = dict(spec.transforms)
    frames = [
        _score_indicator(part, indicators[ind], transforms[ind], spec)
        for (ind,), part in panel.group_by(["indicator"], maintain_order=True)
    ]
    schema = {
        "region_code": pl.String,
        "year": pl.Int32,
        "indicator": pl.String,
        "value": pl.Float64,
        "transform": pl.String,
        "transformed": pl.Float64,
        "outlier": pl.Boolean,
        "score": pl.Float64,
    }
    if not frames:
        return pl.DataFrame(schema=schema)
    return (
        pl.concat(frames, how="vertical")
        .select(list(SCORE_COLUMNS))
        .cast(schema)
        .sort("region_code", "year", "indicator")
    )


def _index(scores: pl.DataFrame, spec: IndexSpec) -> pl.DataFrame:
    weights = pl.DataFrame(
        {"indicator": [i for i, _ in spec.weights], "weight": [w for _, w in spec.weights]}
    )
    total = sum(w for _, w in spec.weights)
    present = scores.filter(pl.col("score").is_not_null()).join(weights, on="indicator")
    per_region = present.group_by("region_code", "year").agg(
        pl.len().alias("n_indicators"),
        pl.col("weight").sum().alias("_weight"),
        (pl.col("score") * pl.col("weight")).sum().alias("_weighted"),
    )
    enough = pl.col("_weight") / total >= spec.min_coverage - 1e-9
    n = len(spec.weights)
    return per_region.with_columns(
        pl.when(enough).then(pl.col("_weighted") / pl.col("_weight") * 100).alias("index"),
        pl.when(enough)
        .then(pl.lit(""))
        .otherwise(pl.format("only {} of {} indicators", pl.col("n_indicators"), pl.lit(n)))
        .alias("reason"),
        pl.col("n_indicators").cast(pl.Int32),
    ).drop("_weight", "_weighted")


def composite_index(
    facts: pl.DataFrame,
    regions: Mapping[str, Region],
    spec: IndexSpec | None = None,
    indicators: Mapping[str, Indicator] | None = None,
) -> IndexResult:
    """Index per region × year (``INDEX_COLUMNS``) and the long table of scores behind it."""
    if indicators is None:
        from sources.reference import indicators as load_indicators

        indicators = load_indicators()
    spec = spec or load_index_spec(indicators=indicators)
    scores = normalised_scores(facts, spec, indicators, regions)
    index = _index(scores, spec)
    group = [
        code
        for code, r in regions.items()
        if r.level == spec.benchmark_level and r.province_code == spec.benchmark_province
    ]
    bench = (
        index.filter(pl.col("region_code").is_in(group) & pl.col("index").is_not_null())
        .group_by("year")
        .agg(pl.col("index").mean().alias("_bench"))
    )
    index = index.join(bench, on="year", how="left").with_columns(
        pl.when(pl.col("_bench") > 0)
        .then(100 * pl.col("index") / pl.col("_bench"))
        .alias("relative_index"),
        pl.lit(spec.benchmark_id).alias("benchmark_group"),
    )
    bands = [band_for(r, spec.bands) for r in index["relative_index"].to_list()]
    index = index.with_columns(
        pl.Series("band", [b.id if b else None for b in bands], dtype=pl.String),
        pl.Series("band_zh", [b.label_zh if b else None for b in bands], dtype=pl.String),
    )
    return IndexResult(
        index=index.select(list(INDEX_COLUMNS)).sort("region_code", "year"), scores=scores
    )


def index_rows(
    facts: pl.DataFrame, regions: Mapping[str, Region], indicators: Mapping[str, Indicator]
) -> list[dict]:
    """``mart_index``: the composite index with the relative index (to the benchmark group's
    mean), Huainan's own yardstick (100 × index / Huainan's index that year) and the tiers of
    the values behind each index."""
    spec = load_index_spec(indicators=indicators)
    index = composite_index(facts, regions, spec, indicators).index
    huainan = index.filter(pl.col("region_code") == HUAINAN_CODE).select(
        "year", pl.col("index").alias("_huainan")
    )
    ids = set(index["region_code"].to_list())
    year_end = (pl.col("period_end").dt.month() == 12) & (pl.col("period_end").dt.day() == 31)
    spec_ids = [i for i, _ in spec.weights]
    tiers = (
        facts.filter(
            pl.col("indicator").is_in(spec_ids)
            & pl.col("region_code").is_in(list(ids))
            & (pl.col("series") == "")
            & year_end
        )
        .group_by("region_code", pl.col("period_end").dt.year().alias("year"))
        .agg(pl.col("tier").unique())
    )
    tier_of = {(r["region_code"], r["year"]): tiers_label(r["tier"]) for r in tiers.to_dicts()}
    relative = pl.when(pl.col("_huainan") > 0).then(100 * pl.col("index") / pl.col("_huainan"))
    out = index.join(huainan, on="year", how="left").with_columns(
        relative.alias("relative_to_huainan")
    )
    return [
        {**r, "tiers": tier_of.get((r["region_code"], r["year"]))}
        for r in out.drop("_huainan").to_dicts()
    ]
