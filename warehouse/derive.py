"""Per-10k ratios derived from counts and denominators, and provincial averages.

Publishers compute 每万人口… ratios on the resident population at the end of the *previous* year
(the denominator is held fixed within a year), so a derived ratio does the same and falls back to
the same year end only when the previous one is unknown; each derived row says which denominator
it used (period end, vintage, basis) so a reader can check it against the published figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import polars as pl

from sources.errors import ValidationFailed
from sources.records import TIER_RANK, TIERS
from sources.reference import Indicator, Region

FACT_SCHEMA: dict[str, pl.DataType] = {
    "region_code": pl.String(),
    "indicator": pl.String(),
    "period_kind": pl.String(),
    "period_end": pl.Date(),
    "value": pl.Float64(),
    "unit": pl.String(),
    "tier": pl.String(),
    "series": pl.String(),
    "vintage": pl.String(),
    "derived": pl.Boolean(),
    "publisher": pl.String(),
    "document_sha256": pl.String(),
}
_FACT_DEFAULTS = {
    "unit": "",
    "tier": "official",
    "series": "",
    "vintage": "",
    "derived": False,
    "publisher": "",
    "document_sha256": "",
}
# Which denominator revision to trust when several exist for one date (quirk 18).
VINTAGE_RANK = {"revised": 0, "census": 1, "": 2, "pre-census": 3}
DERIVED_PUBLISHER = "derived"
# Flows are divided by the year's denominator too (作品登记 per million); partial-year flows
# (ytd, month, half) are not comparable with a full-year ratio and are never derived.
_DERIVABLE_KINDS = ("stock", "year")
PROVINCE_RATIO = "province_ratio"
CITY_MEAN = "city_mean"
BENCHMARK_COLUMNS = ("peer_group", "definition", "indicator", "period_end", "value", "n_regions")


def facts_frame(rows: Iterable[Mapping]) -> pl.DataFrame:
    """A facts frame in the declared schema; columns other than the key and value may be left
    out of each row and take their defaults (main series, official, not derived)."""
    filled = [{**_FACT_DEFAULTS, **row} for row in rows]
    return pl.DataFrame(filled, schema=FACT_SCHEMA)


def require_columns(frame: pl.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationFailed(f"frame lacks columns {missing}", where=what)


def _check_facts(facts: pl.DataFrame, what: str) -> None:
    require_columns(facts, FACT_SCHEMA, what)
    unknown = set(facts["tier"].unique().to_list()) - set(TIERS)
    if unknown:
        raise ValidationFailed(f"unknown tiers {sorted(unknown)}", where=what)
    unknown = set(facts["vintage"].unique().to_list()) - set(VINTAGE_RANK)
    if unknown:
        raise ValidationFailed(f"unknown vintages {sorted(unknown)}", where=what)


def _tier_rank(column: str) -> pl.Expr:
    return pl.col(column).replace_strict(TIER_RANK, return_dtype=pl.Int32)


def _best_per_key(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """One row per key: the best vintage, then the best tier."""
    return (
        frame.with_columns(
            pl.col("vintage").replace_strict(VINTAGE_RANK, return_dtype=pl.Int32).alias("_v"),
            _tier_rank("tier").alias("_t"),
        )
        .sort(["_v", "_t"])
        .unique(keys, keep="first", maintain_order=True)
        .drop("_v", "_t")
    )


def _year_end(year: pl.Expr) -> pl.Expr:
    return pl.date(year, 12, 31)


def _derive_one(facts: pl.DataFrame, ratio: Indicator) -> pl.DataFrame:
    """Every derivable value of one ratio, whether or not it is also published."""
    main = facts.filter(pl.col("series") == "")
    num = _best_per_key(
        main.filter(
            (pl.col("indicator") == ratio.numerator) & pl.col("period_kind").is_in(_DERIVABLE_KINDS)
        ),
        ["region_code", "period_kind", "period_end"],
    )
    den = _best_per_key(
        main.filter(
            (pl.col("indicator") == ratio.denominator)
            & (pl.col("period_kind") == "stock")
            & (pl.col("value") > 0)
        ),
        ["region_code", "period_end"],
    ).select(
        "region_code",
        pl.col("period_end").alias("den_end"),
        pl.col("value").alias("denominator_value"),
        pl.col("vintage").alias("denominator_vintage"),
        pl.col("tier").alias("den_tier"),
        pl.col("document_sha256").alias("denominator_document_sha256"),
    )
    year = pl.col("period_end").dt.year()
    num = num.with_columns(
        _year_end(year - 1).alias("_prev_end"), _year_end(year).alias("_same_end")
    )
    prev = num.join(den, left_on=["region_code", "_prev_end"], right_on=["region_code", "den_end"])
    prev = prev.with_columns(
        pl.col("_prev_end").alias("denominator_period_end"),
        pl.lit("previous_year_end").alias("denominator_basis"),
    )
    rest = num.join(
        prev.select("region_code", "period_kind", "period_end"),
        how="anti",
        on=[
            "region_code",
            "period_kind",
            "period_end",
        ],
    )
    same = rest.join(den, left_on=["region_code", "_same_end"], right_on=["region_code", "den_end"])
    same = same.with_columns(
        pl.col("_same_end").alias("denominator_period_end"),
        pl.lit("same_year_end").alias("denominator_basis"),
    )
    both = pl.concat([prev, same], how="vertical")
    weaker = pl.max_horizontal(_tier_rank("tier"), _tier_rank("den_tier"))
    return both.select(
        "region_code",
        pl.lit(ratio.id).alias("indicator"),
        "period_kind",
        "period_end",
        (pl.col("value") / pl.col("denominator_value") * ratio.per).alias("value"),
        pl.lit(ratio.unit).alias("unit"),
        weaker.replace_strict(dict(enumerate(TIERS)), return_dtype=pl.String).alias("tier"),
        pl.lit("").alias("series"),
        pl.lit("").alias("vintage"),
        pl.lit(True).alias("derived"),
        pl.lit(DERIVED_PUBLISHER).alias("publisher"),
        "document_sha256",
        pl.col("value").alias("numerator_value"),
        "denominator_value",
        "denominator_period_end",
        "denominator_vintage",
        "denominator_basis",
        "denominator_document_sha256",
    )


def _derivable(indicators: Mapping[str, Indicator]) -> list[Indicator]:
    return [
        ind
        for ind in indicators.values()
        if ind.kind == "ratio" and ind.numerator and ind.denominator and ind.per
    ]


def _all_derived(facts: pl.DataFrame, indicators: Mapping[str, Indicator]) -> pl.DataFrame:
    frames = [_derive_one(facts, ratio) for ratio in _derivable(indicators)]
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame()


def _published(facts: pl.DataFrame) -> pl.DataFrame:
    return facts.filter(~pl.col("derived") & (pl.col("series") == ""))


def derive_ratios(facts: pl.DataFrame, indicators: Mapping[str, Indicator]) -> pl.DataFrame:
    """Derived ratio rows (``derived=True``) for every region and period where the numerator is
    known, a denominator exists and no ratio is published: the fact columns plus
    ``numerator_value``, ``denominator_value``, ``denominator_period_end``,
    ``denominator_vintage``, ``denominator_basis`` and ``denominator_document_sha256``."""
    _check_facts(facts, "derive_ratios")
    derived = _all_derived(facts, indicators)
    if derived.is_empty():
        return derived
    published = _published(facts).select("region_code", "indicator", "period_end").unique()
    return derived.join(published, on=["region_code", "indicator", "period_end"], how="anti").sort(
        "indicator", "region_code", "period_end"
    )


def compare_published_derived(
    facts: pl.DataFrame, indicators: Mapping[str, Indicator]
) -> pl.DataFrame:
    """Published ratios beside the value derived from their counts:
    region_code, indicator, period_end, published, derived, rel_diff (derived/published − 1)."""
    _check_facts(facts, "compare_published_derived")
    derived = _all_derived(facts, indicators)
    columns = ["region_code", "indicator", "period_end", "published", "derived", "rel_diff"]
    if derived.is_empty():
        return pl.DataFrame(
            schema={
                "region_code": pl.String,
                "indicator": pl.String,
                "period_end": pl.Date,
                "published": pl.Float64,
                "derived": pl.Float64,
                "rel_diff": pl.Float64,
            }
        )
    published = _best_per_key(_published(facts), ["region_code", "indicator", "period_end"]).select(
        "region_code", "indicator", "period_end", pl.col("value").alias("published")
    )
    joined = published.join(
        derived.select("region_code", "indicator", "period_end", pl.col("value").alias("derived")),
        on=["region_code", "indicator", "period_end"],
    )
    rel = pl.when(pl.col("published") != 0).then(pl.col("derived") / pl.col("published") - 1)
    return joined.with_columns(rel.alias("rel_diff")).select(columns).sort(columns[:3])


def _values_at(
    facts: pl.DataFrame, indicators: Mapping[str, Indicator], indicator: str, period_end: dt.date
) -> pl.DataFrame:
    """Published values of one indicator at one date, completed with derived ones."""
    published = _best_per_key(
        _published(facts).filter(
            (pl.col("indicator") == indicator) & (pl.col("period_end") == period_end)
        ),
        ["region_code"],
    ).select("region_code", "value", pl.lit(False).alias("derived"))
    if indicator not in indicators or indicator not in {i.id for i in _derivable(indicators)}:
        return published
    derived = _derive_one(facts, indicators[indicator]).filter(pl.col("period_end") == period_end)
    derived = derived.join(published, on="region_code", how="anti").select(
        "region_code", "value", pl.lit(True).alias("derived")
    )
    return pl.concat([published, derived], how="vertical")


def province_average(
    facts: pl.DataFrame,
    regions: Mapping[str, Region],
    indicator: str,
    period_end: dt.date,
    *,
    province_code: str = "340000",
    indicators: Mapping[str, Indicator] | None = None,
) -> pl.DataFrame:
    """The provincial average of one indicator at one date, both ways, one row each:
    ``province_ratio`` (the province's own figure, published or derived from its counts) and
    ``city_mean`` (mean over the province's prefecture cities that have a value). Columns:
    definition, region_code, indicator, period_end, value, n_regions, n_expected, derived."""
    _check_facts(facts, "province_average")
    if province_code not in regions or regions[province_code].level != "province":
        raise ValidationFailed(f"{province_code!r} is not a province", where="province_average")
    if indicators is None:
        from sources.reference import indicators as load_indicators

        indicators = load_indicators()
    cities = [
        code
        for code, r in regions.items()
        if r.level == "city" and r.province_code == province_code and code != province_code
    ]
    values = _values_at(facts, indicators, indicator, period_end)
    own = values.filter(pl.col("region_code") == province_code)
    city = values.filter(pl.col("region_code").is_in(cities))
    rows = [
        {
            "definition": PROVINCE_RATIO,
            "value": own["value"][0] if own.height else None,
            "n_regions": own.height,
            "n_expected": 1,
            "derived": bool(own["derived"][0]) if own.height else False,
        },
        {
            "definition": CITY_MEAN,
            "value": city["value"].mean() if city.height else None,
            "n_regions": city.height,
            "n_expected": len(cities),
            "derived": bool(city["derived"].any()) if city.height else False,
        },
    ]
    return pl.DataFrame(
        [
            {"region_code": province_code, "indicator": indicator, "period_end": period_end, **r}
            for r in rows
        ],
        schema={
            "region_code": pl.String,
            "indicator": pl.String,
            "period_end": pl.Date,
            "definition": pl.String,
            "value": pl.Float64,
            "n_regions": pl.Int64,
            "n_expected": pl.Int64,
            "derived": pl.Boolean,
        },
    ).select(
        "definition", "region_code", "indicator", "period_end", "value", "n_regions",
        "n_expected", "derived",
    )  # fmt: skip


def province_benchmarks(
    facts: pl.DataFrame,
    regions: Mapping[str, Region],
    indicators: Mapping[str, Indicator],
    indicator_ids: Iterable[str],
    *,
    peer_group: str = "anhui",
    province_code: str = "340000",
) -> pl.DataFrame:
    """Year-end provincial averages of the given indicators over every year in the facts, in
    the benchmark layout ``track_targets`` reads (peer_group, definition, indicator,
    period_end, value, n_regions); dates where an average has no value are left out."""
    ids = list(indicator_ids)
    ends = (
        facts.filter(
            pl.col("indicator").is_in(ids)
            | pl.col("indicator").is_in([indicators[i].numerator for i in ids if i in indicators])
        )
        .filter((pl.col("period_end").dt.month() == 12) & (pl.col("period_end").dt.day() == 31))
        .select("indicator", "period_end")
    )
    frames = []
    for ind in ids:
        source_ids = {ind, getattr(indicators.get(ind), "numerator", None)}
        dates = ends.filter(pl.col("indicator").is_in(list(source_ids - {None})))
        for end in sorted(set(dates["period_end"].to_list())):
            avg = province_average(
                facts, regions, ind, end, province_code=province_code, indicators=indicators
            )
            frames.append(avg.filter(pl.col("value").is_not_null()))
    schema = {
        "peer_group": pl.String,
        "definition": pl.String,
        "indicator": pl.String,
        "period_end": pl.Date,
        "value": pl.Float64,
        "n_regions": pl.Int64,
    }
    if not frames:
        return pl.DataFrame(schema=schema)
    return (
        pl.concat(frames, how="vertical")
        .with_columns(pl.lit(peer_group).alias("peer_group"))
        .select(list(BENCHMARK_COLUMNS))
        .sort("indicator", "definition", "period_end")
    )
