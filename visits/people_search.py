"""Finding people by name or office: ranked, accent-, case- and punctuation-insensitive.

A query is written as the names are stored for searching
(`visits.names.search_form`: "Müller" is "muller", "al-Thani" is "al thani")
and split into terms. An official is found by any name they are known by
(`OfficialName`: their own, the spellings of the dataset records naming
them, the names of officials merged into them, short forms such as
"Antony Blinken"), or by an office they held. The rank, best first:

- EXACT: one of their names is the query ("abdullah ii");
- PREFIX: a name starts with the query ("abdul", "antony bli");
- WORDS: every term starts a word of one name, in any order ("blinken
  antony", "gaulle");
- INSIDE: every term occurs somewhere in one name ("ulla");
- OFFICE: the query names an office they held: the office's name or a
  usual way of writing it (`offices.ALIASES`) is the query ("secretary
  of state", "president" but not "vice president"), or, when no office is
  named so, every term starts one of its words ("foreign min").

Within a rank the people with the most visits come first, then by sort
name (surname first), so that two keystrokes find the person most people
are looking for. The whole candidate set is ranked in Python: people are
thousands, not millions, and the rules read better than a CASE in SQL.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from . import offices
from .models import ArticleOfficial, OfficialName, SourceRecordOfficial
from .names import search_form

EXACT, PREFIX, WORDS, INSIDE, OFFICE = range(5)
MAX_TERMS = 8
MIN_TERM_INSIDE = 3  # "ab" inside a name is noise; inside matches need three letters


@dataclass(frozen=True)
class Match:
    official_id: int
    rank: int
    matched: str  # the name (or office) that matched, as written


def terms_of(query):
    """Return (the query's search form, its terms), at most MAX_TERMS of them."""
    form = search_form(query or "")[:200]
    terms = form.split()[:MAX_TERMS]
    return " ".join(terms), terms


def starts_words(words, terms):
    return all(any(word.startswith(term) for word in words) for term in terms)


def rank_name(folded, form, terms):
    """Return the rank of one name (in search form) for a query, or None if it does not match."""
    if folded == form:
        return EXACT
    if folded.startswith(form):
        return PREFIX
    if starts_words(folded.split(), terms):
        return WORDS
    if all(len(term) >= MIN_TERM_INSIDE and term in folded for term in terms):
        return INSIDE
    return None


def office_texts():
    """Return {office slug: [search forms of its name and of every alias]}."""
    texts = {}
    for alias, slug in offices.ALIASES.items():
        texts.setdefault(slug, [search_form(offices.name_of(slug))]).append(search_form(alias))
    return texts


OFFICE_TEXTS = office_texts()


def offices_matching(form, terms, held_slugs):
    """Return the slugs among `held_slugs` the query names.

    An office whose name (or a usual way of writing it) is the query wins
    ("president" is not also "vice president"); otherwise every office whose
    name every term starts a word of ("foreign min").
    """
    exact, words = set(), set()
    for slug in held_slugs:
        texts = OFFICE_TEXTS.get(slug) or [search_form(offices.name_of(slug))]
        if form in texts:
            exact.add(slug)
        elif any(starts_words(text.split(), terms) for text in texts):
            words.add(slug)
    return exact or words


def held_office_slugs():
    """Return every office slug some article or record gives someone (for matching office queries)."""
    slugs = set(ArticleOfficial.objects.order_by().values_list("office_slug", flat=True).distinct())
    slugs |= set(SourceRecordOfficial.objects.order_by().values_list("office_slug", flat=True).distinct())
    return slugs - {""}


def holding(officials, slugs):
    """Return `officials` who held one of the offices `slugs` (by article or record)."""
    return officials.filter(
        Exists(ArticleOfficial.objects.filter(official=OuterRef("pk"), office_slug__in=slugs))
        | Exists(SourceRecordOfficial.objects.filter(official=OuterRef("pk"), office_slug__in=slugs))
    )


def find(officials, query, *, held_slugs):
    """Return {official id: Match} for the officials of the queryset `officials` the query finds.

    `held_slugs`: the office slugs anyone held (`held_office_slugs()`, cached by the caller).
    """
    form, terms = terms_of(query)
    if not terms:
        return {}
    condition = Q()
    for term in terms:
        condition &= Q(folded__contains=term)
    found = {}
    names = OfficialName.objects.filter(condition, official__in=officials.values("pk"))
    # Their own name first, so that it is the one shown when another of their names ranks the same.
    rows = names.values_list("official_id", "folded", "name", "official__name")
    for official_id, folded, name, _own in sorted(rows, key=lambda row: row[2] != row[3]):
        rank = rank_name(folded, form, terms)
        if rank is not None and (official_id not in found or rank < found[official_id].rank):
            found[official_id] = Match(official_id, rank, name)
    slugs = offices_matching(form, terms, held_slugs)
    if slugs:
        label = ", ".join(sorted(offices.name_of(slug) for slug in slugs))
        for official_id in holding(officials, slugs).values_list("pk", flat=True):
            found.setdefault(official_id, Match(official_id, OFFICE, label))
    return found


def ranked(matches, visit_counts, sort_names):
    """Return the matches best first: by rank, then most visits, then sort name.

    `visit_counts`: {official id: visits}; `sort_names`: {official id: sort name}.
    """
    return sorted(
        matches.values(),
        key=lambda m: (m.rank, -visit_counts.get(m.official_id, 0), sort_names.get(m.official_id, ""), m.official_id),
    )
