"""Annotation documents (`visit-report/1`): built from plain values, written as NAME.txt + NAME.yaml.

The entry builders (`statement_entry`, `meeting_entry`, `visit_entry`,
`document`) and the writers (`dump`, `write_pair`) are the one place that
says how a document is laid out; `export_articles` uses them to write
articles back from the database (`article_document`, admin edits included)
and the demo generator to write the articles it plans. Empty values are left
out, as an annotator would.

Loading the exported files into an empty database (after the glossary
fixture) reproduces the articles, officials, topics, visits, meetings,
statements and mentions. Each article states what it reported itself. What
an editor changed on a visit (its dates, lists, places or summary, where they
differ from what its reports and records unite to) is stated by the first
article reporting it, so the reloaded visit comes out the same and no article
is made to name people it never named.
"""

import copy
from collections import defaultdict
from pathlib import Path

import yaml

from .models import ArticleOfficial, Topic, Visit
from .spans import span_entry
from .uniting import LIST_FIELDS, unite, visit_inputs

FORMAT = "visit-report/1"


def article_meta(*, title, published, publisher="", url=None, author="", language="en"):
    """Return the `article:` section."""
    meta = {"title": title, "published": published}
    meta |= {key: value for key, value in (("publisher", publisher), ("url", url), ("author", author)) if value}
    if language != "en":
        meta["language"] = language
    return meta


def statement_entry(text, *, speaker, kind, start, end, topics=()):
    """Return a statement: its speaker's slug, its kind unless direct, its span, its topics' slugs."""
    entry = {"speaker": speaker}
    if kind != "direct":
        entry["kind"] = kind
    entry |= span_entry(text, start, end)
    if topics:
        entry["topics"] = list(topics)
    return entry


def with_evidence(entry, text, evidence):
    """Add the `evidence` span (start, end), if there is one, to an entry."""
    if evidence and evidence[0] is not None:
        entry |= span_entry(text, *evidence, key="evidence")
    return entry


def meeting_entry(text, *, date=None, place="", participants, topics=(), evidence=None, statements=()):
    """Return a meeting; participants and topics are slugs, statements entries."""
    entry = {}
    if date:
        entry["date"] = date
    if place:
        entry["place"] = place
    entry["participants"] = list(participants)
    if topics:
        entry["topics"] = list(topics)
    with_evidence(entry, text, evidence)
    if statements:
        entry["statements"] = list(statements)
    return entry


def visit_entry(
    text,
    *,
    slug,
    visitors,
    host_country,
    start,
    hosts=(),
    end=None,
    places=(),
    summary="",
    topics=(),
    evidence=None,
    meetings=(),
    statements=(),
):
    """Return a visit; people and topics are slugs, meetings and statements entries."""
    entry = {"slug": slug, "visitors": list(visitors)}
    if hosts:
        entry["hosts"] = list(hosts)
    entry |= {"host_country": str(host_country), "start": start}
    if end:
        entry["end"] = end
    if places:
        entry["places"] = list(places)
    if summary:
        entry["summary"] = summary
    if topics:
        entry["topics"] = list(topics)
    with_evidence(entry, text, evidence)
    if meetings:
        entry["meetings"] = list(meetings)
    if statements:
        entry["statements"] = list(statements)
    return entry


def document(meta, officials, topics, visits):
    """Return the whole document: {slug: entry} of officials and topics (sorted by slug), the visits."""
    result = {"format": FORMAT, "article": meta}
    if officials:
        result["officials"] = dict(sorted(officials.items()))
    if topics:
        result["topics"] = dict(sorted(topics.items()))
    if visits:
        result["visits"] = list(visits)
    return result


class PlainDumper(yaml.SafeDumper):
    """Writes repeated values out in full: annotators read these files, and `&id001` anchors puzzle them."""

    def ignore_aliases(self, data):
        return True


def dump(data, header=""):
    """Return the document as YAML text, after `header` (comment lines)."""
    return header + yaml.dump(data, Dumper=PlainDumper, sort_keys=False, allow_unicode=True, width=100)


def write_pair(directory, stem, text, data, header=""):
    """Write STEM.txt and STEM.yaml into `directory`; return the .yaml path."""
    directory = Path(directory)
    (directory / f"{stem}.txt").write_text(text, encoding="utf-8")
    path = directory / f"{stem}.yaml"
    path.write_text(dump(data, header), encoding="utf-8")
    return path


def slugs(objects):
    return sorted(o.slug for o in objects)


class ArticleExport:
    def __init__(self, article):
        self.article = article
        self.text = article.text
        self.officials = {}  # Official -> entry dict
        self.topics = {}

    def document(self):
        article = self.article
        meta = article_meta(
            title=article.title,
            published=article.published,
            publisher=article.publisher,
            url=article.url,
            author=article.author,
            language=article.language,
        )
        entries = {e.official_id: e for e in ArticleOfficial.objects.filter(article=article).select_related("official")}
        topic_entries = {e.topic_id: e for e in article.topic_entries.select_related("topic")}
        for entry in entries.values():
            self.official(entry.official, entry)
        for entry in topic_entries.values():
            self.topic(entry.topic, entry)
        visits = self.visits(entries)
        for mention in article.mentions.select_related("official", "topic"):
            phrase = self.text[mention.start : mention.end]
            target = self.official(mention.official) if mention.official else self.topic(mention.topic)
            if phrase not in target["mentions"]:
                target["mentions"].append(phrase)
        return document(
            meta,
            {official.slug: entry for official, entry in self.officials.items()},
            {topic.slug: entry for topic, entry in self.topics.items()},
            visits,
        )

    def official(self, official, entry=None):
        if official not in self.officials:
            if entry is None:
                entry = ArticleOfficial.objects.filter(official=official).order_by("-article__published").first()
            self.officials[official] = {
                "name": official.name,
                "country": str(official.country),
                "role": entry.role if entry else "Official",
                "mentions": list(entry.mentions) if entry and entry.article_id == self.article.pk else [],
            }
        return self.officials[official]

    def topic(self, topic, entry=None):
        if topic not in self.topics:
            data = {"name": topic.name}
            self.topics[topic] = data
            if topic.parent_id:
                parent = Topic.objects.get(pk=topic.parent_id)
                data["parent"] = parent.slug
                self.topic(parent)  # parents must be defined in the same file
            data["mentions"] = list(entry.mentions) if entry else []
        return self.topics[topic]

    def visits(self, entries):
        article = self.article
        reports = list(article.visit_reports.select_related("visit").order_by("pk"))
        meetings = defaultdict(list)
        for meeting in article.meetings.prefetch_related("participants", "topics").order_by("position", "pk"):
            meetings[meeting.visit_id].append(meeting)
        statements = defaultdict(list)
        for statement in article.statements.select_related("speaker").prefetch_related("topics").order_by("start"):
            statements[(statement.visit_id, statement.meeting_id)].append(statement)
        result = []
        for report in reports:
            visit = report.visit
            primary = visit.reports.order_by("pk").values_list("pk", flat=True).first() == report.pk
            said = self.what_the_report_says(visit, report, primary)
            visit_meetings = meetings.get(visit.pk, [])
            result.append(
                visit_entry(
                    self.text,
                    slug=visit.slug,
                    visitors=[self.ref_official(o) for o in sorted(said["visitors"], key=lambda o: o.slug)],
                    hosts=[self.ref_official(o) for o in sorted(said["hosts"], key=lambda o: o.slug)],
                    host_country=visit.host_country,
                    start=visit.start,
                    end=said["end"],
                    places=said["places"],
                    summary=said["summary"],
                    topics=[self.ref_topic(t) for t in sorted(said["topics"], key=lambda t: t.slug)],
                    evidence=(report.evidence_start, report.evidence_end),
                    meetings=[self.meeting(m, statements[(visit.pk, m.pk)]) for m in visit_meetings],
                    statements=[self.statement(s) for s in statements.get((visit.pk, None), [])],
                )
            )
        return result

    @staticmethod
    def what_the_report_says(visit, report, primary):
        """Return the report's own lists, end, places and summary, as its file should state them.

        Each article states what it said itself. What an editor changed on the
        visit (what differs from uniting its reports and records) is stated
        by the first article reporting it, so reloading the files gives the
        same visit without making an article name people it never named.
        An editor's removal cannot be stated: the visit unites its reports.
        """
        said = {name: set(getattr(report, name).all()) for name in LIST_FIELDS}
        said |= {"places": list(report.places), "summary": report.summary, "end": report.end}
        if report.end and report.end != visit.end:
            said["end"] = None  # an editor moved the end: the first report states the new one
        if not primary:
            return said
        inputs = visit_inputs(Visit.objects.filter(pk=visit.pk))[visit.pk]
        inputs.visit = copy.copy(inputs.visit)
        inputs.visit.edited_at = None  # what the reports and records alone make of it
        united = unite(inputs)
        for name in LIST_FIELDS:
            said[name] |= {related for related in getattr(visit, name).all() if related.pk not in getattr(united, name)}
        said["places"] += [
            place for place in visit.places if place not in united.places and place not in said["places"]
        ]
        if visit.summary != united.summary:
            said["summary"] = visit.summary
        if visit.end != united.end:
            said["end"] = visit.end
        return said

    def ref_official(self, official):
        self.official(official)
        return official.slug

    def ref_topic(self, topic):
        self.topic(topic)
        return topic.slug

    def meeting(self, meeting, statements):
        return meeting_entry(
            self.text,
            date=meeting.date,
            place=meeting.place,
            participants=[self.ref_official(o) for o in sorted(meeting.participants.all(), key=lambda o: o.slug)],
            topics=[self.ref_topic(t) for t in sorted(meeting.topics.all(), key=lambda t: t.slug)],
            evidence=(meeting.evidence_start, meeting.evidence_end),
            statements=[self.statement(s) for s in statements],
        )

    def statement(self, statement):
        return statement_entry(
            self.text,
            speaker=self.ref_official(statement.speaker),
            kind=statement.kind,
            start=statement.start,
            end=statement.end,
            topics=[self.ref_topic(t) for t in sorted(statement.topics.all(), key=lambda t: t.slug)],
        )


def article_document(article):
    """Return the annotation document of `article` as Python data."""
    return ArticleExport(article).document()


def article_yaml(article):
    """Return the annotation of `article` as YAML text in the `visit-report/1` format."""
    return dump(article_document(article))
