"""The review queue: pairs of officials that may be one person, scored, for an editor to judge.

As in OpenSanctions' nomenklatura (`xref`), candidate pairs are proposed
and scored here, an editor judges each (same, different, unsure: see
visits.curation.merging and the admin), and judged pairs never come back.

A pair is compared when the two share a country (the official's own, or
that of an office they held), or have the same name in two countries (a
president of Czechoslovakia who then led the Czech Republic). The score, 0
to 100, is:

- `NAME_WEIGHT` x the likeness of the names (rapidfuzz), folded, without
  honorifics or connecting words ("al", "bin", "de"): the better of the
  token-sort ratio and the token-set ratio less `SUBSET_PENALTY` (so
  "Abdullah II" is close to "Abdullah II bin Al Hussein", but not as close
  as a spelling variant of the whole name);
- `COUNTRY_POINTS` for a shared country;
- offices: `OFFICE_POINTS` when they held one office in common, minus as
  much when both are known and none is common;
- years: `YEAR_POINTS` when their years overlap or nearly meet
  (`NEAR_YEARS`), minus `TOO_LONG_POINTS` when together they would span
  more than one career (visits.people.MAX_TENURE_YEARS).

Pairs whose names are less alike than `MIN_NAME` are not scored; pairs
scoring under `MIN_SCORE` are not queued. A pair is skipped when any
judgement in force (the curated file or a stored one) names a key of each:
same (the next import joins them), different, or unsure.

Officials one page may hold two people of are flagged apart from this
queue: `visits.people.review_notes` writes why into Official.review_notes
(offices longer than a career, a monarch later recorded as an heir), and
the admin lists them.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db import transaction
from django.db.models import Count
from rapidfuzz import fuzz

from ..identity import judgements as judgements_module
from ..identity.keys import official_key, record_key
from ..models import DuplicateCandidate, IdentityKey, Official, SourceRecordOfficial, VisitOfficial
from ..names import HONORIFICS, search_form
from ..people import MAX_TENURE_YEARS, positions_by_official

NAME_WEIGHT = 0.8
SUBSET_PENALTY = 10
COUNTRY_POINTS = 10
OFFICE_POINTS = 5
YEAR_POINTS = 5
TOO_LONG_POINTS = 15
NEAR_YEARS = 10
MIN_NAME = 75
MIN_SCORE = 70
CONNECTING_WORDS = frozenset({"al", "el", "bin", "ibn", "ben", "bint", "de", "da", "del", "di", "do", "dos", "van",
                              "von", "der", "la", "le"})  # fmt: skip


def comparable_name(name):
    """Return `name` as compared: folded, without honorifics, connecting words or parenthesised parts."""
    words = search_form(re.sub(r"\([^)]*\)", " ", name)).split()
    return " ".join(w for w in words if w not in HONORIFICS and w not in CONNECTING_WORDS)


def name_likeness(a, b):
    """Return how alike two comparable names are, 0 to 100."""
    if not a or not b:
        return 0.0
    return max(fuzz.token_sort_ratio(a, b), fuzz.token_set_ratio(a, b) - (SUBSET_PENALTY if a != b else 0))


@dataclass
class Person:
    """What the queue knows of an official: name, countries, offices, years, visits, keys."""

    pk: int
    name: str
    country: str
    compared: str = ""
    countries: set = field(default_factory=set)
    offices: set = field(default_factory=set)
    first: object = None
    last: object = None
    visits: int = 0
    keys: set = field(default_factory=set)

    @property
    def years(self):
        if self.first is None:
            return "no dates"
        return f"{self.first.year}" if self.first.year == self.last.year else f"{self.first.year}-{self.last.year}"


def score(a, b):
    """Return (score, reasons) of the pair of People `a`, `b`; score None when their names are too unlike."""
    likeness = name_likeness(a.compared, b.compared)
    if likeness < MIN_NAME:
        return None, []
    total, reasons = NAME_WEIGHT * likeness, [f"names {likeness:.0f}% alike"]
    shared = sorted(a.countries & b.countries)
    if shared:
        total += COUNTRY_POINTS
        reasons.append(f"both of {', '.join(shared)}")
    if a.offices and b.offices:
        common = sorted(a.offices & b.offices)
        if common:
            total += OFFICE_POINTS
            reasons.append(f"both {', '.join(common)}")
        else:
            total -= OFFICE_POINTS
            reasons.append(f"no office in common ({', '.join(sorted(a.offices))}; {', '.join(sorted(b.offices))})")
    if a.first is not None and b.first is not None:
        first, last = min(a.first, b.first), max(a.last, b.last)
        gap = max(a.first, b.first).year - min(a.last, b.last).year
        if (last - first).days > MAX_TENURE_YEARS * 365:
            total -= TOO_LONG_POINTS
            reasons.append(f"together {first.year}-{last.year}: longer than one career")
        elif gap <= NEAR_YEARS:
            total += YEAR_POINTS
            reasons.append(f"years {a.years} and {b.years}")
    return round(max(0.0, min(100.0, total)), 1), reasons


def people():
    """Return {official id: Person} for every official with a page of their own."""
    found = {
        pk: Person(pk, name, str(country), comparable_name(name), {str(country)}, keys={official_key(slug)})
        for pk, name, country, slug in Official.objects.with_pages().values_list("pk", "name", "country", "slug")
    }
    for official_id, positions in positions_by_official(list(found)).items():
        person = found[official_id]
        for office, country, first, last in positions:
            if office:
                person.offices.add(office)
            if country:
                person.countries.add(country)
            person.first = first if person.first is None else min(person.first, first)
            person.last = last if person.last is None else max(person.last, last)
    counts = (
        VisitOfficial.objects.filter(official_id__in=list(found)).values_list("official_id").annotate(n=Count("pk"))
    )
    for official_id, n in counts.order_by():
        found[official_id].visits = n
    for key, official_id in IdentityKey.objects.values_list("key", "official_id"):
        if official_id in found:
            found[official_id].keys.add(key)
    for dataset, record_id, position, official_id in SourceRecordOfficial.objects.values_list(
        "record__dataset", "record__record_id", "position", "official_id"
    ):
        if official_id in found:
            found[official_id].keys.add(record_key(dataset, record_id, position))
    return found


def judged_pairs(found, judgements):
    """Return the pairs {frozenset of two official ids} some judgement in force names a key of each."""
    holder = defaultdict(set)
    for person in found.values():
        for key in person.keys:
            holder[key].add(person.pk)
    pairs = set()
    for pair in judgements.different | judgements.unsure:
        first, second = tuple(pair)
        pairs |= {frozenset((a, b)) for a in holder.get(first, ()) for b in holder.get(second, ()) if a != b}
    for declared in judgements.people:
        holders = {pk for key in declared.keys for pk in holder.get(key, ())}
        pairs |= {frozenset(pair) for pair in combinations(sorted(holders), 2)}
    return pairs


def blocks(found):
    """Yield the groups of officials compared pairwise: one per country, and one per name across countries."""
    by_country, by_name = defaultdict(list), defaultdict(list)
    for person in found.values():
        for country in person.countries:
            by_country[country].append(person)
        by_name[person.compared].append(person)
    yield from (by_country[country] for country in sorted(by_country))
    yield from (group for name, group in sorted(by_name.items()) if len({p.country for p in group}) > 1)


@dataclass
class Outcome:
    candidates: list  # DuplicateCandidate, best first
    compared: int = 0
    skipped_judged: int = 0
    flagged: int = 0  # officials with review notes


def find(progress=None):
    """Replace the review queue with the pairs scored now; return an Outcome.

    `progress(number, total)` is called per group of officials compared.
    """
    found = people()
    judged = judged_pairs(found, judgements_module.current())
    groups = list(blocks(found))
    outcome, seen = Outcome(candidates=[]), set()
    for number, group in enumerate(groups, start=1):
        if progress:
            progress(number, len(groups))
        for a, b in combinations(sorted(group, key=lambda p: p.pk), 2):
            pair = frozenset((a.pk, b.pk))
            if pair in seen:
                continue
            seen.add(pair)
            if pair in judged:
                outcome.skipped_judged += 1
                continue
            outcome.compared += 1
            value, reasons = score(a, b)
            if value is not None and value >= MIN_SCORE:
                # The person to keep on the left: the one with more visits, then the older page.
                left, right = sorted((a, b), key=lambda p: (-p.visits, p.pk))
                outcome.candidates.append(
                    DuplicateCandidate(left_id=left.pk, right_id=right.pk, score=value, reasons=reasons)
                )
    outcome.candidates.sort(key=lambda c: (-c.score, c.left_id, c.right_id))
    with transaction.atomic():
        DuplicateCandidate.objects.all().delete()
        DuplicateCandidate.objects.bulk_create(outcome.candidates)
    outcome.flagged = sum(1 for notes in Official.objects.with_pages().values_list("review_notes", flat=True) if notes)
    return outcome
