"""The warehouse: schema, migrations, loads, promotion, marts and read-only queries (all SQL)."""
