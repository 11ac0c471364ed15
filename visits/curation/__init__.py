"""Identity curation: the editor's side of visits.identity.

- `merging`: merge one official into another, undo a merge, split an
  official in two; each records the identity judgement it stands for, so
  that every later import and load decides the same way.
- `candidates`: the review queue of pairs of officials that may be one
  person, scored by name, country, offices and years.
- `exporting`: the stored judgements written back into the curated file's
  format, so that curation done in the admin can be versioned.
"""
