-- Each publisher must yield at least {min_share} of the rows and documents it yielded in the last
-- refresh that staged rows: a site redesign or a parser break must not silently empty the warehouse.
WITH previous AS (
  SELECT s.publisher, COUNT(*) AS n_rows, COUNT(DISTINCT s.document_sha256) AS n_documents
  FROM staging_observation s
  WHERE s.run_id = (
    SELECT r.run_id FROM refresh_run r
    WHERE r.status = 'succeeded' AND r.run_id <> '{run_id}' AND r.observations > 0
    ORDER BY r.started_at DESC LIMIT 1
  )
  GROUP BY s.publisher
), now_ AS (
  SELECT c.publisher, COUNT(*) AS n_rows, COUNT(DISTINCT c.document_sha256) AS n_documents
  FROM {staging} c
  GROUP BY c.publisher
)
SELECT p.publisher, p.n_rows AS previous_rows, COALESCE(n.n_rows, 0) AS rows_now,
       p.n_documents AS previous_documents, COALESCE(n.n_documents, 0) AS documents_now
FROM previous p
LEFT JOIN now_ n ON n.publisher = p.publisher
WHERE COALESCE(n.n_rows, 0) < {min_share} * p.n_rows
   OR COALESCE(n.n_documents, 0) < {min_share} * p.n_documents
