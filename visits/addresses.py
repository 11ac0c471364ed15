"""Addresses that last: the person or visit an old, merged or guessed address means.

An official's page is `/officials/<slug>/`. Other slugs lead there too
(answered with 301 by the views):

1. the slug of an official merged into another (`Official.merged_into`);
2. a slug an article named the person by (`IdentityKey` `official:<slug>`);
3. a slug the official had before an editor changed it (their history);
4. the Office of the Historian's id of the person (`OfficialIdentifier`);
5. the slug of any name the person is known by (`OfficialName`: spellings,
   short forms: `/officials/antony-blinken/` is Antony John Blinken).

The first rule that finds someone decides. A name several people share
leads to a choice between them, not to one of them at random.

A visit's page is `/visits/<slug>/`; a dataset record's own address
(`hsg-visit-2381`, the slug of the visit it made when it was
first imported) leads to the visit that holds the record now, which is
another one when the record was folded into a visit an article or an
earlier record reports; and a slug a visit had before leads to it.
"""

import re

from .models import IdentityKey, Official, OfficialIdentifier, OfficialName, SourceRecord, Visit

# The slug of the visit a dataset record makes when it is first imported (visits.hsg.importer).
RECORD_SLUG_PREFIX = {
    SourceRecord.Dataset.PRESIDENT_TRAVELS: "hsg-president",
    SourceRecord.Dataset.SECRETARY_TRAVELS: "hsg-secretary",
    SourceRecord.Dataset.FOREIGN_VISITS: "hsg-visit",
}
DATASET_OF_PREFIX = {prefix: dataset for dataset, prefix in RECORD_SLUG_PREFIX.items()}
RECORD_SLUG = re.compile(r"^(?P<prefix>hsg-[a-z]+)-(?P<record_id>[0-9]{1,9})$")


def record_visit_slug(dataset, record_id):
    """Return the slug of the visit a record makes: `hsg-<president|secretary|visit>-<record id>`."""
    return f"{RECORD_SLUG_PREFIX[dataset]}-{record_id}"


class Moved(Exception):
    """The address is another one's: answer with a permanent redirect to `target`."""

    def __init__(self, target):
        super().__init__(target)
        self.target = target


class Ambiguous(Exception):
    """The address is a name several people share: let the reader choose."""

    def __init__(self, people):
        super().__init__(people)
        self.people = people


def canonical_ids(ids):
    """Follow `merged_into` from each official to the person they now are; return their ids, in order."""
    ids = list(dict.fromkeys(ids))
    merged_into = dict(Official.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
    result = []
    for official_id in ids:
        seen = set()
        while official_id in merged_into and official_id not in seen:
            seen.add(official_id)
            official_id = merged_into[official_id]
        result.append(official_id)
    return list(dict.fromkeys(result))


def people_at(slug, official=None):
    """Return the officials (with pages of their own) the address `slug` leads to; `official`: the one holding it."""
    steps = [
        lambda: [official.pk] if official is not None else [],
        lambda: IdentityKey.objects.filter(key=f"official:{slug}").values_list("official_id", flat=True),
        lambda: Official.history.filter(slug=slug).order_by().values_list("id", flat=True).distinct(),
        lambda: OfficialIdentifier.objects.filter(value=slug).values_list("official_id", flat=True),
        lambda: OfficialName.objects.filter(slug=slug).order_by().values_list("official_id", flat=True).distinct(),
    ]
    for step in steps:
        ids = canonical_ids(step())
        people = list(Official.objects.with_pages().filter(pk__in=ids).order_by("sort_name", "slug"))
        if people:
            return people
    return []


def visit_at(slug):
    """Return the visit the address `slug` leads to, or None."""
    match = RECORD_SLUG.match(slug)
    if match and match["prefix"] in DATASET_OF_PREFIX:
        record = (
            SourceRecord.objects.filter(dataset=DATASET_OF_PREFIX[match["prefix"]], record_id=int(match["record_id"]))
            .select_related("visit")
            .first()
        )
        if record is not None:
            return record.visit
    ids = Visit.history.filter(slug=slug).order_by("-history_date").values_list("id", flat=True)
    return Visit.objects.filter(pk__in=list(ids)).order_by("-start").first()
