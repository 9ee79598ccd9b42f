-- A published per-N ratio must agree with numerator / denominator × N, using the denominator of the
-- same year or of the previous year end (publishers hold the denominator fixed within a year).
-- {tolerance} is the largest relative difference allowed. With {require_previous} = 1 only ratios
-- whose previous year-end denominator is known are judged (the usual basis): without it, a
-- same-year denominator can differ by the year's growth and proves nothing.
-- Years are columns and the two admissible denominator years a two-row lag table, so every join
-- is an equality join (hash joins on PostgreSQL, not nested loops over the whole warehouse).
WITH vals AS (
    SELECT region_code, indicator, period_end, {year:period_end} AS yr, value FROM {staging} s
    WHERE series = '' AND qualifier = '' AND period_kind = 'stock'
      AND indicator IN ({operands})
    UNION ALL
    SELECT region_code, indicator, period_end, {year:period_end} AS yr, value FROM fact
    WHERE series = '' AND qualifier = '' AND period_kind = 'stock'
      AND indicator IN ({operands})
), ratios AS (
    SELECT b.region_code, b.indicator, b.period_end, {year:b.period_end} AS yr, b.value,
           i.numerator, i.denominator, i.per, b.document_sha256
    FROM {staging} b JOIN indicator i ON i.indicator = b.indicator
    WHERE i.kind = 'ratio' AND i.numerator IS NOT NULL AND i.denominator IS NOT NULL
      AND b.series = '' AND b.qualifier = '' AND b.value > 0
), lags AS (
    SELECT 0 AS lag UNION ALL SELECT 1
), candidates AS (
    SELECT r.region_code, r.indicator, r.period_end, r.value, r.document_sha256,
           ABS(r.value - n.value * r.per / d.value) / r.value AS rel_diff
    FROM ratios r
    JOIN vals n ON n.region_code = r.region_code AND n.indicator = r.numerator
               AND n.period_end = r.period_end
    CROSS JOIN lags l
    JOIN vals d ON d.region_code = r.region_code AND d.indicator = r.denominator
               AND d.yr = r.yr - l.lag AND d.value > 0
    WHERE {require_previous} = 0 OR EXISTS (
          SELECT 1 FROM vals p
          WHERE p.region_code = r.region_code AND p.indicator = r.denominator
            AND p.yr = r.yr - 1)
)
SELECT region_code, indicator, period_end, value, document_sha256, MIN(rel_diff) AS best_rel_diff
FROM candidates
GROUP BY region_code, indicator, period_end, value, document_sha256
HAVING MIN(rel_diff) > {tolerance}
