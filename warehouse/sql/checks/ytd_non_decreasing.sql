-- A year-to-date value may not fall later in the same year (same region, indicator, series, publisher).
SELECT a.region_code, a.indicator, a.period_end, a.value, b.period_end AS later_period_end,
       b.value AS later_value, a.publisher, a.document_sha256
FROM {staging} a
JOIN {staging} b
  ON a.region_code = b.region_code AND a.indicator = b.indicator AND a.series = b.series
 AND a.publisher = b.publisher
WHERE a.period_kind = 'ytd' AND b.period_kind IN ('ytd', 'year')
  AND {year:a.period_end} = {year:b.period_end}
  AND b.period_end > a.period_end
  AND b.value < a.value
