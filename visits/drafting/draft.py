"""From an article's text and metadata to a Draft: officials, the visit, meetings, topics, statements.

`draft_article(text, meta, context)` puts the finders together (officials,
quotes, dates, topics) and decides the visit:

- where: the place of "visit to/in X", "arrived in X", "trip to X" (a
  country or a city the countries table knows); else a city the text names;
- who visits: the person the sentence reporting the visit names before that
  phrase (else the first person of the sentence); who hosts: the people of
  the host country who meet the visitors;
- when: `dates.visit_dates`;
- meetings: the sentences with a verb of meeting ("met", "a meeting with",
  "received", "held talks", "discussed") naming a visitor and someone else;
  sentences naming the same people are one meeting;
- a person whose country the title does not say gets the country named
  nearest before them in their sentence, or the host country: unsure.

Every item keeps its evidence and, when the drafter guessed, a note saying
what to check. `DraftContext` holds what the database knows (officials,
topics, visits), read once per command run or request.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.text import slugify
from django_countries import countries

from ..names import official_slug
from ..spans import find_mentions
from .countries import CAPITALS, country_of, find_countries
from .dates import find_dates, visit_dates
from .officials import Gazetteer, find_people
from .quotes import attribute, find_quotations, find_reported
from .segments import containing, sentences
from .topics import TopicGlossary, find_topics, topics_in

VISIT_PHRASE = re.compile(
    r"(?:\b(?:kicks|kicked|kicking|starts|started|begins|began|opens|opened|wraps|wrapped|ends|ended|"
    r"concludes|concluded|makes|made|pays|paid|is on|was on)\s+(?:off\s+|up\s+)?)?"
    r"(?:\b(?:his|her|their|a|an|the|its)\s+)?"
    r"(?:(?:\w+-day|first|official|state|working|surprise|historic|two|three|week-long|brief|last)\s+)*"
    r"\b(?:visit|trip|tour)\s+(?:to|in|of)\s+(?:the\s+)?(?P<place>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
    r"|\b(?:arrived|arrives|arriving|landed|lands|landing|travelled|traveled|travels|travelling|traveling|flew|flies)"
    r"\s+(?:in|to|into)\s+(?:the\s+)?(?P<place2>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
    r"|\b(?:visiting|visits|visited)\s+(?:the\s+)?(?P<place3>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
    r"|\b(?:visit|trip)\s+by\s+[^.]{0,60}?\bto\s+(?:the\s+)?(?P<place4>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
)
MEETING_VERB = re.compile(
    r"\b(?:met|meets|meet|meeting|talks|received|receives|receive|"
    r"hosted|hosts|welcomed|welcomes|greeted|greets|sat down with|discussed|discuss|discusses)\b"
)
DATELINE_CITY = re.compile(r"\s*([A-ZÀ-Ý][A-ZÀ-Ý'’-]+(?: [A-ZÀ-Ý][A-ZÀ-Ý'’-]+)*)\b[,( ]")
PLACE_PHRASE = re.compile(
    r"\bat (?:the |a |his |her |their )?(?P<place>[a-zA-Z][^,.;“”\"]{2,60}?)(?=[,.;]|$| on | to | where )"
)


@dataclass
class Meta:
    title: str
    published: datetime.date
    publisher: str = ""
    url: str = ""
    author: str = ""
    language: str = "en"


@dataclass
class StatementDraft:
    kind: str  # "direct" or "indirect"
    start: int
    end: int
    speaker: str | None
    evidence: str
    unsure: str = ""
    candidate: str | None = None
    topics: list = field(default_factory=list)
    meeting: int | None = None  # index into the visit's meetings


@dataclass
class MeetingDraft:
    participants: list
    place: str
    date: datetime.date | None
    evidence: tuple  # (start, end)
    topics: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass
class VisitDraft:
    slug: str
    visitors: list
    hosts: list
    host_country: str
    start: datetime.date
    end: datetime.date | None
    places: list
    evidence: tuple | None
    topics: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    known: bool = False


@dataclass
class Draft:
    text: str
    meta: Meta
    officials: dict  # slug -> officials.Person
    topics: dict  # slug -> topics.FoundTopic
    visit: VisitDraft | None
    statements: list
    notes: list = field(default_factory=list)
    outsiders: list = field(default_factory=list)  # [(start, end, why)]: quotations no official said


@dataclass
class DraftContext:
    """What the database knows, for the drafter: officials, topics, and a way to find a known visit."""

    gazetteer: Gazetteer = field(default_factory=Gazetteer)
    glossary: TopicGlossary = field(default_factory=TopicGlossary)
    known_visit: object = None  # callable(visitor slug, host country, start, end) -> (slug, start, end) or None
    taken_visit_slugs: object = None  # callable(slug) -> bool

    @classmethod
    def from_database(cls):
        from ..models import Visit

        def known_visit(visitor, host_country, start, end):
            window = datetime.timedelta(days=3)
            visit = (
                Visit.objects.filter(
                    visitors__slug=visitor,
                    host_country=host_country,
                    start__lte=(end or start) + window,
                    end__gte=start - window,
                )
                .order_by("start")
                .first()
            )
            return (visit.slug, visit.start, visit.end) if visit else None

        def taken(slug):
            return Visit.objects.filter(slug=slug).exists()

        return cls(Gazetteer.from_database(), TopicGlossary.from_database(), known_visit, taken)


def draft_article(text, meta, context=None):
    """Return the Draft of an article (see the module docstring)."""
    context = context or DraftContext()
    sentence_spans = sentences(text)

    def sentence_of(position):
        return containing(sentence_spans, position)

    people = find_people(text, context.gazetteer)
    for person in people:
        # A new person whose slug a different official of the database holds: loading would contradict it.
        if not person.known and person.slug in context.gazetteer.officials:
            taken = person.slug
            number = 2
            while f"{taken}-{number}" in context.gazetteer.officials:
                number += 1
            person.slug = f"{taken}-{number}"
            person.notes.append(f"the database's {taken} is someone else (or is it?): check the slug")
    officials = {p.slug: p for p in people}
    country_mentions = find_countries(text)
    dates = find_dates(text, meta.published, sentence_of)
    topics = find_topics(text, context.glossary)
    dedupe_mentions(officials, topics)

    visit = draft_visit(text, meta, officials, country_mentions, dates, sentence_of, context)
    visitor_role = officials[visit.visitors[0]].role if visit else None
    for person in officials.values():
        if not person.country:
            settle_country(text, person, visit, country_mentions, sentence_of)
        if not person.role and visitor_role and "counterpart" in person.evidence:
            person.role = visitor_role
            person.notes.append("the office of the visitor, whose counterpart they are: check it")
        if not person.role:
            person.role = "Official"
            person.notes.append("no title found: write the office held")
    if visit:
        visit.meetings = draft_meetings(text, visit, officials, dates, sentence_of, meta.published)
        finish_visit_hosts(visit, officials)
    mentions = find_mentions(text, {p.slug: p.mentions for p in officials.values()})
    roles = role_phrases(officials)
    if visit:  # "said the visiting minister"
        for slug in visit.visitors:
            word = (officials[slug].role or "").lower().split()[-1:]
            if word:
                roles.setdefault(f"the visiting {word[0]}", []).append((slug, officials[slug].country))
    pair = (visit.visitors[0], visit.hosts[0]) if visit and len(visit.visitors) == 1 and len(visit.hosts) == 1 else None
    reported = find_reported(text, mentions, find_quotations(text), roles, pair)
    quotations = attribute(text, find_quotations(text), mentions, roles, reported)
    statements = [
        StatementDraft("direct", q.start, q.end, q.speaker, q.evidence, q.unsure, q.candidate)
        for q in quotations
        if not q.outsider
    ]
    outsiders = [(q.start, q.end, q.outsider) for q in quotations if q.outsider]
    statements += [StatementDraft("indirect", r.start, r.end, r.speaker, r.evidence) for r in reported]
    statements.sort(key=lambda s: (s.start, s.kind))
    for statement in statements:
        statement.topics = topics_in(topics, statement.start, statement.end)
        if visit and len(visit.meetings) == 1 and statement.speaker in visit.meetings[0].participants:
            statement.meeting = 0
    if visit:
        visit.topics = sorted(topics)
        for meeting in visit.meetings:
            spans = [meeting.evidence] + [
                (s.start, s.end) for s in statements if s.meeting is not None and s.speaker in meeting.participants
            ]
            meeting.topics = sorted({slug for start, end in spans for slug in topics_in(topics, start, end)})
    notes = []
    if visit is None:
        notes.append("no visit found: statements need a visit, so none is written")
    return Draft(text, meta, officials, topics, visit, statements, notes, outsiders)


def dedupe_mentions(officials, topics):
    """A mention names one entity (the format's rule): a phrase claimed twice stays with the first."""
    owner = {}
    for entries in (officials.values(), topics.values()):
        for entry in entries:
            kept = []
            for mention in entry.mentions:
                if owner.setdefault(mention, entry) is entry:
                    kept.append(mention)
            entry.mentions = kept


def draft_visit(text, meta, officials, country_mentions, dates, sentence_of, context):
    """Return the VisitDraft, or None when the article names no visitor."""
    people = sorted(officials.values(), key=lambda p: p.first)
    if not people:
        return None
    notes = []
    match = None
    host = None
    dateline = DATELINE_CITY.match(text)
    here = re.search(r"\b(?:arrived|arrives|landed|lands) here\b|\bvisit here\b", text)
    if here and dateline and country_of(dateline.group(1).title()):
        host = country_of(dateline.group(1).title())  # "arrived here today": the dateline's city
    for candidate in VISIT_PHRASE.finditer(text) if host is None else ():
        place = next(candidate.group(g) for g in ("place", "place2", "place3", "place4") if candidate.group(g))
        place = re.sub(r"['’]s?$", "", place)
        code = country_of(place) or country_of(place.split()[0])
        if code:
            match, host = candidate, code
            break
        if match is None:
            match = candidate
    if host is None and dateline and country_of(dateline.group(1).title()):
        host = country_of(dateline.group(1).title())
        notes.append(f"the host country is the country of the dateline, {dateline.group(1)}: check it")
    if host is None:
        cities = [m for m in country_mentions if m.kind == "city"]
        if cities:
            host = cities[0].code
            notes.append("the host country is the country of the first city named: check it")
    if match is None and here:
        match = here
    sentence = sentence_of(match.start()) if match else None
    visitor = None
    if sentence:
        in_sentence = [p for p in people if any_mention_in(text, p, sentence.start, match.start())]
        in_sentence = [p for p in in_sentence if p.country != host or p.country is None]
        if in_sentence:
            visitor = in_sentence[-1] if len(in_sentence) == 1 else in_sentence[0]
    if visitor is None:
        others = [p for p in people if p.country and p.country != host]
        visitor = others[0] if others else people[0]
        notes.append("the visitor is a guess: the sentence reporting the visit names nobody")
    if host is None:
        met = [p for p in people if p is not visitor and p.country and p.country != visitor.country]
        if met:
            host = met[0].country
            notes.append("the host country is the country of the first other official: check it")
        else:
            return None
    if visitor.country is None and sentence:
        near = [m for m in country_mentions if sentence.start <= m.start < sentence.end and m.code != host]
        if near:
            visitor.country = near[0].code
            visitor.notes.append(f"country from the sentence: {text[near[0].start : near[0].end]}")
    # With no phrase reporting the visit, its dates are looked for in the first sentence, a report's lead.
    lead = sentence or sentence_of(dateline.end() if dateline else 0)
    start, end, date_note = visit_dates(text, meta.published, dates, lead, sentence_of)
    if date_note:
        notes.append(date_note)
    places = []
    for mention in country_mentions:
        if mention.kind == "city" and mention.code == host:
            places.append(text[mention.start : mention.end])
    places = list(dict.fromkeys(places))
    name = slugify(countries.name(host)) or host.lower()
    slug = f"{visitor.slug}-{name}-{start:%Y-%m}"
    known = context.known_visit(visitor.slug, host, start, end) if context.known_visit else None
    visit = VisitDraft(
        slug, [visitor.slug], [], host, start, end, places, (match.start(), match.end()) if match else None, notes=notes
    )
    if known:
        visit.slug, visit.start, visit.end, visit.known = known[0], known[1], known[2], True
        if known[2] == known[1]:
            visit.end = None
        notes.append(f"the database knows this visit ({known[0]}): its dates are kept")
    elif context.taken_visit_slugs and context.taken_visit_slugs(slug):
        visit.slug = f"{slug}-{official_slug(meta.title)[:30].strip('-')}"
        notes.append(f"another visit is called {slug}: check that this is a different one")
    return visit


def any_mention_in(text, person, start, end):
    return any(
        re.search(r"(?<!\w)" + re.escape(m) + r"(?!\w)", text[start:end]) for m in person.mentions + [person.name]
    )


def settle_country(text, person, visit, country_mentions, sentence_of):
    """Give a person without a country in their title the country named nearest before them in their sentence."""
    sentence = sentence_of(person.first)
    if sentence:
        before = [
            m
            for m in country_mentions
            if sentence.start <= m.start < person.first
            and not (visit and m.code == visit.host_country and person.slug in visit.visitors)
        ]
        if before:
            person.country = before[-1].code
            person.notes.append(f"country from the sentence: {text[before[-1].start : before[-1].end]}")
            return
        after = [m for m in country_mentions if person.first <= m.start < sentence.end]
        if after:
            person.country = after[0].code
            person.notes.append(f"country from the sentence: {text[after[0].start : after[0].end]}")
            return
    if visit:
        person.country = visit.host_country
        person.notes.append("no country named: the host country is a guess")
    else:
        person.country = "US"
        person.notes.append("no country found at all: write it")


def draft_meetings(text, visit, officials, dates, sentence_of, published):
    """Return the meetings: sentences with a verb of meeting naming a visitor and someone else."""
    meetings = []
    visitors = [officials[slug] for slug in visit.visitors]
    seen = set()
    for verb in MEETING_VERB.finditer(text):
        sentence = sentence_of(verb.start())
        if sentence is None or sentence.start in seen:
            continue
        seen.add(sentence.start)
        named = [p for p in officials.values() if any_mention_in(text, p, sentence.start, sentence.end)]
        present = [p for p in named if p in visitors]
        if not present and re.search(r"\b(?:her|him|his|she|he)\b", text[sentence.start : sentence.end]):
            present = visitors  # "where Prime Minister Erik Holm received her"
        others = [p for p in named if p not in visitors]
        hosts = [p for p in others if p.country == visit.host_country] or others
        if not present or not hosts:
            continue
        participants = [p.slug for p in present] + [p.slug for p in hosts]
        same = next((m for m in meetings if set(m.participants) == set(participants)), None)
        if same:
            continue
        end = sentence.end - 1 if text[sentence.end - 1] == "." else sentence.end
        meeting = MeetingDraft(participants, meeting_place(text, sentence, verb), None, (verb.start(), end))
        on_day = [d.date for d in dates if sentence.start <= d.start < sentence.end]
        last = visit.end or visit.start
        if on_day and visit.start <= on_day[0] <= last:
            meeting.date = on_day[0]
        elif (
            visit.end is None
            or visit.start == published
            or (visit.evidence and sentence.start <= visit.evidence[0] < sentence.end)
        ):
            # A one-day visit, a report of the visit's first day, or the sentence that opens the visit ("kicks off
            # his visit with a meeting"); otherwise the day is the reviewer's to say.
            meeting.date = visit.start
        if len(hosts) < len(others):
            meeting.notes.append("people of other countries are named in the sentence too")
        meetings.append(meeting)
    return meetings


def meeting_place(text, sentence, verb):
    """Return "at the X" after the verb, with the city of the sentence if it is not in it."""
    part = text[verb.end() : sentence.end]
    place = ""
    found = PLACE_PHRASE.search(part)
    if found:
        place = found.group("place").strip()
    cities = [
        city
        for city in CAPITALS
        if re.search(r"(?<!\w)" + re.escape(city) + r"(?!\w)", text[sentence.start : sentence.end])
    ]
    city = cities[0] if cities else ""
    if city and city not in place:
        place = f"{place[:1].upper()}{place[1:]}, {city}" if place else city
    elif place:
        place = place[:1].upper() + place[1:]
    return place


def finish_visit_hosts(visit, officials):
    """The hosts: the people of the host country who meet the visitors."""
    hosts = []
    for meeting in visit.meetings:
        for slug in meeting.participants:
            if slug not in visit.visitors and officials[slug].country == visit.host_country and slug not in hosts:
                hosts.append(slug)
    visit.hosts = hosts


def role_phrases(officials):
    """Return {"the foreign minister": [(slug, country)]}: who of the article holds each role (by its last words)."""
    phrases = {}
    for person in officials.values():
        if person.role and person.role != "Official":
            words = person.role.lower().split()
            # "the minister" is not the prime minister, nor "the president" the vice president.
            sizes = {len(words), 2} | ({1} if len(words) < 2 or words[-2] not in ("prime", "vice", "deputy") else set())
            for size in sizes:
                if size <= len(words):
                    phrase = "the " + " ".join(words[-size:])
                    holders = phrases.setdefault(phrase, [])
                    if (person.slug, person.country) not in holders:
                        holders.append((person.slug, person.country))
    return phrases
