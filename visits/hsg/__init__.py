"""Importing the U.S. Office of the Historian's travels and visits records.

- `countries`: the data's country ids -> ISO 3166-1 codes (django-countries
  lookups plus a table of exceptions and dated historical states).
- `people`: splitting "Prime Minister Benjamin Netanyahu" into office and
  name, and the rule that says two names are the same person.
- `reader`: XML files -> plain records (no database).
- `united`: a visit's values from its records (shared with the article loader).
- `importer`: one transaction per file, bulk writes, counts for the summary.

`manage.py import_hsg` is a thin shell around `importer.import_paths`.
This module imports nothing, so that `visits.loading` may use `united`
without a cycle.
"""
