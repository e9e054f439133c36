"""The build, from seeds/ to dist/, one module per step.

`project` (the folders), `safe_yaml` and `seeds` (read the hand-written YAML into models),
`sources` (byte-exact articles), `segment` (sentences), `corpus` (the seeds as one object),
`checks` (across records), `dates` (date rules), `rows` (table rows), `export` (CSV, JSON,
Parquet, descriptor), `sqlite`, `card` and `explorer` (rendered by `render`), `schemaorg`
(the Dataset JSON-LD in both), `linked_data` (writes `croissant` and `web_annotations`),
`release` (zip, SHA256SUMS), `generated` (files kept in sync with the code), `swap` (compare
and recover), `build` (runs them in order). `coverage` and `anchor` serve curators;
`versioning` serves releases (`sinopak release --check`).
"""
