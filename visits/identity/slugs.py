"""Which official an article's slug names, with merges and judgements applied (what the loader asks).

An article names a person by a slug. The slug is:

1. an official's own slug: that official, or, if they were merged into
   another, the one they were merged into;
2. a slug an official had before (a merge, a rename: the `official:<slug>`
   identity key the loader wrote when it first met the slug);
3. a slug the identity judgements give a person (`official:<slug>` among a
   person's keys): that person's official, found by the declared slug or by
   any of the person's other keys;
4. otherwise nobody yet: the loader makes a new official with it.
"""

from ..models import IdentityKey, Official
from . import judgements as judgements_module
from .keys import official_key
from .resolver import canonical


def resolve_slugs(slugs, judgements=None):
    """Return {slug: official id} for those of `slugs` that name an existing person."""
    slugs = set(slugs)
    if not slugs:
        return {}
    merged_into = dict(Official.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
    leads = dict(Official.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    keys = {official_key(slug): slug for slug in slugs - set(leads)}
    for key, official_id in IdentityKey.objects.filter(key__in=list(keys)).values_list("key", "official_id"):
        leads[keys.pop(key)] = official_id
    if keys:
        judgements = judgements or judgements_module.current()
        people = {key: judgements.person_of([key]) for key in keys}
        wanted = {person.slug for person in people.values() if person and person.slug}
        by_slug = dict(Official.objects.filter(slug__in=wanted).values_list("slug", "pk"))
        other_keys = {k for person in people.values() if person for k in person.keys}
        by_key = dict(IdentityKey.objects.filter(key__in=list(other_keys)).values_list("key", "official_id"))
        for key, person in people.items():
            if person is None:
                continue
            official_id = by_slug.get(person.slug) or next((by_key[k] for k in person.keys if k in by_key), None)
            if official_id is not None:
                leads[keys[key]] = official_id
    return {slug: canonical(official_id, merged_into) for slug, official_id in leads.items()}
