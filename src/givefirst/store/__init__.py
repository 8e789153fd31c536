"""Storage: the schema, migrations and queries. The only package that speaks SQL."""
