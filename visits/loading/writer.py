"""Write one parsed Document to the database, merging shared entities.

Called inside a transaction by `load_file`. Any Problem found here (a
contradiction with what another article says) raises `Refused`, and the
caller's transaction rolls the whole file back.
"""

from collections import Counter, defaultdict

from django.utils import timezone

from ..hsg.united import united_values
from ..indexing import reindex_all, reindex_visits
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


class Refused(Exception):
    """The file contradicts the database; nothing of it may be written."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def source_name(article):
    return article.source_path or f"article {article.slug}"


class ArticleWriter:
    """Replaces what one article contributed with what its file now says."""

    def __init__(self, document, *, stem, source_path, digest, text, overwrite_edits=False):
        self.doc = document
        self.overwrite_edits = overwrite_edits
        self.stem = stem
        self.source_path = source_path
        self.digest = digest
        self.text = text
        self.problems = []
        self.counts = defaultdict(Counter)
        self.topic_tree_changed = False

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
        """Write the document; return per-model counts of created/updated/unchanged."""
        article = self.find_article()
        self.refuse_if_problems()
        if article is not None and article.source_digest == self.digest and article.slug == self.stem:
            if article.source_path != self.source_path:
                # Same files in a new place: "set by ..." messages must name where they are now.
                Article.objects.filter(pk=article.pk).update(source_path=self.source_path)
            self.count_unchanged()
            return self.counts
        visits_before = visit_states(entry.slug for entry in self.doc.visits)
        previous_visit_ids = set()
        if article is not None:
            self.refuse_to_replace_edits(article)
            previous_visit_ids = set(article.visit_reports.values_list("visit_id", flat=True))
            self.forget_contributions(article)
        officials = self.merge_officials()
        topics = self.merge_topics()
        visits = self.merge_visits()
        self.refuse_if_problems()
        article = self.save_article(article)
        self.save_contributions(article, officials, topics, visits)
        recompute_visits(previous_visit_ids | {visit.pk for visit in visits.values()})
        # A known visit is updated when anything it shows changed, its united lists included.
        for slug, state in visit_states(visits_before).items():
            self.counts["visit"]["updated" if state != visits_before[slug] else "unchanged"] += 1
        if self.topic_tree_changed:
            reindex_all()
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
        by_stem = Article.objects.filter(slug=self.stem).first()
        if url:
            by_url = Article.objects.filter(url=url).first()
            if by_url is not None:
                if by_stem is not None and by_stem.pk != by_url.pk:
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

    def forget_contributions(self, article):
        """Delete what this article contributed before, so the file can say it anew."""
        Mention.objects.filter(article=article).delete()
        Statement.objects.filter(article=article).delete()
        Meeting.objects.filter(article=article).delete()
        VisitReport.objects.filter(article=article).delete()
        ArticleOfficial.objects.filter(article=article).delete()
        ArticleTopic.objects.filter(article=article).delete()

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
        if article is None:
            self.counts["article"]["created"] += 1
            return Article.objects.create(**values)
        for name, value in values.items():
            setattr(article, name, value)
        article.save()
        self.counts["article"]["updated"] += 1
        return article

    # Shared entities ------------------------------------------------------

    def merge_officials(self):
        """Create or update the file's officials; return {slug: Official}."""
        entries = self.doc.officials
        known = Official.objects.in_bulk(list(entries), field_name="slug")
        to_create, to_update = [], []
        for slug, entry in entries.items():
            official = known.get(slug)
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
                other = first_statement(ArticleOfficial.objects.filter(official=official))
                if other is not None:
                    self.error(
                        entry.at,
                        f"{value!r} contradicts {current!r} set by {source_name(other.article)}",
                        path=f"{entry.at.path}.{field}",
                    )
                else:
                    setattr(official, field, value)
                    changed = True
            if changed:
                to_update.append(official)
            self.counts["official"]["updated" if changed else "unchanged"] += 1
        if self.errors:
            return {}
        Official.objects.bulk_create(to_create)
        Official.objects.bulk_update(to_update, ["name", "country", "edited_at"])
        self.counts["official"]["created"] += len(to_create)
        return Official.objects.in_bulk(list(entries), field_name="slug")

    def merge_topics(self):
        """Create or update the file's topics and their parents; return {slug: Topic}."""
        entries = self.doc.topics
        known = Topic.objects.select_related("parent").in_bulk(list(entries), field_name="slug")
        parents = dict(Topic.objects.values_list("slug", "parent__slug"))
        to_create, kept = [], set()
        for slug, entry in entries.items():
            topic = known.get(slug)
            if topic is None:
                to_create.append(Topic(slug=slug, name=entry.name))
                parents[slug] = entry.parent
                continue
            current_parent = topic.parent.slug if topic.parent else None
            differs = topic.name != entry.name or (entry.parent and entry.parent != current_parent)
            if differs and self.keeps_edit(topic, entry.at, f"topic {slug}"):
                kept.add(slug)
                continue
            if topic.name != entry.name:
                other = first_statement(ArticleTopic.objects.filter(topic=topic))
                if other is not None:
                    self.error(
                        entry.at,
                        f"{entry.name!r} contradicts {topic.name!r} set by {source_name(other.article)}",
                        path=f"{entry.at.path}.name",
                    )
            current_parent = topic.parent.slug if topic.parent else None
            if entry.parent and entry.parent != current_parent:
                other = first_statement(ArticleTopic.objects.filter(topic=topic, parent__isnull=False))
                if other is not None:
                    self.error(
                        entry.parent_at,
                        f"{entry.parent!r} contradicts the parent {current_parent!r} set by "
                        f"{source_name(other.article)}",
                    )
                else:
                    parents[slug] = entry.parent
        self.check_cycles(parents)
        if self.errors:
            return {}
        Topic.objects.bulk_create(to_create)
        wanted = {slug: parents.get(slug) for slug in entries}
        topics = Topic.objects.in_bulk(list(entries) + [p for p in wanted.values() if p], field_name="slug")
        to_update = []
        for slug, entry in entries.items():
            topic = topics[slug]
            parent_id = topics[wanted[slug]].pk if wanted[slug] else None
            if slug not in kept and (topic.name != entry.name or topic.parent_id != parent_id):
                topic.name, topic.parent_id, topic.edited_at = entry.name, parent_id, None
                to_update.append(topic)
        Topic.objects.bulk_update(to_update, ["name", "parent", "edited_at"])
        # A known topic moved in the tree: every visit's ancestor rows may change.
        self.topic_tree_changed = any(t.slug in known and t.parent_id != known[t.slug].parent_id for t in to_update)
        updated = sum(1 for topic in to_update if topic.slug in known)
        self.counts["topic"]["created"] += len(to_create)
        self.counts["topic"]["updated"] += updated
        self.counts["topic"]["unchanged"] += len(known) - updated
        return topics

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
        """Create or update the file's visits; return {slug: Visit}."""
        entries = {entry.slug: entry for entry in self.doc.visits}
        known = Visit.objects.in_bulk(list(entries), field_name="slug")
        others = defaultdict(list)
        for report in (
            VisitReport.objects.filter(visit__slug__in=list(known))
            .select_related("article", "visit")
            .defer("article__text")
        ):
            others[report.visit.slug].append(report)
        visits = {}
        for slug, entry in entries.items():
            visit = known.get(slug)
            reports = others.get(slug, [])
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
        if self.errors:
            return {}
        for visit in visits.values():
            visit.skip_history_when_saving = True  # history records editors' changes; articles record loads
            visit.save()
        return visits

    def merge_visit_fields(self, visit, entry, reports):
        """Apply the entry's dates and host country, refusing contradictions with other reports."""
        if str(visit.host_country) != entry.host_country:
            if reports:
                self.error(
                    entry.fields_at["host_country"],
                    f"{entry.host_country} contradicts {visit.host_country} set by {source_name(reports[0].article)}",
                )
            visit.host_country = entry.host_country
        if visit.start != entry.start:
            if reports:
                self.error(
                    entry.fields_at["start"],
                    f"{entry.start} contradicts the start {visit.start} set by {source_name(reports[0].article)}",
                )
            visit.start = entry.start
        if entry.end:
            explicit = [r for r in reports if r.end]
            conflicting = [r for r in explicit if r.end != entry.end]
            if conflicting:
                self.error(
                    entry.fields_at["end"],
                    f"{entry.end} contradicts the end {conflicting[0].end} set by "
                    f"{source_name(conflicting[0].article)}",
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
        doc = self.doc
        ArticleOfficial.objects.bulk_create(
            ArticleOfficial(article=article, official=officials[slug], role=entry.role, mentions=entry.mentions)
            for slug, entry in doc.officials.items()
        )
        ArticleTopic.objects.bulk_create(
            ArticleTopic(
                article=article,
                topic=topics[slug],
                mentions=entry.mentions,
                parent=topics[entry.parent] if entry.parent else None,
            )
            for slug, entry in doc.topics.items()
        )
        statements = []  # (Statement, topic slugs)
        links = defaultdict(list)  # through model -> rows, written in one bulk insert each
        for entry in doc.visits:
            visit = visits[entry.slug]
            report = VisitReport.objects.create(
                article=article,
                visit=visit,
                start=entry.start,
                end=entry.end,
                places=entry.places,
                summary=entry.summary,
                evidence_start=entry.evidence[0] if entry.evidence else None,
                evidence_end=entry.evidence[1] if entry.evidence else None,
            )
            for field, slugs, table in (
                ("visitors", entry.visitors, officials),
                ("hosts", entry.hosts, officials),
                ("topics", entry.topics, topics),
            ):
                links[getattr(VisitReport, field).through] += link_rows(VisitReport, field, report, slugs, table)
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
                meeting.skip_history_when_saving = True  # the article is the record of what the loader wrote
                meeting.save()
                links[Meeting.participants.through] += link_rows(
                    Meeting, "participants", meeting, m.participants, officials
                )
                links[Meeting.topics.through] += link_rows(Meeting, "topics", meeting, m.topics, topics)
                statements += [(self.statement(article, visit, meeting, s, officials), s.topics) for s in m.statements]
            statements += [(self.statement(article, visit, None, s, officials), s.topics) for s in entry.statements]
        for through, rows in links.items():
            through.objects.bulk_create(rows)
        self.counts["meeting"]["created"] += sum(len(v.meetings) for v in doc.visits)
        Statement.objects.bulk_create([s for s, _ in statements])
        through = Statement.topics.through
        through.objects.bulk_create(
            through(statement_id=s.pk, topic_id=topics[slug].pk) for s, slugs in statements for slug in slugs
        )
        self.counts["statement"]["created"] += len(statements)
        Mention.objects.bulk_create(
            Mention(
                article=article,
                start=start,
                end=end,
                official=officials[slug] if kind == "official" else None,
                topic=topics[slug] if kind == "topic" else None,
            )
            for start, end, (kind, slug) in doc.mentions
        )
        self.counts["mention"]["created"] += len(doc.mentions)

    @staticmethod
    def statement(article, visit, meeting, entry, officials):
        return Statement(
            article=article,
            visit=visit,
            meeting=meeting,
            speaker=officials[entry.speaker],
            kind=entry.kind,
            quote=entry.quote,
            start=entry.start,
            end=entry.end,
        )


def link_rows(model, field, obj, slugs, table):
    """Return the through-table rows linking a new `obj` to the entities named by `slugs`."""
    through = getattr(model, field).through
    source = getattr(model, field).field.m2m_field_name()
    target = getattr(model, field).field.m2m_reverse_field_name()
    return [through(**{f"{source}_id": obj.pk, f"{target}_id": table[slug].pk}) for slug in slugs]


def first_statement(entries):
    """Return the earliest of other articles' entries (with its article's source), or None.

    Asked only when a file disagrees with the database: a busy official is
    named by thousands of articles, and reading them all for every file made
    loading slower with every article loaded.
    """
    return entries.select_related("article").only("article__slug", "article__source_path").order_by("pk").first()


def visit_states(slugs):
    """Return {slug: what the visit shows (fields and united lists)} for the known visits among `slugs`."""
    visits = Visit.objects.filter(slug__in=list(slugs)).prefetch_related("visitors", "hosts", "topics")
    return {
        visit.slug: (
            str(visit.host_country),
            visit.start,
            visit.end,
            visit.places,
            visit.summary,
            {official.pk for official in visit.visitors.all()},
            {official.pk for official in visit.hosts.all()},
            {topic.pk for topic in visit.topics.all()},
        )
        for visit in visits
    }


def recompute_visits(visit_ids):
    """Make each visit the union of its reports and dataset records; delete visits nothing reports any more.

    A visit an editor changed keeps the editor's values; what its reports
    and records say is added to its lists, never taken away. Records add
    their people and places (`visits.hsg.united`); a visit no article reports
    takes its country, dates and summary from its records.
    """
    visits = Visit.objects.filter(pk__in=visit_ids).prefetch_related(
        "reports__visitors",
        "reports__hosts",
        "reports__topics",
        "meetings",
        "visitors",
        "hosts",
        "topics",
        "records__person_entries",
    )
    surviving = []
    for visit in visits:
        reports = sorted(visit.reports.all(), key=lambda r: r.pk)
        records = list(visit.records.all())
        if not reports and not records and visit.edited_at is None:
            visit.delete()
            continue
        surviving.append(visit.pk)
        edited = visit.edited_at is not None
        recorded = united_values(records)
        places = list(visit.places) if edited else []
        visitors = {o.pk for o in visit.visitors.all()} if edited else set()
        hosts = set(visit.hosts.all()) if edited else set()
        topics = set(visit.topics.all()) if edited else set()
        for report in reports:
            places += [p for p in report.places if p not in places]
            visitors |= {o.pk for o in report.visitors.all()}
            hosts |= set(report.hosts.all())
            topics |= set(report.topics.all())
        places += [p for p in recorded.places if p not in places]
        visitors |= set(recorded.visitors)
        visit.places = places
        if not edited and reports:
            visit.summary = next((r.summary for r in reports if r.summary), recorded.summary)
            # With no end stated, the visit lasts at least until its last reported meeting (or record).
            explicit_ends = [r.end for r in reports if r.end]
            meeting_dates = [m.date for m in visit.meetings.all() if m.date]
            record_ends = [recorded.end] if records else []
            visit.end = explicit_ends[0] if explicit_ends else max([visit.start, *meeting_dates, *record_ends])
        elif not edited:
            visit.host_country, visit.start, visit.end = recorded.host_country, recorded.start, recorded.end
            visit.summary = recorded.summary
        visit.skip_history_when_saving = True
        visit.visitors.set(visitors)
        visit.hosts.set(hosts)
        visit.topics.set(topics)
        # One history record per visit per load, with its lists, so an editor's
        # later change is diffed against what the loader left (not every step of it).
        del visit.skip_history_when_saving
        visit.save(update_fields=["host_country", "start", "places", "summary", "end"])
    reindex_visits(surviving)
