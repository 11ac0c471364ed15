"""Parse and validate one annotated article (`visit-report/1`) without the database.

`parse_document(yaml_text, article_text)` returns a `Document` and the list
of problems found. Every rule of the format that can be checked from the file
pair alone is checked here; the rules that need the database (contradictions
with other articles) are checked in `writer.py`.
"""

import datetime
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode

from .. import rules, topic_tree
from ..annotation import FORMAT
from ..models import Article, ArticleOfficial, Meeting, Official, Topic
from ..spans import Ambiguous, NotFound, anchor, find_mentions, mention_occurs
from .limits import Limits
from .reader import Problem, Reader, compose, describe, join, line_of


def column_size(model, field):
    """Return the column's max_length: longer text is refused here, as PostgreSQL would refuse it with a traceback."""
    return model._meta.get_field(field).max_length


@dataclass
class Located:
    """Where a value came from in the YAML: for messages about it later."""

    line: int
    path: str


@dataclass
class OfficialEntry:
    slug: str
    name: str
    country: str
    role: str
    mentions: list
    at: Located


@dataclass
class TopicEntry:
    slug: str
    name: str
    parent: str | None
    mentions: list
    at: Located
    parent_at: Located | None = None


@dataclass
class StatementEntry:
    speaker: str
    kind: str
    quote: str
    start: int
    end: int
    topics: list
    at: Located


@dataclass
class MeetingEntry:
    date: datetime.date | None
    place: str
    participants: list
    topics: list
    evidence: tuple | None
    statements: list
    at: Located
    date_at: Located | None = None


@dataclass
class VisitEntry:
    slug: str
    visitors: list
    hosts: list
    host_country: str
    start: datetime.date
    end: datetime.date | None
    places: list
    summary: str
    topics: list
    evidence: tuple | None
    meetings: list
    statements: list
    at: Located
    fields_at: dict = field(default_factory=dict)


@dataclass
class ArticleEntry:
    title: str
    published: datetime.date
    publisher: str = ""
    url: str | None = None
    author: str = ""
    language: str = "en"


@dataclass
class Document:
    article: ArticleEntry
    officials: dict
    topics: dict
    visits: list
    mentions: list  # [(start, end, ("official"|"topic", slug))]


class DocumentParser:
    """Turns the YAML node tree into a Document, collecting every problem."""

    def __init__(self, text, limits):
        self.text = text
        self.limits = limits
        self.reader = Reader()
        self.official_slugs = set()
        self.topic_slugs = set()
        self.references = []  # (kind, slug, node, path), checked once all entries are read

    def parse(self, yaml_text):
        try:
            root = compose(yaml_text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = " ".join(filter(None, [exc.context, exc.problem]))
            return None, [Problem(line, "(yaml)", f"not valid YAML: {problem}")]
        except yaml.YAMLError as exc:
            return None, [Problem(None, "(yaml)", f"not valid YAML: {exc}")]
        if root is None:
            return None, [Problem(None, "(document)", "the file is empty")]
        if not isinstance(root, MappingNode):
            return None, [Problem(line_of(root), "(document)", f"expected a mapping of keys, got {describe(root)}")]

        r = self.reader
        top = r.mapping(root, "", required=["format", "article"], optional=["officials", "topics", "visits"])
        if top is None:
            return None, r.problems
        if "format" in top:
            fmt = r.text(top["format"], "format")
            if fmt is not None and fmt != FORMAT:
                r.error(top["format"], "format", f"expected {FORMAT!r}, got {fmt!r}")
        article = self.article(top["article"]) if "article" in top else None
        officials = self.officials(top["officials"]) if "officials" in top else {}
        topics = self.topics(top["topics"]) if "topics" in top else {}
        visits = self.visits(top["visits"]) if "visits" in top else []
        self.check_references()
        self.check_topic_cycles(topics)
        self.check_counts(visits)
        mentions = self.mentions(officials, topics, top)
        if len(mentions) > self.limits.mentions:
            message = self.limits.over("mentions", len(mentions), "the number of mentions found in the text")
            r.problems.append(Problem(None, "(mentions)", message))
        if r.errors or article is None:
            return None, r.problems
        return Document(article, officials, topics, visits, mentions), r.problems

    # Sections -------------------------------------------------------------

    def article(self, node):
        r = self.reader
        keys = r.mapping(
            node,
            "article",
            required=["title", "published"],
            optional=["publisher", "url", "author", "language"],
        )
        if keys is None:
            return None
        title = r.text(keys["title"], "article.title", column_size(Article, "title")) if "title" in keys else None
        published = r.date(keys["published"], "article.published") if "published" in keys else None
        entry = ArticleEntry(title=title, published=published)
        if "publisher" in keys:
            entry.publisher = r.text(keys["publisher"], "article.publisher", column_size(Article, "publisher")) or ""
        if "author" in keys:
            entry.author = r.text(keys["author"], "article.author", column_size(Article, "author")) or ""
        if "language" in keys:
            entry.language = r.text(keys["language"], "article.language", column_size(Article, "language")) or "en"
        if "url" in keys:
            url = r.text(keys["url"], "article.url")
            if url is not None and (message := rules.url_problem(url)):
                r.error(keys["url"], "article.url", message)
            else:
                entry.url = url
        if title is None or published is None:
            return None
        return entry

    def officials(self, node):
        r = self.reader
        entries = {}
        for slug, key_node, value in r.keyed_mapping(node, "officials"):
            path = f"officials.{slug}"
            self.official_slugs.add(slug)
            keys = r.mapping(value, path, required=["name", "country", "role"], optional=["mentions"])
            if keys is None:
                continue
            name = r.text(keys["name"], f"{path}.name", column_size(Official, "name")) if "name" in keys else None
            country = self.country(keys["country"], f"{path}.country") if "country" in keys else None
            role = (
                r.text(keys["role"], f"{path}.role", column_size(ArticleOfficial, "role")) if "role" in keys else None
            )
            mentions = self.mentions_of(keys, path, name)
            if None not in (name, country, role):
                entries[slug] = OfficialEntry(
                    slug, name.strip(), country, role.strip(), mentions, Located(line_of(key_node), path)
                )
        return entries

    def mentions_of(self, keys, path, name):
        """Return an entry's `mentions`, by default its name."""
        if "mentions" in keys:
            return self.reader.text_list(keys["mentions"], f"{path}.mentions")
        return [name] if name else []

    def topics(self, node):
        r = self.reader
        entries = {}
        for slug, key_node, value in r.keyed_mapping(node, "topics"):
            path = f"topics.{slug}"
            self.topic_slugs.add(slug)
            keys = r.mapping(value, path, required=["name"], optional=["mentions", "parent"])
            if keys is None:
                continue
            name = r.text(keys["name"], f"{path}.name", column_size(Topic, "name")) if "name" in keys else None
            mentions = self.mentions_of(keys, path, name)
            parent = parent_at = None
            if "parent" in keys:
                parent = r.slug(keys["parent"], f"{path}.parent")
                parent_at = Located(line_of(keys["parent"]), f"{path}.parent")
                if parent is not None:
                    self.references.append(("topic", parent, keys["parent"], f"{path}.parent"))
                    if parent == slug:
                        r.error(keys["parent"], f"{path}.parent", "a topic cannot be its own parent")
                        parent = None  # said once here, not again as a cycle of one
            if name is not None:
                entries[slug] = TopicEntry(
                    slug, name.strip(), parent, mentions, Located(line_of(key_node), path), parent_at
                )
        return entries

    def visits(self, node):
        r = self.reader
        visits, seen = [], set()
        for index, item in enumerate(r.sequence(node, "visits")):
            path = f"visits[{index}]"
            keys = r.mapping(
                item,
                path,
                required=["slug", "visitors", "host_country", "start"],
                optional=[
                    "hosts",
                    "end",
                    "places",
                    "summary",
                    "topics",
                    "evidence",
                    "occurrence",
                    "meetings",
                    "statements",
                ],
            )
            if keys is None:
                continue
            slug = r.slug(keys["slug"], f"{path}.slug") if "slug" in keys else None
            if slug is not None and slug in seen:
                r.error(keys["slug"], f"{path}.slug", f"visit {slug} is described twice in this file")
            seen.add(slug)
            visitors = self.official_refs(keys, "visitors", path, minimum=1)
            hosts = self.official_refs(keys, "hosts", path)
            overlap = set(visitors) & set(hosts)
            if overlap:
                r.error(keys["hosts"], f"{path}.hosts", f"{', '.join(sorted(overlap))} cannot be both visitor and host")
            host_country = (
                self.country(keys["host_country"], f"{path}.host_country") if "host_country" in keys else None
            )
            start = r.date(keys["start"], f"{path}.start") if "start" in keys else None
            end = r.date(keys["end"], f"{path}.end") if "end" in keys else None
            if message := rules.end_before_start(start, end):
                r.error(keys["end"], f"{path}.end", message)
                end = None
            places = r.text_list(keys["places"], f"{path}.places") if "places" in keys else []
            summary = (r.text(keys["summary"], f"{path}.summary") or "") if "summary" in keys else ""
            topics = self.topic_refs(keys, "topics", path)
            evidence = self.evidence(keys, path)
            visit = VisitEntry(
                slug=slug,
                visitors=visitors,
                hosts=hosts,
                host_country=host_country,
                start=start,
                end=end,
                places=places,
                summary=summary.strip(),
                topics=topics,
                evidence=evidence,
                meetings=[],
                statements=[],
                at=Located(line_of(item), path),
                fields_at={key: Located(line_of(value), f"{path}.{key}") for key, value in keys.items()},
            )
            if "meetings" in keys:
                for m_index, m_node in enumerate(r.sequence(keys["meetings"], f"{path}.meetings")):
                    meeting = self.meeting(m_node, f"{path}.meetings[{m_index}]", visit)
                    if meeting is not None:
                        visit.meetings.append(meeting)
            if "statements" in keys:
                visit.statements = self.statements(keys["statements"], f"{path}.statements")
            if None not in (slug, host_country, start):
                visits.append(visit)
        return visits

    def meeting(self, node, path, visit):
        r = self.reader
        keys = r.mapping(
            node,
            path,
            required=["participants"],
            optional=["date", "place", "topics", "evidence", "occurrence", "statements"],
        )
        if keys is None:
            return None
        date = r.date(keys["date"], f"{path}.date") if "date" in keys else None
        # With no end of its own, the visit may still be longer per another article:
        # then only a date before the start is wrong here, and the planner checks the merged dates.
        checked = date and visit.start and (visit.end or date < visit.start)
        if checked and (message := rules.date_outside_visit(date, visit.start, visit.end)):
            r.error(keys["date"], f"{path}.date", message)
        participants = self.official_refs(keys, "participants", path, minimum=2)
        place = (r.text(keys["place"], f"{path}.place", column_size(Meeting, "place")) or "") if "place" in keys else ""
        statements = self.statements(keys["statements"], f"{path}.statements") if "statements" in keys else []
        return MeetingEntry(
            date=date,
            place=place.strip(),
            participants=participants,
            topics=self.topic_refs(keys, "topics", path),
            evidence=self.evidence(keys, path),
            statements=statements,
            at=Located(line_of(node), path),
            date_at=Located(line_of(keys["date"]), f"{path}.date") if "date" in keys else None,
        )

    def statements(self, node, path):
        r = self.reader
        statements = []
        for index, item in enumerate(r.sequence(node, path)):
            item_path = f"{path}[{index}]"
            keys = r.mapping(item, item_path, required=["speaker", "quote"], optional=["kind", "occurrence", "topics"])
            if keys is None:
                continue
            speaker = None
            if "speaker" in keys:
                speaker = r.slug(keys["speaker"], f"{item_path}.speaker")
                if speaker is not None:
                    self.references.append(("official", speaker, keys["speaker"], f"{item_path}.speaker"))
            kind = r.choice(keys["kind"], f"{item_path}.kind", ["direct", "indirect"]) if "kind" in keys else "direct"
            span = None
            if "quote" in keys:
                span = self.span(keys["quote"], f"{item_path}.quote", keys.get("occurrence"), f"{item_path}.occurrence")
            topics = self.topic_refs(keys, "topics", item_path)
            if None not in (speaker, kind, span):
                statements.append(
                    StatementEntry(speaker, kind, span[2], span[0], span[1], topics, Located(line_of(item), item_path))
                )
        return statements

    # Values ---------------------------------------------------------------

    def country(self, node, path):
        value = self.reader.text(node, path)
        if value is None:
            return None
        if message := rules.country_problem(value):
            self.reader.error(node, path, message)
            return None
        return rules.country_code(value)

    def official_refs(self, keys, key, path, minimum=0):
        if key not in keys:
            return []
        items = self.reader.slug_list(keys[key], f"{path}.{key}")
        for slug, node, item_path in items:
            self.references.append(("official", slug, node, item_path))
        if len(items) < minimum:
            need = "at least one official" if minimum == 1 else f"at least {minimum} officials"
            self.reader.error(keys[key], f"{path}.{key}", f"needs {need}")
        return [slug for slug, _, _ in items]

    def topic_refs(self, keys, key, path):
        if key not in keys:
            return []
        items = self.reader.slug_list(keys[key], f"{path}.{key}")
        for slug, node, item_path in items:
            self.references.append(("topic", slug, node, item_path))
        return [slug for slug, _, _ in items]

    def evidence(self, keys, path):
        if "evidence" not in keys:
            if "occurrence" in keys:
                self.reader.error(keys["occurrence"], f"{path}.occurrence", "occurrence without evidence")
            return None
        span = self.span(keys["evidence"], f"{path}.evidence", keys.get("occurrence"), f"{path}.occurrence")
        return span[:2] if span else None

    def span(self, node, path, occurrence_node, occurrence_path):
        """Return (start, end, text) of a quoted span anchored in the article text."""
        value = self.reader.text(node, path)
        occurrence = None
        if occurrence_node is not None:
            occurrence = self.reader.positive_int(occurrence_node, occurrence_path)
            if occurrence is None:
                return None
        if value is None:
            return None
        try:
            start, end = anchor(self.text, value, occurrence)
        except (NotFound, Ambiguous) as exc:
            self.reader.error(node, path, str(exc))
            return None
        return start, end, value

    # Whole-file rules ------------------------------------------------------

    def check_counts(self, visits):
        """Refuse an article with more meetings or statements than the limits allow."""
        meetings = sum(len(visit.meetings) for visit in visits)
        statements = sum(
            len(visit.statements) + sum(len(meeting.statements) for meeting in visit.meetings) for visit in visits
        )
        for name, found in (("meetings", meetings), ("statements", statements)):
            if found > getattr(self.limits, name):
                message = self.limits.over(name, found, f"the number of {name} in the article")
                self.reader.problems.append(Problem(None, "visits", message))

    def check_references(self):
        defined = {"official": self.official_slugs, "topic": self.topic_slugs}
        section = {"official": "officials", "topic": "topics"}
        for kind, slug, node, path in self.references:
            if slug not in defined[kind]:
                self.reader.error(
                    node, path, f"unknown {kind} {slug!r}: define it under `{section[kind]}:` in this file"
                )

    def check_topic_cycles(self, topics):
        parent_of = {slug: entry.parent for slug, entry in topics.items()}
        for cycle in topic_tree.cycles(parent_of, topics):
            entry = topics[cycle[0]]
            at = entry.parent_at or entry.at
            self.reader.problems.append(Problem(at.line, at.path, rules.topic_cycle(cycle)))

    def mentions(self, officials, topics, top):
        """Find every mention in the text; warn about those that never occur."""
        names = {}
        owners = {}
        for kind, entries in (("official", officials), ("topic", topics)):
            for slug, entry in entries.items():
                target = (kind, slug)
                names[target] = entry.mentions
                for name in entry.mentions:
                    owner = owners.setdefault(name, target)
                    if owner != target:
                        self.reader.problems.append(
                            Problem(
                                entry.at.line,
                                join(entry.at.path, "mentions"),
                                f"{name!r} is also a mention of {owner[0]} {owner[1]}; a mention must name one entity",
                            )
                        )
                    if not mention_occurs(self.text, name):
                        self.reader.problems.append(
                            Problem(
                                entry.at.line,
                                join(entry.at.path, "mentions"),
                                f"{name!r} does not occur in the text",
                                warning=True,
                            )
                        )
        return find_mentions(self.text, names)


def parse_document(yaml_text, article_text, limits=None):
    """Return (Document or None, [Problem]) for one annotated article (`limits`: a loading.limits.Limits)."""
    return DocumentParser(article_text, limits or Limits.from_settings()).parse(yaml_text)
