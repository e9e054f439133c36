"""The shared definition of the published tables, used by the build and by validation.

`models` (Pydantic: authored records and computed rows), `vocabularies` (every enumerated value
with its meaning), `tables` (which model fields make up each table, row models, column docs),
`table_schema` (Frictionless Table Schema and Arrow schema of each table).
"""
