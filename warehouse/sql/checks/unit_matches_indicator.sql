-- Every staged value is in its indicator's canonical unit.
SELECT s.region_code, s.indicator, s.period_end, s.value, s.unit, i.unit AS expected_unit,
       s.document_sha256
FROM {staging} s
JOIN indicator i ON i.indicator = s.indicator
WHERE s.unit <> i.unit
