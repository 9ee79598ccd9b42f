"""Great Expectations suites over the warehouse's staging table, defined in code."""
