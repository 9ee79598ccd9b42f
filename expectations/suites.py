"""The staging suites: structure, vocabulary, bounds, consistency, completeness.

Each expectation carries a severity in its ``meta``: an ``error`` blocks promotion, a ``warn`` is
recorded and shown. Vocabularies and bounds come from the reference data, so adding a region or an
indicator needs no code here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import great_expectations as gx

from sources.records import CONTRACT_COLUMNS, PERIOD_KINDS, QUALIFIERS, TIERS
from sources.reference import indicators, regions
from warehouse.validation import (
    bounds_query,
    check_query,
    declared_types_query,
    stored_types_query,
)

ERROR = "error"
WARN = "warn"

KEY_COLUMNS = ["region_code", "indicator", "period_kind", "period_end", "series", "document_sha256"]
REQUIRED_COLUMNS = [
    "run_id",
    *CONTRACT_COLUMNS,
    "location",
    "document_sha256",
    "publisher",
    "tier",
    "published_on",
    "vintage",
    "series",
]
NOT_NULL = [
    "region_code",
    "indicator",
    "period_kind",
    "period_end",
    "value",
    "unit",
    "document_sha256",
    "publisher",
    "tier",
]

# Relative differences between a published ratio and count / denominator.
RATIO_WARN_TOLERANCE = 0.02
RATIO_ERROR_TOLERANCE = 0.10


@dataclass(frozen=True)
class CheckSpec:
    suite: str
    name: str
    severity: str
    expectation: gx.expectations.Expectation


def _meta(suite: str, name: str, severity: str) -> dict:
    return {"suite": suite, "name": name, "severity": severity}


def type_checks(dialect: str, run_id: str) -> list[CheckSpec]:
    specs = [_rows_check("structure", "declared_types", ERROR, declared_types_query(dialect))]
    if dialect == "sqlite":
        specs.append(_rows_check("structure", "stored_types", ERROR, stored_types_query(run_id)))
    return specs


def structure_checks(dialect: str, run_id: str) -> list[CheckSpec]:
    specs = [
        *type_checks(dialect, run_id),
        CheckSpec(
            "structure",
            "required_columns",
            ERROR,
            gx.expectations.ExpectTableColumnsToMatchSet(
                column_set=REQUIRED_COLUMNS,
                exact_match=False,
                meta=_meta("structure", "required_columns", ERROR),
            ),
        ),
        CheckSpec(
            "structure",
            "unique_key",
            ERROR,
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=KEY_COLUMNS, meta=_meta("structure", "unique_key", ERROR)
            ),
        ),
    ]
    for column in NOT_NULL:
        name = f"{column}_not_null"
        specs.append(
            CheckSpec(
                "structure",
                name,
                ERROR,
                gx.expectations.ExpectColumnValuesToNotBeNull(
                    column=column, meta=_meta("structure", name, ERROR)
                ),
            )
        )
    return specs


def vocabulary_checks(dialect: str, run_id: str) -> list[CheckSpec]:
    sets = {
        "region_code": sorted(regions()),
        "indicator": sorted(indicators()),
        "period_kind": list(PERIOD_KINDS),
        "tier": list(TIERS),
        "qualifier": list(QUALIFIERS),
    }
    specs = [
        CheckSpec(
            "vocabulary",
            f"{column}_known",
            ERROR,
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=column, value_set=values, meta=_meta("vocabulary", f"{column}_known", ERROR)
            ),
        )
        for column, values in sets.items()
    ]
    specs.append(
        _rows_check(
            "vocabulary",
            "unit_matches_indicator",
            ERROR,
            check_query("unit_matches_indicator", dialect, run_id),
        )
    )
    return specs


def bounds_checks(run_id: str) -> list[CheckSpec]:
    bounds = {i.id: (i.min_value, i.max_value) for i in indicators().values()}
    return [_rows_check("bounds", "values_within_bounds", ERROR, bounds_query(bounds, run_id))]


def ratio_operands() -> str:
    """The numerators and denominators of the ratio indicators, as an SQL list of literals: a
    literal list lets the planner estimate the rows it selects (a subquery hides them)."""
    names = {
        name
        for i in indicators().values()
        if i.kind == "ratio"
        for name in (i.numerator, i.denominator)
        if name
    }
    return ", ".join(f"'{name}'" for name in sorted(names) if re.fullmatch(r"[a-z0-9_]+", name))


def consistency_checks(dialect: str, run_id: str) -> list[CheckSpec]:
    operands = ratio_operands()
    return [
        _rows_check(
            "consistency",
            "ytd_non_decreasing",
            ERROR,
            check_query("ytd_non_decreasing", dialect, run_id),
        ),
        _rows_check(
            "consistency",
            "city_sum_within_province",
            ERROR,
            check_query("city_sum_within_province", dialect, run_id),
        ),
        _rows_check(
            "consistency",
            "ratio_matches_count",
            ERROR,
            check_query(
                "ratio_matches_count",
                dialect,
                run_id,
                tolerance=RATIO_ERROR_TOLERANCE,
                require_previous=1,
                operands=operands,
            ),
        ),
        _rows_check(
            "consistency",
            "ratio_close_to_count",
            WARN,
            check_query(
                "ratio_matches_count",
                dialect,
                run_id,
                tolerance=RATIO_WARN_TOLERANCE,
                require_previous=0,
                operands=operands,
            ),
        ),
        _rows_check(
            "consistency", "sources_agree", ERROR, check_query("sources_agree", dialect, run_id)
        ),
    ]


# A publisher yielding less than this share of its last promoted rows or documents blocks the
# promotion: half the data gone overnight is a broken parser or a redesigned site, not news.
COMPLETENESS_MIN_SHARE = 0.5


def completeness_checks(dialect: str, run_id: str) -> list[CheckSpec]:
    return [
        _rows_check(
            "completeness",
            "publisher_completeness",
            ERROR,
            check_query(
                "publisher_completeness", dialect, run_id, min_share=COMPLETENESS_MIN_SHARE
            ),
        )
    ]


def staging_checks(dialect: str, run_id: str) -> list[CheckSpec]:
    return [
        *structure_checks(dialect, run_id),
        *vocabulary_checks(dialect, run_id),
        *bounds_checks(run_id),
        *consistency_checks(dialect, run_id),
        *completeness_checks(dialect, run_id),
    ]


def _rows_check(suite: str, name: str, severity: str, sql: str) -> CheckSpec:
    # The queries name this run's staging rows themselves: GX renders {batch} differently on
    # SQLite and PostgreSQL, and PostgreSQL refuses one of the two forms. GX still wants to see
    # the placeholder (it prints a warning per expectation otherwise), so it sits in a comment.
    sql = f"{sql}\n/* batch: {{batch}} */"
    return CheckSpec(
        suite,
        name,
        severity,
        gx.expectations.UnexpectedRowsExpectation(
            unexpected_rows_query=sql, description=name, meta=_meta(suite, name, severity)
        ),
    )
