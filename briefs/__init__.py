"""The office's benchmarking brief: data model, charts, and DOCX / HTML / PDF renderings."""
