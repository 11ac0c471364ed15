"""Plan what one file changes: check it against a `Batch` and queue its rows there.

`ArticlePlanner.plan()` checks a parsed file against what the batch knows
(the database, and the files planned before it in the batch), refuses it
with every contradiction named (`Refused`, leaving the batch as it found
it), or queues its rows and returns its counts. Nothing is written here:
`writer.write_batch` writes what the planned files queued.
"""

from collections import Counter, defaultdict

from django.utils import timezone

from .. import rules, topic_tree
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
from ..offices import office_slug
from ..uniting import ReportInput, VisitInputs, source_name, unite
from .batch import CONTRIBUTIONS, key
from .reader import Problem


class Refused(Exception):
    """The file contradicts the database; nothing of it may be written."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class WrittenEarlierInBatch(Exception):
    """The file's article is one this batch is about to create: write the batch first, then plan the file."""


class ArticlePlanner:
    """Plans what one file changes: checks it against the batch and queues its rows there."""

    def __init__(self, document, batch, *, stem, source_path, digest, text):
        self.doc = document
        self.batch = batch
        self.overwrite_edits = batch.overwrite_edits
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

    def plan(self):
        """Check the document and queue its rows; return per-model counts of created/updated/unchanged.

        Raises Refused (leaving the batch as it was) when the file
        contradicts what is known.
        """
        article = self.find_article()
        self.refuse_if_problems()
        if article is not None and (article.pk is None or key(article) in self.batch.changed[Article]):
            raise WrittenEarlierInBatch()
        self.replacing = article.pk if article is not None else None
        if article is not None and article.source_digest == self.digest and article.slug == self.stem:
            if article.source_path != self.source_path:
                # Same files in a new place: "set by ..." messages must name where they are now.
                Article.objects.filter(pk=article.pk).update(source_path=self.source_path)
                article.source_path = self.source_path
            self.count_unchanged()
            return self.counts
        snapshot = self.batch.snapshot(self.doc, article)
        try:
            return self.plan_changes(article)
        except Refused:
            self.batch.restore(snapshot)
            raise

    def plan_changes(self, article):
        batch = self.batch
        united_before = {
            entry.slug: unite(batch.inputs[entry.slug]) for entry in self.doc.visits if entry.slug in batch.inputs
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
            batch.forget(article)
        officials = self.save_officials(new_officials)
        topics = self.save_topics(new_topics, topic_parents)
        article = self.save_article(article)
        self.save_contributions(article, officials, topics, visits)
        # A known visit is updated when anything it shows changed, its united lists included.
        for slug, state in states_before.items():
            united = unite(batch.inputs[slug])
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
        by_stem = self.batch.articles_by_slug.get(self.stem)
        if url:
            by_url = self.batch.articles_by_url.get(url)
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
        batch = self.batch
        if article is None:
            self.counts["article"]["created"] += 1
            article = Article(**values)
            batch.add(Article, [article])
        else:
            for name, value in values.items():
                setattr(article, name, value)
            # Re-loading replaces the article's own records; an edit survives only by refusing the load.
            article.edited_at = None
            batch.change(article)
            self.counts["article"]["updated"] += 1
        batch.articles_by_slug[article.slug] = article
        if article.url:
            batch.articles_by_url[article.url] = article
        return article

    # Shared entities ------------------------------------------------------

    def merge_officials(self):
        """Check the file's officials against the known ones; return the new ones (changes are made in place).

        A slug that leads to another official (one merged into another, or
        one the identity judgements give that person: visits.identity.slugs)
        names that person: the file's name for them is one of their names,
        not a contradiction.
        """
        batch = self.batch
        to_create, seen = [], {}
        for slug, entry in self.doc.officials.items():
            official = batch.officials.get(slug)
            if official is not None and key(official) in seen:
                self.error(
                    entry.at,
                    f"{slug} and {seen[key(official)]} are one person, {official.slug} (merged or judged the same):"
                    " name them by one slug",
                )
                continue
            if official is None:
                to_create.append(Official(slug=slug, name=entry.name, country=entry.country))
                continue
            seen[key(official)] = slug
            if slug in batch.aliases:
                self.counts["official"]["unchanged"] += 1
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
                other = batch.first_source(
                    ArticleOfficial, "official", official, batch.official_sources, self.replacing
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
                batch.change(official)
            self.counts["official"]["updated" if changed else "unchanged"] += 1
        return to_create

    def save_officials(self, to_create):
        batch = self.batch
        batch.add(Official, to_create)
        batch.officials.update((official.slug, official) for official in to_create)
        self.counts["official"]["created"] += len(to_create)
        for slug in self.doc.officials:
            batch.official_sources.setdefault(slug, self.source_path)
        return {slug: batch.officials[slug] for slug in self.doc.officials}

    def merge_topics(self):
        """Check the file's topics and parents; return (new topics, {slug: parent slug} as they will be)."""
        batch = self.batch
        entries = self.doc.topics
        parents = dict(batch.topic_parents)
        to_create, kept = [], set()
        for slug, entry in entries.items():
            topic = batch.topics.get(slug)
            if topic is None:
                to_create.append(Topic(slug=slug, name=entry.name))
                parents[slug] = entry.parent
                continue
            current_parent = batch.topic_parents[slug]
            differs = topic.name != entry.name or (entry.parent and entry.parent != current_parent)
            if differs and self.keeps_edit(topic, entry.at, f"topic {slug}"):
                kept.add(slug)
                continue
            if topic.name != entry.name:
                other = batch.first_source(ArticleTopic, "topic", topic, batch.topic_sources, self.replacing)
                if other is not None:
                    self.error(
                        entry.at,
                        f"{entry.name!r} contradicts {topic.name!r} set by {other}",
                        path=f"{entry.at.path}.name",
                    )
            if entry.parent and entry.parent != current_parent:
                other = batch.first_source(
                    ArticleTopic, "topic", topic, batch.topic_parent_sources, self.replacing, parent__isnull=False
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
        batch, entries = self.batch, self.doc.topics
        batch.add(Topic, to_create)
        batch.topics.update((topic.slug, topic) for topic in to_create)
        updated = 0
        for slug, entry in entries.items():
            topic = batch.topics[slug]
            if slug in self.kept_topics:
                continue
            new = topic in to_create
            if new or topic.name != entry.name or batch.topic_parents.get(slug) != parents.get(slug):
                # A known topic moved in the tree: every visit's ancestor rows may change.
                moved = not new and batch.topic_parents.get(slug) != parents.get(slug)
                batch.topic_tree_changed |= moved
                topic.name, topic.edited_at = entry.name, None
                batch.topic_parents[slug] = parents.get(slug)
                if not new:
                    batch.change(topic)
                    updated += 1
            batch.topic_sources.setdefault(slug, self.source_path)
            if entry.parent:
                batch.topic_parent_sources.setdefault(slug, self.source_path)
        self.counts["topic"]["created"] += len(to_create)
        self.counts["topic"]["updated"] += updated
        self.counts["topic"]["unchanged"] += len(entries) - len(to_create) - updated
        return {slug: batch.topics[slug] for slug in entries}

    def check_cycles(self, parents):
        for cycle in topic_tree.cycles(parents, self.doc.topics):
            entry = self.doc.topics[cycle[0]]
            message = f"with the topics already in the database, {rules.topic_cycle(cycle)}"
            self.error(entry.parent_at or entry.at, message)

    def merge_visits(self):
        """Check the file's visits against their other reports; return {slug: Visit} (new ones not yet queued).

        A visit's columns are not set here: `uniting` derives them from its
        reports once they are written. An edited visit keeps the editor's
        values (and this file only adds to its sources) unless told to
        overwrite edits.
        """
        batch = self.batch
        visits = {}
        for entry in self.doc.visits:
            visit = batch.visits.get(entry.slug)
            if visit is None:
                visits[entry.slug] = Visit(slug=entry.slug)
                self.check_meeting_dates(entry, entry.start, entry.end or entry.start)
                self.counts["visit"]["created"] += 1
                continue
            # The article's own earlier report is about to be replaced: it cannot contradict the file.
            reports = [r for r in batch.inputs[entry.slug].reports if r.article != self.replacing]
            if visit.edited_at is not None and not self.overwrite_edits:
                self.warn(
                    entry.at,
                    f"kept the admin's edit of visit {entry.slug}; this file's dates and lists are "
                    "added to its sources only (run with --overwrite-edits to replace the edit)",
                )
                start, end = visit.start, visit.end
            else:
                if visit.edited_at is not None:
                    visit.edited_at = None
                    batch.edits_cleared.add(visit.pk)
                self.check_agrees_with(entry, reports)
                explicit_ends = [r.end for r in reports if r.end]
                start, end = entry.start, entry.end or (explicit_ends[0] if explicit_ends else entry.start)
            self.check_meeting_dates(entry, start, end)
            visits[entry.slug] = visit
        return visits

    def check_agrees_with(self, entry, reports):
        """Refuse a host country, start or end that contradicts what another article reports."""
        if not reports:
            return
        first = reports[0]
        if str(first.host_country) != entry.host_country:
            self.error(
                entry.fields_at["host_country"],
                f"{entry.host_country} contradicts {first.host_country} set by {first.source}",
            )
        if first.start != entry.start:
            self.error(
                entry.fields_at["start"], f"{entry.start} contradicts the start {first.start} set by {first.source}"
            )
        conflicting = [r for r in reports if r.end and entry.end and r.end != entry.end]
        if conflicting:
            self.error(
                entry.fields_at["end"],
                f"{entry.end} contradicts the end {conflicting[0].end} set by {conflicting[0].source}",
            )

    def check_meeting_dates(self, entry, start, end):
        for meeting in entry.meetings:
            if message := rules.date_outside_visit(meeting.date, start, end):
                self.error(meeting.date_at, message)

    # What the article contributes -----------------------------------------

    def save_contributions(self, article, officials, topics, visits):
        doc, batch = self.doc, self.batch
        rows = defaultdict(list)
        rows[ArticleOfficial] = [
            (article, officials[slug], entry.role, office_slug(entry.role), entry.country, entry.mentions)
            for slug, entry in doc.officials.items()
        ]
        rows[ArticleTopic] = [
            (article, topics[slug], entry.mentions, topics[entry.parent] if entry.parent else None)
            for slug, entry in doc.topics.items()
        ]
        for entry in doc.visits:
            visit = visits[entry.slug]
            if visit.pk is None and entry.slug not in batch.visits:
                batch.add(Visit, [visit])
                batch.visits[entry.slug] = visit
                batch.inputs[entry.slug] = VisitInputs.new(visit)
            batch.touch(visit)
            report = VisitReport(
                article=article,
                visit=visit,
                host_country=entry.host_country,
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
            inputs = batch.inputs[entry.slug]
            inputs.reports.append(
                ReportInput(
                    article=key(article),
                    source=self.source_path,
                    host_country=entry.host_country,
                    start=entry.start,
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
            batch.add(model, rows[model])
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
