-- Where a document gives every city of a province and the province itself, the cities' sum of a
-- count may not exceed the province total by more than 1 % (a double-counted 市本级 or district
-- row shows up here). Compared within one document: two publishers may count differently.
WITH one_value AS (
    SELECT document_sha256, region_code, indicator, period_kind, period_end, series,
           MAX(value) AS value
    FROM {staging} batch_rows
    WHERE qualifier = ''
    GROUP BY document_sha256, region_code, indicator, period_kind, period_end, series
), cities AS (
    SELECT v.document_sha256, r.province_code, v.indicator, v.period_kind, v.period_end, v.series,
           SUM(v.value) AS city_sum, COUNT(*) AS n_cities
    FROM one_value v
    JOIN region r ON r.region_code = v.region_code AND r.level = 'city'
    JOIN indicator i ON i.indicator = v.indicator AND i.kind IN ('stock', 'flow')
    GROUP BY v.document_sha256, r.province_code, v.indicator, v.period_kind, v.period_end, v.series
), expected AS (
    SELECT province_code, COUNT(*) AS n_cities FROM region WHERE level = 'city' GROUP BY province_code
)
SELECT c.province_code AS region_code, c.indicator, c.period_kind, c.period_end,
       c.city_sum, p.value AS province_value, c.n_cities, c.document_sha256
FROM cities c
JOIN expected e ON e.province_code = c.province_code AND e.n_cities = c.n_cities
JOIN one_value p
  ON p.document_sha256 = c.document_sha256 AND p.region_code = c.province_code
 AND p.indicator = c.indicator AND p.period_kind = c.period_kind
 AND p.period_end = c.period_end AND p.series = c.series
WHERE c.city_sum > p.value * 1.01
