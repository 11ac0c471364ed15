"""What every write ends in: unite the visits it touched, rebuild their lookup rows, renew the cache version.

The officials it touched get their derived names, sort names and review
notes rewritten too (visits.people).

The loader, the Office of the Historian importer, the admin (saves, deletes,
bulk actions, history reverts) and `unload_articles` write their own source
rows and then call `refresh` inside the same transaction, so that no write
path can leave a visit's lists, its filter lookups or the cached counts
stale.
"""

from .caching import renew_version
from .indexing import reindex_all, reindex_visits
from .models import Official, Visit
from .people import refresh_officials
from .uniting import unite_visits


def refresh(visit_ids=(), *, created=(), topic_tree_changed=False, officials=(), reason=""):
    """Unite the visits `visit_ids` (deleting those nothing reports), reindex them; return the unite outcomes.

    `created`: visits just inserted by `uniting.create_visits`, so that their
    history says so. `topic_tree_changed`: a topic moved in the tree, which
    changes every visit's ancestor rows, so every visit is reindexed.
    `officials`: the ids of officials whose names or positions the write changed.
    """
    visit_ids = list(visit_ids)
    renew_version(None if topic_tree_changed else [*visit_ids, *created])
    refresh_officials(officials)
    outcomes = unite_visits(visit_ids, created=created, reason=reason)
    if topic_tree_changed:
        reindex_all()
    else:
        reindex_visits(pk for pk, outcome in outcomes.items() if outcome != "deleted")
    return outcomes


def refresh_all(reason=""):
    """Unite and reindex every visit, refresh every official (`manage.py reindex_visits`, after other writes)."""
    return refresh(
        Visit.objects.values_list("pk", flat=True),
        topic_tree_changed=True,
        officials=Official.objects.values_list("pk", flat=True),
        reason=reason,
    )
