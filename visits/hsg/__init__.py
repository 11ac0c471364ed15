"""Importing the U.S. Office of the Historian's travels and visits records.

- `countries`: the data's country ids -> ISO 3166-1 codes (django-countries
  lookups plus a table of exceptions and dated historical states).
- `people`: splitting "Prime Minister Benjamin Netanyahu" into office and
  name, and the rule that says two names are the same person.
- `reader`: XML files -> plain records (no database).
- `importer`: one transaction per file, bulk writes, counts for the summary.

What a visit becomes from its records is `visits.uniting.recorded_values`,
shared with the article loader. `manage.py import_hsg` is a thin shell
around `importer.import_paths`.
"""
