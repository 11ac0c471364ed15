"""What is derived from an official's rows: the names they are found by, their sort name, what to review.

`refresh_officials(ids)` is the one writer of `Official.sort_name`,
`Official.review_notes` and the `OfficialName` rows. It runs inside
`visits.refresh.refresh` (every write that touches an official ends in it)
and over every official in `manage.py reindex_visits`.

Names: the official's own name, the names the dataset records write for
them, the names of the officials merged into them, and of each its short
form (visits.names.variants). Each name's slug is an address that leads to
the person (visits.selectors.official_or_redirect).

Review notes (the admin's "Identity checks"): one person's offices should
fit one life. A note is written when the offices an official held span more
than MAX_TENURE_YEARS, or when a monarch's office is followed, later, by a
crown prince's or a prince's (King Hussein, 1959-1999, and the 2023 Crown
Prince Hussein on one page).
"""

from django.db.models import Max, Min

from . import names
from .bulk import insert_rows
from .models import ArticleOfficial, Official, OfficialName, SourceRecordOfficial

MAX_TENURE_YEARS = 45
MONARCHS = frozenset({"king", "queen", "emperor", "sultan", "emir", "shah", "grand-duke"})
HEIRS = frozenset({"crown-prince", "prince"})


def review_notes(positions):
    """Return why a set of positions [(office slug, country, first date, last date)] may be more than one person."""
    notes = []
    if positions:
        first = min(start for _, _, start, _ in positions)
        last = max(end for _, _, _, end in positions)
        if (last - first).days > MAX_TENURE_YEARS * 365:
            notes.append(f"offices from {first.year} to {last.year}: longer than one career")
    reigned = [start for slug, _, start, _ in positions if slug in MONARCHS]
    heir_after = [
        start for slug, _, start, _ in positions if slug in HEIRS and reigned and start.year > min(reigned).year
    ]
    if heir_after:
        notes.append(f"a monarch from {min(reigned).year}, then an heir in {min(heir_after).year}")
    return notes


def positions_by_official(ids):
    """Return {official id: [(office slug, country code, first date, last date)]} from articles and records.

    One entry per office and country, oldest first.
    """
    spans = {}
    for official_id, slug, country, first, last in (
        ArticleOfficial.objects.filter(official_id__in=ids)
        .values_list("official_id", "office_slug", "country")
        .annotate(first=Min("article__published"), last=Max("article__published"))
        .order_by()
    ):
        spans[(official_id, slug, str(country))] = (first, last)
    for official_id, slug, country, first, last in (
        SourceRecordOfficial.objects.filter(official_id__in=ids)
        .values_list("official_id", "office_slug", "country")
        .annotate(first=Min("record__start"), last=Max("record__end"))
        .order_by()
    ):
        key = (official_id, slug, str(country))
        if key in spans:
            first, last = min(first, spans[key][0]), max(last, spans[key][1])
        spans[key] = (first, last)
    positions = {}
    for (official_id, slug, country), (first, last) in sorted(spans.items(), key=lambda item: (item[1][0], item[0])):
        positions.setdefault(official_id, []).append((slug, country, first, last))
    return positions


def refresh_officials(ids):
    """Rewrite the derived names, sort names and review notes of the officials `ids`."""
    ids = set(ids)
    if not ids:
        return
    officials = list(Official.objects.filter(pk__in=ids).only("pk", "name", "sort_name", "review_notes"))
    written = {official.pk: [official.name] for official in officials}
    for official_id, name in (
        SourceRecordOfficial.objects.filter(official_id__in=ids).values_list("official_id", "name").distinct()
    ):
        written[official_id].append(name)
    for official_id, name in Official.objects.filter(merged_into__in=ids).values_list("merged_into_id", "name"):
        written[official_id].append(name)
    positions = positions_by_official(ids)
    rows, changed = [], []
    for official in officials:
        seen = set()
        for written_name in written[official.pk]:
            for form in names.variants(written_name):
                folded = names.search_form(form)
                if folded and folded not in seen:
                    seen.add(folded)
                    rows.append((official.pk, form, folded, names.official_slug(form)))
        sort_name = names.sort_name(official.name)
        notes = review_notes(positions.get(official.pk, []))
        if (official.sort_name, official.review_notes) != (sort_name, notes):
            official.sort_name, official.review_notes = sort_name, notes
            changed.append(official)
    OfficialName.objects.filter(official_id__in=ids).delete()
    insert_rows(OfficialName, ("official", "name", "folded", "slug"), rows)
    Official.objects.bulk_update(changed, ["sort_name", "review_notes"], batch_size=500)
