"""A batch of files being loaded: what they name in the database, and the rows they will write.

`Batch` reads, in a constant number of queries, the articles, officials,
topics and visits a batch of parsed files names. The planner
(`planner.ArticlePlanner`) checks each file against it (a contradiction
names the file that set the known value, whether it was loaded last year or
three files ago) and queues the file's rows on it; the writer
(`writer.write_batch`) then writes everything queued in bulk.
"""

from collections import defaultdict

from django.db.models import Q

from ..identity.slugs import resolve_slugs
from ..models import (
    Article,
    ArticleOfficial,
    ArticleTopic,
    Meeting,
    Mention,
    Official,
    Statement,
    Topic,
    Visit,
    VisitReport,
)
from ..uniting import source_name, visit_inputs


def through_columns(model, field):
    descriptor = getattr(model, field)
    return descriptor.through, (descriptor.field.m2m_field_name(), descriptor.field.m2m_reverse_field_name())


# Rows nothing refers to, tens of thousands per batch: queued as tuples of
# these columns and inserted without building a model instance for each.
LEAF_COLUMNS = {
    ArticleOfficial: ("article", "official", "role", "office_slug", "country", "mentions"),
    ArticleTopic: ("article", "topic", "mentions", "parent"),
    Mention: ("article", "start", "end", "official", "topic"),
    **dict(
        through_columns(model, field)
        for model, field in [
            (VisitReport, "visitors"),
            (VisitReport, "hosts"),
            (VisitReport, "topics"),
            (Meeting, "participants"),
            (Meeting, "topics"),
            (Statement, "topics"),
        ]
    ),
}

# What one article contributes, written in this order (a row's references come first).
CONTRIBUTIONS = [
    ArticleOfficial,
    ArticleTopic,
    VisitReport,
    VisitReport.visitors.through,
    VisitReport.hosts.through,
    VisitReport.topics.through,
    Meeting,
    Meeting.participants.through,
    Meeting.topics.through,
    Statement,
    Statement.topics.through,
    Mention,
]


def officials_by_slug(slugs):
    """Return ({slug: Official}, {slug: the official's own slug}) for the slugs files name.

    A slug is an official's own, or leads to one (visits.identity.slugs):
    an official merged into another is the one it was merged into, and a
    slug an identity judgement gives a person is that person. The second
    dict lists the slugs that led elsewhere.
    """
    leads = resolve_slugs(slugs)
    officials = Official.objects.in_bulk(set(leads.values()))
    found = {slug: officials[pk] for slug, pk in leads.items()}
    return found, {slug: official.slug for slug, official in found.items() if official.slug != slug}


def key(obj):
    """A hashable identity for an official, topic or article, written or not yet."""
    return obj.pk if obj.pk is not None else ("new", obj.slug)


class Batch:
    """The rows a batch of files names, and the rows the batch will write."""

    def __init__(self, entries, *, overwrite_edits=False):
        """Read what the (stem, Document) pairs in `entries` name, in a constant number of queries."""
        self.overwrite_edits = overwrite_edits
        stems = [stem for stem, _ in entries]
        urls = [doc.article.url for _, doc in entries if doc.article.url]
        articles = list(Article.objects.filter(Q(slug__in=stems) | Q(url__in=urls)).defer("text"))
        self.articles_by_slug = {a.slug: a for a in articles}
        self.articles_by_url = {a.url: a for a in articles if a.url}
        self.officials, self.aliases = officials_by_slug({slug for _, doc in entries for slug in doc.officials})
        # The whole tree: a cycle can run through topics no file names.
        self.topics = {topic.slug: topic for topic in Topic.objects.all()}
        slugs = {topic.pk: slug for slug, topic in self.topics.items()}
        self.topic_parents = {slug: slugs.get(topic.parent_id) for slug, topic in self.topics.items()}
        visit_slugs = {entry.slug for _, doc in entries for entry in doc.visits}
        reported_by_known = VisitReport.objects.filter(article__in=articles).values("visit_id")
        known_visits = Visit.objects.filter(Q(slug__in=visit_slugs) | Q(pk__in=reported_by_known))
        self.inputs = {inputs.visit.slug: inputs for inputs in visit_inputs(known_visits).values()}
        self.visits = {slug: inputs.visit for slug, inputs in self.inputs.items()}
        # Which of this batch's files first named an official or topic (for contradiction messages).
        self.official_sources, self.topic_sources, self.topic_parent_sources = {}, {}, {}
        self.forgotten = set()  # ids of the articles whose contributions this batch replaces
        self.topic_tree_changed = False
        self.pending = defaultdict(list)  # model -> new rows (instances), written in this order
        self.leaves = defaultdict(list)  # model -> new rows as tuples of LEAF_COLUMNS[model]
        self.changed = defaultdict(dict)  # model -> {key: known row to update}
        self.touched = {}  # visit slug -> Visit to unite at the end
        self.edits_cleared = set()  # ids of known visits whose admin edit --overwrite-edits replaces

    # Reading, for the planner ---------------------------------------------------

    def first_source(self, model, field, obj, sources, replacing=None, **filters):
        """Return which article first named `obj` (an official or topic), or None if none did.

        Articles being replaced (`replacing`, and those replaced earlier in
        the batch) do not count. The database is asked only when a file
        disagrees with it: a busy official is named by thousands of articles.
        """
        if obj.pk is not None:
            row = (
                model.objects.filter(**{field: obj}, **filters)
                .exclude(article_id__in=self.forgotten | {replacing})
                .select_related("article")
                .only("article__slug", "article__source_path")
                .order_by("pk")
                .first()
            )
            if row is not None:
                return source_name(row.article)
        return sources.get(obj.slug)

    def snapshot(self, document, article):
        """Return what planning `document` may change, for `restore` if the file is refused."""
        objects = [self.officials.get(slug) for slug in document.officials]
        objects += [self.topics.get(slug) for slug in document.topics]
        objects += [self.visits.get(entry.slug) for entry in document.visits]
        objects.append(article)
        return [(obj, obj.__dict__.copy()) for obj in objects if obj is not None]

    @staticmethod
    def restore(snapshot):
        for obj, state in snapshot:
            obj.__dict__.clear()
            obj.__dict__.update(state)

    def parent_of(self, topic):
        parent = self.topic_parents.get(topic.slug)
        return self.topics[parent] if parent else None

    # Queueing, for the planner -------------------------------------------------

    def add(self, model, rows):
        """Queue new rows of `model`: instances, or tuples of LEAF_COLUMNS[model] (instances stand for their ids)."""
        (self.leaves if model in LEAF_COLUMNS else self.pending)[model].extend(rows)

    def change(self, obj):
        self.changed[type(obj)][key(obj)] = obj

    def touch(self, visit):
        self.touched[visit.slug] = visit

    def forget(self, article):
        """Queue the deletion of what `article` contributed, and stop counting it in its visits."""
        self.forgotten.add(article.pk)
        for inputs in self.inputs.values():
            if any(report.article == article.pk for report in inputs.reports):
                inputs.forget(article.pk)
                self.touch(inputs.visit)
