"""One page per person: who the sources' people are, and an editor's word on it.

People come from sources that write them differently: an article names an
official by the slug its annotator chose, a traveller record by the data's
own id, a foreign leader's record by name and country. Each way a source
names a person is a *key* (`keys`); an official answers to the keys that
resolved to them (`IdentityKey` rows). Like OpenSanctions' nomenklatura,
judgements say that two keys are the same person, different people, or that
an editor is unsure; they are stored (`IdentityJudgement`, and the curated
file `fixtures/identity_judgements.yaml`) and applied again by every import.

- `keys`: the key of each way a source names a person.
- `judgements`: the curated file and the stored judgements, as one set.
- `resolver`: what the importer asks: which official a record's person is.

An editor's side of it (merging, undoing, splitting, the review queue of
possible duplicates) is `visits.curation`.
"""
