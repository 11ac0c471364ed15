"""What every write ends in: unite the visits it touched, rebuild their lookup rows, renew the cache version.

The loader, the Office of the Historian importer, the admin (saves, deletes,
bulk actions, history reverts) and `unload_articles` write their own source
rows and then call `refresh` inside the same transaction, so that no write
path can leave a visit's lists, its filter lookups or the cached counts
stale.
"""

from .caching import renew_version
from .indexing import reindex_all, reindex_visits
from .models import Visit
from .uniting import unite_visits


def refresh(visit_ids=(), *, created=(), topic_tree_changed=False, reason=""):
    """Unite the visits `visit_ids` (deleting those nothing reports), reindex them; return the unite outcomes.

    `created`: visits just inserted by `uniting.create_visits`, so that their
    history says so. `topic_tree_changed`: a topic moved in the tree, which
    changes every visit's ancestor rows, so every visit is reindexed.
    """
    renew_version()
    outcomes = unite_visits(visit_ids, created=created, reason=reason)
    if topic_tree_changed:
        reindex_all()
    else:
        reindex_visits(pk for pk, outcome in outcomes.items() if outcome != "deleted")
    return outcomes


def refresh_all(reason=""):
    """Unite and reindex every visit (`manage.py reindex_visits`, after changes made by other means)."""
    return refresh(Visit.objects.values_list("pk", flat=True), topic_tree_changed=True, reason=reason)
