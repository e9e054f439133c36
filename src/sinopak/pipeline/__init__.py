"""The build, from seeds/ to dist/, one module per step.

`project` (the folders), `safe_yaml` and `seeds` (read the hand-written YAML into models),
`sources` (byte-exact articles), `segment` (sentences), `corpus` (the seeds as one object),
`checks` (across records), `dates` (date rules), `rows` (table rows), `export` (CSV, JSON,
Parquet, descriptor), `sqlite`, `card`, `explorer`, `release` (zip, SHA256SUMS), `swap`
(atomic replacement of dist/), `build` (runs them in order). `anchor` is the curator's helper
that fills evidence offsets.
"""
