"""Write articles back in the annotation format (`visit-report/1`), admin edits included.

`article_document(article)` returns the YAML document as Python data; the
`export_articles` command writes it beside the article text. Loading the
exported files into an empty database (after the glossary fixture)
reproduces the articles, officials, topics, visits, meetings, statements
and mentions.

Each article states what it reported itself. What an editor changed on a
visit (its dates, lists, places or summary, where they differ from what
its reports and records unite to) is stated by the first article reporting
it, so the reloaded visit comes out the same and no article is made to name
people it never named.
"""

import copy
from collections import defaultdict

import yaml

from .loading.document import FORMAT
from .loading.text import occurrences
from .loading.uniting import LIST_FIELDS, unite, visit_inputs
from .models import ArticleOfficial, Topic, Visit


def occurrence_of(text, start, end):
    """Return the `occurrence` that anchors text[start:end], or None when it is unique."""
    found = occurrences(text, text[start:end])
    return found.index(start) + 1 if len(found) > 1 and start in found else None


def span_fields(text, start, end, key):
    if start is None:
        return {}
    fields = {key: text[start:end]}
    if occurrence := occurrence_of(text, start, end):
        fields["occurrence"] = occurrence
    return fields


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
        meta = {"title": article.title, "published": article.published}
        for field in ("publisher", "url", "author"):
            if getattr(article, field):
                meta[field] = getattr(article, field)
        if article.language != "en":
            meta["language"] = article.language
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
        document = {"format": FORMAT, "article": meta}
        if self.officials:
            document["officials"] = {o.slug: e for o, e in sorted(self.officials.items(), key=lambda i: i[0].slug)}
        if self.topics:
            document["topics"] = {t.slug: e for t, e in sorted(self.topics.items(), key=lambda i: i[0].slug)}
        if visits:
            document["visits"] = visits
        return document

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
            data = {"slug": visit.slug}
            data["visitors"] = [self.ref_official(o) for o in sorted(said["visitors"], key=lambda o: o.slug)]
            if hosts := sorted(said["hosts"], key=lambda o: o.slug):
                data["hosts"] = [self.ref_official(o) for o in hosts]
            data["host_country"] = str(visit.host_country)
            data["start"] = visit.start
            if said["end"]:
                data["end"] = said["end"]
            if said["places"]:
                data["places"] = said["places"]
            if said["summary"]:
                data["summary"] = said["summary"]
            if topics := sorted(said["topics"], key=lambda t: t.slug):
                data["topics"] = [self.ref_topic(t) for t in topics]
            data |= span_fields(self.text, report.evidence_start, report.evidence_end, "evidence")
            if visit_meetings := meetings.get(visit.pk):
                data["meetings"] = [self.meeting(m, statements[(visit.pk, m.pk)]) for m in visit_meetings]
            if loose := statements.get((visit.pk, None)):
                data["statements"] = [self.statement(s) for s in loose]
            result.append(data)
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
        data = {}
        if meeting.date:
            data["date"] = meeting.date
        if meeting.place:
            data["place"] = meeting.place
        data["participants"] = [self.ref_official(o) for o in sorted(meeting.participants.all(), key=lambda o: o.slug)]
        if topics := sorted(meeting.topics.all(), key=lambda t: t.slug):
            data["topics"] = [self.ref_topic(t) for t in topics]
        data |= span_fields(self.text, meeting.evidence_start, meeting.evidence_end, "evidence")
        if statements:
            data["statements"] = [self.statement(s) for s in statements]
        return data

    def statement(self, statement):
        data = {"speaker": self.ref_official(statement.speaker)}
        if statement.kind != "direct":
            data["kind"] = statement.kind
        data |= span_fields(self.text, statement.start, statement.end, "quote")
        if topics := sorted(statement.topics.all(), key=lambda t: t.slug):
            data["topics"] = [self.ref_topic(t) for t in topics]
        return data


def article_document(article):
    """Return the annotation document of `article` as Python data."""
    return ArticleExport(article).document()


def article_yaml(article):
    """Return the annotation of `article` as YAML text in the `visit-report/1` format."""
    return yaml.safe_dump(article_document(article), sort_keys=False, allow_unicode=True, width=100)
