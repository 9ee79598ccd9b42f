-- The same exact figure from two official publishers must agree within 0.5 %
-- (e.g. a province's PCT count from CNIPA and from the provincial bulletin).
SELECT a.region_code, a.indicator, a.period_kind, a.period_end, a.publisher, a.value,
       b.publisher AS other_publisher, b.value AS other_value
FROM {staging} a
JOIN {staging} b
  ON a.region_code = b.region_code AND a.indicator = b.indicator AND a.period_kind = b.period_kind
 AND a.period_end = b.period_end AND a.series = b.series AND a.publisher < b.publisher
WHERE a.tier = 'official' AND b.tier = 'official' AND a.qualifier = '' AND b.qualifier = ''
  AND ABS(a.value - b.value) > 0.005 * ABS(b.value)
