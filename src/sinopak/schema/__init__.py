"""The shared definition of the published tables, used by the build and by validation.

`models` (Pydantic: authored records and computed rows), `vocabularies` (every enumerated value
with its meaning), `tables` (which model fields make up each table, row models, column docs),
`columns` (Column and TableDef: a table as plain data), `table_defs` (every TableDef, generated
from `tables` by `sinopak build` so that validation imports no Pydantic), `table_schema`
(Frictionless Table Schema and Arrow schema of each table).
"""
