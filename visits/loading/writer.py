"""Write parsed Documents to the database in batches, merging shared entities.

A batch of files is planned against one `Registry`: the rows the files name,
read in a few queries, plus the rows the batch's earlier files will write.
Planning a file checks it against both (a contradiction names the file that
set the known value, whether it was loaded last year or three files ago) and
queues its rows; a file with a problem raises `Refused` and leaves the
registry as it found it. `Registry.flush` then writes the whole batch with
one bulk query per table and unites the visits it touched once, so a file
costs a fraction of a query instead of the ~80 it cost one at a time.
Called inside a transaction by `visits.loading`.
"""

from collections import Counter, defaultdict

from django.db.models import Q
from django.utils import timezone

from ..bulk import insert_history, insert_instances, insert_rows
from ..indexing import reindex_all
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
from .reader import Problem
from .uniting import LIST_FIELDS, ReportInput, VisitInputs, recompute_visits, source_name, unite, visit_inputs

ARTICLE_FIELDS = [
    "slug",
    "url",
    "title",
    "publisher",
    "author",
    "published",
    "language",
    "text",
    "source_path",
    "source_digest",
    "loaded_at",
]


class Refused(Exception):
    """The file contradicts the database; nothing of it may be written."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class WrittenEarlierInBatch(Exception):
    """The file's article is one this batch is about to create: write the batch first, then plan the file."""


def key(obj):
    """A hashable identity for an official, topic or article, written or not yet."""
    return obj.pk if obj.pk is not None else ("new", obj.slug)


class Registry:
    """The rows a batch of files names, and the rows the batch will write."""

    def __init__(self, entries, *, overwrite_edits=False):
        """Read what the (stem, Document) pairs in `entries` name, in a constant number of queries."""
        self.overwrite_edits = overwrite_edits
        stems = [stem for stem, _ in entries]
        urls = [doc.article.url for _, doc in entries if doc.article.url]
        articles = list(Article.objects.filter(Q(slug__in=stems) | Q(url__in=urls)).defer("text"))
        self.articles_by_slug = {a.slug: a for a in articles}
        self.articles_by_url = {a.url: a for a in articles if a.url}
        self.officials = Official.objects.in_bulk(
            list({slug for _, doc in entries for slug in doc.officials}), field_name="slug"
        )
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
        self.pending = defaultdict(list)  # model -> new rows (instances), written in this order by flush()
        self.leaves = defaultdict(list)  # model -> new rows as tuples of LEAF_COLUMNS[model]
        self.changed = defaultdict(dict)  # model -> {key: known row to update}
        self.touched = {}  # visit slug -> Visit to unite at the end

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

    # Queueing, for the planner -------------------------------------------------

    def add(self, model, rows):
        self.pending[model].extend(rows)

    def add_leaves(self, model, rows):
        """Queue rows nothing refers to, as tuples of LEAF_COLUMNS[model] (instances stand for their ids)."""
        self.leaves[model].extend(rows)

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

    # Writing --------------------------------------------------------------------

    def parent_of(self, topic):
        parent = self.topic_parents.get(topic.slug)
        return self.topics[parent] if parent else None

    def flush(self):
        """Write everything queued, in bulk, then unite and reindex the touched visits."""
        if self.forgotten:
            for model in (Mention, Statement, Meeting, VisitReport, ArticleOfficial, ArticleTopic):
                model.objects.filter(article_id__in=self.forgotten).delete()
        Official.objects.bulk_create(self.pending[Official])
        Official.objects.bulk_update(self.changed[Official].values(), ["name", "country", "edited_at"])
        # New topics a level at a time, each after its parent (planning refused cycles).
        waiting = self.pending[Topic]
        while waiting:
            ready = [t for t in waiting if self.parent_of(t) is None or self.parent_of(t).pk is not None]
            if not ready:
                raise AssertionError(f"new topics' parents form a cycle: {[t.slug for t in waiting]}")
            for topic in ready:
                topic.parent = self.parent_of(topic)
            Topic.objects.bulk_create(ready)
            waiting = [t for t in waiting if t.pk is None]
        for topic in self.changed[Topic].values():
            topic.parent = self.parent_of(topic)
        Topic.objects.bulk_update(self.changed[Topic].values(), ["name", "parent", "edited_at"])
        Visit.objects.bulk_create(self.pending[Visit])
        Visit.objects.bulk_update(self.changed[Visit].values(), ["host_country", "start", "end", "edited_at"])
        # Articles keep a history of loads, as a save() would.
        insert_instances(Article, self.pending[Article])
        insert_history(Article, self.pending[Article], "+")
        updated = list(self.changed[Article].values())
        Article.objects.bulk_update(updated, [*ARTICLE_FIELDS, "edited_at"])
        insert_history(Article, updated, "~")
        for model in CONTRIBUTIONS:
            if model in LEAF_COLUMNS:
                insert_rows(model, LEAF_COLUMNS[model], self.leaves[model])
            else:
                insert_instances(model, self.pending[model])
        recompute_visits([visit.pk for visit in self.touched.values()])
        if self.topic_tree_changed:
            reindex_all()


def through_columns(model, field):
    descriptor = getattr(model, field)
    return descriptor.through, (descriptor.field.m2m_field_name(), descriptor.field.m2m_reverse_field_name())


# Rows nothing refers to, tens of thousands per batch: queued as tuples of
# these columns and inserted without building a model instance for each.
LEAF_COLUMNS = {
    ArticleOfficial: ("article", "official", "role", "mentions"),
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


class ArticleWriter:
    """Plans what one file changes: checks it against the registry and queues its rows there."""

    def __init__(self, document, registry, *, stem, source_path, digest, text):
        self.doc = document
        self.registry = registry
        self.overwrite_edits = registry.overwrite_edits
        self.stem = stem
        self.source_path = source_path
        self.digest = digest
        self.text = text
        self.problems = []
        self.counts = defaultdict(Counter)

    def warn(self, at, message, path=None):
        self.problems.append(Problem(at.line if at else None, path or at.path, message, warning=True))

    @property
    def errors(self):
        return [p for p in self.problems if not p.warning]

    def error(self, at, message, path=None):
        self.problems.append(Problem(at.line, path or at.path, message))

    def refuse_if_problems(self):
        if self.errors:
            raise Refused(self.problems)

    # Entry point ----------------------------------------------------------

    def write(self):
        """Plan the document and queue its rows; return per-model counts of created/updated/unchanged.

        Raises Refused (leaving the registry as it was) when the file
        contradicts what is known.
        """
        article = self.find_article()
        self.refuse_if_problems()
        if article is not None and (article.pk is None or key(article) in self.registry.changed[Article]):
            raise WrittenEarlierInBatch()
        self.replacing = article.pk if article is not None else None
        if article is not None and article.source_digest == self.digest and article.slug == self.stem:
            if article.source_path != self.source_path:
                # Same files in a new place: "set by ..." messages must name where they are now.
                Article.objects.filter(pk=article.pk).update(source_path=self.source_path)
                article.source_path = self.source_path
            self.count_unchanged()
            return self.counts
        snapshot = self.registry.snapshot(self.doc, article)
        try:
            return self.plan(article)
        except Refused:
            self.registry.restore(snapshot)
            raise

    def plan(self, article):
        registry = self.registry
        united_before = {
            entry.slug: unite(registry.inputs[entry.slug]) for entry in self.doc.visits if entry.slug in registry.inputs
        }
        states_before = {slug: united.state() for slug, united in united_before.items() if united is not None}
        if article is not None:
            self.refuse_to_replace_edits(article)
        new_officials = self.merge_officials()
        new_topics, topic_parents = self.merge_topics()
        visits = self.merge_visits()
        self.refuse_if_problems()
        # Nothing below can fail: the file is accepted.
        if article is not None:
            registry.forget(article)
        officials = self.save_officials(new_officials)
        topics = self.save_topics(new_topics, topic_parents)
        article = self.save_article(article)
        self.save_contributions(article, officials, topics, visits)
        # A known visit is updated when anything it shows changed, its united lists included.
        for slug, state in states_before.items():
            united = unite(registry.inputs[slug])
            changed = united is None or united.state() != state
            self.counts["visit"]["updated" if changed else "unchanged"] += 1
        return self.counts

    def count_unchanged(self):
        self.counts["article"]["unchanged"] += 1
        self.counts["official"]["unchanged"] += len(self.doc.officials)
        self.counts["topic"]["unchanged"] += len(self.doc.topics)
        self.counts["visit"]["unchanged"] += len(self.doc.visits)

    # The article ----------------------------------------------------------

    def find_article(self):
        """Return the article this file describes (by url, else by stem), or None."""
        url = self.doc.article.url
        by_stem = self.registry.articles_by_slug.get(self.stem)
        if url:
            by_url = self.registry.articles_by_url.get(url)
            if by_url is not None:
                if by_stem is not None and by_stem is not by_url:
                    self.problems.append(
                        Problem(
                            None,
                            "article.url",
                            f"{url} is already loaded from {source_name(by_url)}, "
                            f"and the stem {self.stem!r} belongs to another article ({source_name(by_stem)})",
                        )
                    )
                return by_url
            if by_stem is not None and by_stem.url and by_stem.url != url:
                self.problems.append(
                    Problem(
                        None,
                        "article.url",
                        f"the stem {self.stem!r} is already used by the article at "
                        f"{by_stem.url} ({source_name(by_stem)}); rename one of the files",
                    )
                )
        return by_stem

    def refuse_to_replace_edits(self, article):
        """Refuse to re-load an article whose own records an editor changed, unless told to."""
        edited = []
        if article.edited_at:
            edited.append("the article")
        edited += [f"meeting {m.pk}" for m in article.meetings.exclude(edited_at=None).only("pk")]
        edited += [
            f"statement {s.pk} by {s.speaker.name}"
            for s in article.statements.exclude(edited_at=None).select_related("speaker").only("pk", "speaker__name")
        ]
        if edited and not self.overwrite_edits:
            self.problems.append(
                Problem(
                    None,
                    "(edits)",
                    f"not re-loaded: changed in the admin since it was loaded ({', '.join(edited)}); re-loading "
                    "would replace those changes. Copy them into the file, or run with --overwrite-edits.",
                )
            )
            raise Refused(self.problems)
        if edited:
            self.warn(None, f"replaced admin edits: {', '.join(edited)}", path="(edits)")

    def keeps_edit(self, obj, at, what):
        """Return True if `obj` was edited in the admin and the file must not change it."""
        if obj.edited_at is None:
            return False
        if self.overwrite_edits:
            obj.edited_at = None
            return False
        self.warn(at, f"kept the admin's edit of {what} (run with --overwrite-edits to replace it)")
        return True

    def save_article(self, article):
        entry = self.doc.article
        values = {
            "slug": self.stem,
            "url": entry.url,
            "title": entry.title,
            "publisher": entry.publisher,
            "author": entry.author,
            "published": entry.published,
            "language": entry.language,
            "text": self.text,
            "source_path": self.source_path,
            "source_digest": self.digest,
            "loaded_at": timezone.now(),
        }
        registry = self.registry
        if article is None:
            self.counts["article"]["created"] += 1
            article = Article(**values)
            registry.add(Article, [article])
        else:
            for name, value in values.items():
                setattr(article, name, value)
            # Re-loading replaces the article's own records; an edit survives only by refusing the load.
            article.edited_at = None
            registry.change(article)
            self.counts["article"]["updated"] += 1
        registry.articles_by_slug[article.slug] = article
        if article.url:
            registry.articles_by_url[article.url] = article
        return article

    # Shared entities ------------------------------------------------------

    def merge_officials(self):
        """Check the file's officials against the known ones; return the new ones (changes are made in place)."""
        registry = self.registry
        to_create = []
        for slug, entry in self.doc.officials.items():
            official = registry.officials.get(slug)
            if official is None:
                to_create.append(Official(slug=slug, name=entry.name, country=entry.country))
                continue
            changed = False
            differs = official.name != entry.name or str(official.country) != entry.country
            if differs and self.keeps_edit(official, entry.at, f"official {slug}"):
                self.counts["official"]["unchanged"] += 1
                continue
            for field, value in (("name", entry.name), ("country", entry.country)):
                current = str(getattr(official, field))
                if current == value:
                    continue
                other = registry.first_source(
                    ArticleOfficial, "official", official, registry.official_sources, self.replacing
                )
                if other is not None:
                    self.error(
                        entry.at,
                        f"{value!r} contradicts {current!r} set by {other}",
                        path=f"{entry.at.path}.{field}",
                    )
                else:
                    setattr(official, field, value)
                    changed = True
            if changed:
                registry.change(official)
            self.counts["official"]["updated" if changed else "unchanged"] += 1
        return to_create

    def save_officials(self, to_create):
        registry = self.registry
        registry.add(Official, to_create)
        registry.officials.update((official.slug, official) for official in to_create)
        self.counts["official"]["created"] += len(to_create)
        for slug in self.doc.officials:
            registry.official_sources.setdefault(slug, self.source_path)
        return {slug: registry.officials[slug] for slug in self.doc.officials}

    def merge_topics(self):
        """Check the file's topics and parents; return (new topics, {slug: parent slug} as they will be)."""
        registry = self.registry
        entries = self.doc.topics
        parents = dict(registry.topic_parents)
        to_create, kept = [], set()
        for slug, entry in entries.items():
            topic = registry.topics.get(slug)
            if topic is None:
                to_create.append(Topic(slug=slug, name=entry.name))
                parents[slug] = entry.parent
                continue
            current_parent = registry.topic_parents[slug]
            differs = topic.name != entry.name or (entry.parent and entry.parent != current_parent)
            if differs and self.keeps_edit(topic, entry.at, f"topic {slug}"):
                kept.add(slug)
                continue
            if topic.name != entry.name:
                other = registry.first_source(ArticleTopic, "topic", topic, registry.topic_sources, self.replacing)
                if other is not None:
                    self.error(
                        entry.at,
                        f"{entry.name!r} contradicts {topic.name!r} set by {other}",
                        path=f"{entry.at.path}.name",
                    )
            if entry.parent and entry.parent != current_parent:
                other = registry.first_source(
                    ArticleTopic, "topic", topic, registry.topic_parent_sources, self.replacing, parent__isnull=False
                )
                if other is not None:
                    self.error(
                        entry.parent_at,
                        f"{entry.parent!r} contradicts the parent {current_parent!r} set by {other}",
                    )
                else:
                    parents[slug] = entry.parent
        self.check_cycles(parents)
        self.kept_topics = kept
        return to_create, parents

    def save_topics(self, to_create, parents):
        registry, entries = self.registry, self.doc.topics
        registry.add(Topic, to_create)
        registry.topics.update((topic.slug, topic) for topic in to_create)
        updated = 0
        for slug, entry in entries.items():
            topic = registry.topics[slug]
            if slug in self.kept_topics:
                continue
            new = topic in to_create
            if new or topic.name != entry.name or registry.topic_parents.get(slug) != parents.get(slug):
                # A known topic moved in the tree: every visit's ancestor rows may change.
                moved = not new and registry.topic_parents.get(slug) != parents.get(slug)
                registry.topic_tree_changed |= moved
                topic.name, topic.edited_at = entry.name, None
                registry.topic_parents[slug] = parents.get(slug)
                if not new:
                    registry.change(topic)
                    updated += 1
            registry.topic_sources.setdefault(slug, self.source_path)
            if entry.parent:
                registry.topic_parent_sources.setdefault(slug, self.source_path)
        self.counts["topic"]["created"] += len(to_create)
        self.counts["topic"]["updated"] += updated
        self.counts["topic"]["unchanged"] += len(entries) - len(to_create) - updated
        return {slug: registry.topics[slug] for slug in entries}

    def check_cycles(self, parents):
        reported = set()
        for slug, entry in self.doc.topics.items():
            seen, current = [], slug
            while current is not None and current not in seen:
                seen.append(current)
                current = parents.get(current)
            if current == slug and slug not in reported:
                reported.update(seen)
                at = entry.parent_at or entry.at
                self.error(
                    at, f"with the topics already in the database, parents form a cycle: {' -> '.join(seen + [slug])}"
                )

    def merge_visits(self):
        """Check and apply the file's visits; return {slug: Visit} (new ones not yet queued)."""
        registry = self.registry
        visits = {}
        for entry in self.doc.visits:
            slug = entry.slug
            visit = registry.visits.get(slug)
            inputs = registry.inputs.get(slug)
            # The article's own earlier report is about to be replaced: it cannot contradict the file.
            reports = [r for r in inputs.reports if r.article != self.replacing] if inputs else []
            if visit is None:
                visit = Visit(
                    slug=slug,
                    host_country=entry.host_country,
                    start=entry.start,
                    end=entry.end or entry.start,
                    places=entry.places,
                    summary=entry.summary,
                )
                self.check_meeting_dates(entry, entry.start, visit.end)
                visits[slug] = visit
                self.counts["visit"]["created"] += 1
                continue
            if visit.edited_at is None or self.overwrite_edits:
                visit.edited_at = None
                self.merge_visit_fields(visit, entry, reports)
            else:
                self.warn(
                    entry.at,
                    f"kept the admin's edit of visit {slug}; this file's dates and lists are "
                    "added to its sources only (run with --overwrite-edits to replace the edit)",
                )
            explicit_ends = [r.end for r in reports if r.end]
            end = entry.end or (explicit_ends[0] if explicit_ends else entry.start)
            if visit.edited_at:
                end = visit.end
            self.check_meeting_dates(entry, visit.start, end)
            visits[slug] = visit
        return visits

    def merge_visit_fields(self, visit, entry, reports):
        """Apply the entry's dates and host country, refusing contradictions with other reports."""
        if str(visit.host_country) != entry.host_country:
            if reports:
                self.error(
                    entry.fields_at["host_country"],
                    f"{entry.host_country} contradicts {visit.host_country} set by {reports[0].source}",
                )
            visit.host_country = entry.host_country
        if visit.start != entry.start:
            if reports:
                self.error(
                    entry.fields_at["start"],
                    f"{entry.start} contradicts the start {visit.start} set by {reports[0].source}",
                )
            visit.start = entry.start
        if entry.end:
            explicit = [r for r in reports if r.end]
            conflicting = [r for r in explicit if r.end != entry.end]
            if conflicting:
                self.error(
                    entry.fields_at["end"],
                    f"{entry.end} contradicts the end {conflicting[0].end} set by {conflicting[0].source}",
                )
            visit.end = entry.end
        elif not any(r.end for r in reports):
            visit.end = entry.start

    def check_meeting_dates(self, entry, start, end):
        for meeting in entry.meetings:
            if meeting.date and not (start <= meeting.date <= end):
                self.error(meeting.date_at, f"{meeting.date} is outside the visit ({start} to {end})")

    # What the article contributes -----------------------------------------

    def save_contributions(self, article, officials, topics, visits):
        doc, registry = self.doc, self.registry
        rows = defaultdict(list)
        rows[ArticleOfficial] = [
            (article, officials[slug], entry.role, entry.mentions) for slug, entry in doc.officials.items()
        ]
        rows[ArticleTopic] = [
            (article, topics[slug], entry.mentions, topics[entry.parent] if entry.parent else None)
            for slug, entry in doc.topics.items()
        ]
        for entry in doc.visits:
            visit = visits[entry.slug]
            if visit.pk is None and entry.slug not in registry.visits:
                registry.add(Visit, [visit])
                registry.visits[entry.slug] = visit
                registry.inputs[entry.slug] = VisitInputs(visit=visit, lists={name: set() for name in LIST_FIELDS})
            elif visit.pk is not None:
                registry.change(visit)
            registry.touch(visit)
            report = VisitReport(
                article=article,
                visit=visit,
                start=entry.start,
                end=entry.end,
                places=entry.places,
                summary=entry.summary,
                evidence_start=entry.evidence[0] if entry.evidence else None,
                evidence_end=entry.evidence[1] if entry.evidence else None,
            )
            rows[VisitReport].append(report)
            lists = {
                "visitors": [officials[slug] for slug in entry.visitors],
                "hosts": [officials[slug] for slug in entry.hosts],
                "topics": [topics[slug] for slug in entry.topics],
            }
            for field, targets in lists.items():
                rows[getattr(VisitReport, field).through] += [(report, target) for target in targets]
            inputs = registry.inputs[entry.slug]
            inputs.reports.append(
                ReportInput(
                    article=key(article),
                    source=self.source_path,
                    places=entry.places,
                    summary=entry.summary,
                    end=entry.end,
                    **{field: {key(target) for target in targets} for field, targets in lists.items()},
                )
            )
            for position, m in enumerate(entry.meetings):
                meeting = Meeting(
                    article=article,
                    visit=visit,
                    position=position,
                    date=m.date,
                    place=m.place,
                    evidence_start=m.evidence[0] if m.evidence else None,
                    evidence_end=m.evidence[1] if m.evidence else None,
                )
                rows[Meeting].append(meeting)
                inputs.meeting_dates.append((key(article), m.date))
                rows[Meeting.participants.through] += [(meeting, officials[slug]) for slug in m.participants]
                rows[Meeting.topics.through] += [(meeting, topics[slug]) for slug in m.topics]
                for s in m.statements:
                    self.statement(rows, article, visit, meeting, s, officials, topics)
            for s in entry.statements:
                self.statement(rows, article, visit, None, s, officials, topics)
        rows[Mention] = [
            (
                article,
                start,
                end,
                officials[slug] if kind == "official" else None,
                topics[slug] if kind == "topic" else None,
            )
            for start, end, (kind, slug) in doc.mentions
        ]
        for model in CONTRIBUTIONS:
            (registry.add_leaves if model in LEAF_COLUMNS else registry.add)(model, rows[model])
        self.counts["meeting"]["created"] += len(rows[Meeting])
        self.counts["statement"]["created"] += len(rows[Statement])
        self.counts["mention"]["created"] += len(rows[Mention])

    @staticmethod
    def statement(rows, article, visit, meeting, entry, officials, topics):
        statement = Statement(
            article=article,
            visit=visit,
            meeting=meeting,
            speaker=officials[entry.speaker],
            kind=entry.kind,
            quote=entry.quote,
            start=entry.start,
            end=entry.end,
        )
        rows[Statement].append(statement)
        rows[Statement.topics.through] += [(statement, topics[slug]) for slug in entry.topics]
