"""Write a planned batch of files in bulk, then refresh the visits it touched.

Everything the planner queued on a `Batch` is written with one bulk query
per table (COPY on PostgreSQL), so a file costs a fraction of a query
instead of the ~80 it cost one at a time. The batch writes only source rows
(articles, officials, topics, reports, meetings, statements, mentions) and
creates new visits with `uniting.create_visits`; the visits' own columns and
lists are then written by `visits.refresh`, as after every other write.
Called inside a transaction by `visits.loading`.
"""

from ..bulk import insert_history, insert_instances, insert_rows
from ..identity.keys import official_key
from ..models import (
    Article,
    ArticleOfficial,
    ArticleTopic,
    IdentityKey,
    Meeting,
    Mention,
    Official,
    Statement,
    Topic,
    Visit,
    VisitReport,
)
from ..refresh import refresh
from ..uniting import create_visits
from .batch import CONTRIBUTIONS, LEAF_COLUMNS

ARTICLE_FIELDS = [*Article.LOADED_FIELDS, "loaded_at", "edited_at"]


def write_batch(batch):
    """Write everything `batch` queued, in bulk, then refresh the visits it touched."""
    if batch.forgotten:
        for model in (Mention, Statement, Meeting, VisitReport, ArticleOfficial, ArticleTopic):
            model.objects.filter(article_id__in=batch.forgotten).delete()
    write_new_and_changed(Official, batch.pending[Official], batch.changed[Official], ["name", "country", "edited_at"])
    # New topics a level at a time, each after its parent (planning refused cycles).
    waiting, created_topics = batch.pending[Topic], []
    while waiting:
        ready = [t for t in waiting if batch.parent_of(t) is None or batch.parent_of(t).pk is not None]
        if not ready:
            raise AssertionError(
                f"new topics wait on each other as parents, which planning refuses: {[t.slug for t in waiting]}"
            )
        for topic in ready:
            topic.parent = batch.parent_of(topic)
        Topic.objects.bulk_create(ready)
        created_topics += ready
        waiting = [t for t in waiting if t.pk is None]
    for topic in batch.changed[Topic].values():
        topic.parent = batch.parent_of(topic)
    write_new_and_changed(Topic, [], batch.changed[Topic], ["name", "parent", "edited_at"])
    insert_history(Topic, created_topics, "+")
    new_visits = batch.pending[Visit]
    create_visits([(visit, batch.inputs[visit.slug]) for visit in new_visits])
    Visit.objects.filter(pk__in=batch.edits_cleared).update(edited_at=None)
    # Articles keep a history of loads, as a save() would.
    insert_instances(Article, batch.pending[Article])
    insert_history(Article, batch.pending[Article], "+")
    write_new_and_changed(Article, [], batch.changed[Article], ARTICLE_FIELDS)
    for model in CONTRIBUTIONS:
        if model in LEAF_COLUMNS:
            insert_rows(model, LEAF_COLUMNS[model], batch.leaves[model])
        else:
            insert_instances(model, batch.pending[model])
    IdentityKey.objects.bulk_create(
        [IdentityKey(key=official_key(slug), official_id=official.pk) for slug, official in batch.officials.items()],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["official"],
    )
    refresh(
        [visit.pk for visit in batch.touched.values()],
        created=[visit.pk for visit in new_visits],
        topic_tree_changed=batch.topic_tree_changed,
        officials=[official.pk for official in batch.officials.values() if official.pk is not None],
    )


def write_new_and_changed(model, new, changed, fields):
    """Insert `new` rows and update the `changed` ones' `fields`, each with a history record."""
    model.objects.bulk_create(new)
    insert_history(model, new, "+")
    changed = list(changed.values())
    model.objects.bulk_update(changed, fields)
    insert_history(model, changed, "~")
