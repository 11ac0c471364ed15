"""Synthetic demo data: a deterministic, clearly marked data set of any size.

`generate(visits=N, seed=S)` fills the database with N synthetic visits, one
article each, with their meetings, statements, mentions, lookup rows and
search documents, written in bulk (COPY on PostgreSQL). It can also write the
same articles as annotated file pairs (`NAME.txt` + `NAME.yaml`, format
`visit-report/1`) for the loader.

Every slug starts with `demo-` and every article title with "[Synthetic] ",
so demo rows are never taken for real ones, and `delete_demo_data` removes
them without touching anything else. Everything is planned in plain Python
from one `random.Random(seed)`, article after article, so the same size and
seed always give the same rows and files, whatever the batch size.

No Django command code lives here: `generate_demo_data` parses arguments
and prints.
"""

import datetime
import json
import random
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import accumulate, islice
from pathlib import Path
from string import Formatter

import yaml
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.text import slugify
from django_countries import countries

from .caching import renew_version
from .loading.text import occurrences
from .models import (
    Article,
    ArticleOfficial,
    ArticleTopic,
    Meeting,
    Mention,
    Official,
    Statement,
    Topic,
    Visit,
    VisitCountry,
    VisitOfficial,
    VisitReport,
    VisitTopic,
)

DEMO_PREFIX = "demo-"
TITLE_PREFIX = "[Synthetic] "
MAX_OFFICIALS = 5000
HOST_COUNTRIES = 200
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
BATCH_VISITS = 1000

# Vocabulary ------------------------------------------------------------------
#
# Mentions are found by the loader as whole words, case-sensitively. Topic
# phrases are lowercase and official names capitalised; none of the fixed
# text below contains a topic phrase (tests/test_demo.py checks), so every
# name in an article is exactly where the planner put it and recorded it.

TOPIC_TREE = {
    "energy security": [
        "oil supplies",
        "gas pipelines",
        "nuclear power",
        "solar power",
        "wind farms",
        "electricity grids",
        "hydrogen",
    ],
    "trade": [
        "tariffs",
        "export controls",
        "customs procedures",
        "free trade agreements",
        "farm exports",
        "shipping lanes",
        "steel quotas",
    ],
    "defence": [
        "arms sales",
        "joint exercises",
        "missile defence",
        "naval patrols",
        "officer exchanges",
        "defence industry",
        "peacekeeping",
    ],
    "climate": [
        "emissions targets",
        "climate finance",
        "forest protection",
        "flood barriers",
        "carbon markets",
        "adaptation plans",
        "clean transport",
    ],
    "public health": [
        "vaccines",
        "pandemic preparedness",
        "medical supplies",
        "clinical trials",
        "hospital funding",
        "drug pricing",
        "disease surveillance",
    ],
    "migration": [
        "border management",
        "refugee protection",
        "labour mobility",
        "student visas",
        "asylum procedures",
        "return agreements",
        "diaspora ties",
    ],
    "technology": [
        "semiconductors",
        "artificial intelligence",
        "cybersecurity",
        "telecommunications",
        "space launches",
        "digital standards",
        "data protection",
    ],
    "economy": [
        "debt relief",
        "development aid",
        "infrastructure loans",
        "currency swaps",
        "tax treaties",
        "sovereign funds",
        "tourism",
    ],
    "regional security": [
        "border disputes",
        "counterterrorism",
        "maritime security",
        "ceasefire talks",
        "nuclear non-proliferation",
        "sanctions",
        "arms control",
    ],
    "education": [
        "university exchanges",
        "scholarships",
        "language teaching",
        "cultural heritage",
        "film coproduction",
        "sports diplomacy",
        "museum loans",
    ],
}
# A grandchild is its parent's phrase and one of these: 10 x 7 x 6 = 420, so 500 topics in all.
TOPIC_ASPECTS = ["financing", "regulation", "research", "standards", "partnerships", "workforce"]

# fmt: off
FIRST_NAMES = [
    "Aarav", "Abebe", "Adaeze", "Ahmad", "Aiko", "Alejandro", "Amara", "Anders", "Anya", "Arjun", "Astrid", "Aziz",
    "Beatriz", "Bogdan", "Camila", "Chen", "Chiara", "Dalia", "Dmitri", "Elif", "Emeka", "Erik", "Farah", "Felipe",
    "Freya", "Giorgos", "Hana", "Hamid", "Ingrid", "Ioana", "Isabela", "Jakub", "Jamila", "Joaquin", "Kai",
    "Kamala", "Kenji", "Kofi", "Lars", "Leila", "Lucia", "Luka", "Magnus", "Malik", "Mariam", "Mateo", "Mei",
    "Mikael", "Nadia", "Naveen", "Nia", "Nikolai", "Noor", "Olga", "Omar", "Oren", "Paolo", "Priya", "Rafael",
    "Rania", "Renata", "Rohan", "Sakura", "Samir", "Sana", "Sergei", "Signe", "Soraya", "Tariq", "Thandiwe",
    "Tomasz", "Valeria", "Vikram", "Wanjiru", "Yara", "Yusuf", "Zainab", "Zoltan", "Zofia", "Ines", "Hugo"
]
LAST_NAMES = [
    "Abara", "Adeyemi", "Almeida", "Andersen", "Arslan", "Bakker", "Banerjee", "Barros", "Berglund", "Bianchi",
    "Brandt", "Castillo", "Chowdhury", "Costa", "Dahl", "Demir", "Dimitrov", "Dubois", "Eriksen", "Esposito",
    "Farouk", "Ferreira", "Fischer", "Fontaine", "Gallo", "Garcia", "Haddad", "Halvorsen", "Hashemi", "Horvat",
    "Ibrahim", "Iwata", "Jansen", "Jovanovic", "Kader", "Kamau", "Karlsson", "Kaya", "Kim", "Kowalski", "Kruger",
    "Kumar", "Lambert", "Larsen", "Lindqvist", "Lopes", "Lund", "Mahmoud", "Marin", "Markovic", "Mendes", "Meyer",
    "Moreau", "Mwangi", "Nakamura", "Navarro", "Nielsen", "Novak", "Nowak", "Obi", "Okafor", "Olsen", "Ortiz",
    "Osei", "Ozturk", "Papadopoulos", "Park", "Pereira", "Petrov", "Popescu", "Quispe", "Rahman", "Ramos", "Reyes",
    "Rossi", "Ruiz", "Saito", "Salazar", "Santos", "Schmidt", "Sato", "Sharma", "Silva", "Sokolov", "Sorensen",
    "Suzuki", "Tanaka", "Tembo", "Torres", "Uddin", "Valdez", "Varga", "Vasquez", "Vogel", "Wagner", "Wang",
    "Weber", "Yamamoto", "Yilmaz", "Zhou", "Zielinski", "Ncube", "Haugen", "Lindgren", "Moretti", "Ferrari",
    "Kovacs", "Szabo", "Takahashi", "Oyelaran", "Mensah", "Achterberg"
]
# fmt: on
ROLES = [
    "Foreign Minister",
    "Deputy Foreign Minister",
    "Defence Minister",
    "Prime Minister",
    "President",
    "Vice President",
    "Finance Minister",
    "Trade Minister",
    "Interior Minister",
    "Energy Minister",
    "Health Minister",
    "Ambassador",
    "National Security Adviser",
    "Minister of State",
]
# fmt: off
CITY_STARTS = [
    "Vel", "Mar", "Tor", "Kas", "Lun", "Bra", "Or", "Zel", "Hav", "Dun", "Pel", "Ser", "Ald", "Cor", "Fen", "Gar",
    "Ist", "Jor", "Nev", "Ost", "Ril", "Sab", "Tav", "Ulm", "Vor", "Wes"
]
CITY_ENDS = [
    "ana", "ovia", "mont", "stad", "grad", "port", "ville", "ora", "enza", "holm", "bury", "abad", "polis", "ingen",
    "ica", "aro", "esk", "uth"
]
# fmt: on
PUBLISHERS = ["Synthetic Wire", "The Demo Courier", "Example Daily News", "Placeholder Press Agency"]
AUTHORS = ["", "Demo Desk", "A. Example", "Synthetic Staff"]
MEETING_PLACES = [
    "the foreign ministry in {city}",
    "the presidential palace in {city}",
    "a government guest house in {city}",
    "the parliament building in {city}",
    "the {city} conference centre",
    "the prime minister's office in {city}",
    "a hotel in central {city}",
    "the national library in {city}",
]
LEAD_TAILS = [
    "the first visit at this level in several years",
    "at the invitation of the host government",
    "as part of a regional tour",
    "weeks after the two governments restored regular contacts",
    "in a trip announced only the day before",
]
FILLERS = [
    "The visit had been announced {n} days in advance by the government in {city}.",
    "Diplomats in {city} described the atmosphere of the talks as {adj}.",
    "It was the {ordinal} visit at this level since {year}.",
    "Both delegations included senior advisers and technical experts.",
    "Newspapers in {city} gave the visit prominent coverage on their front pages.",
    "The two governments last held talks at this level in {year}.",
    "Police closed several streets in {city} to traffic while the motorcade passed.",
    "A joint declaration was expected to be signed before the end of the visit.",
    "Analysts said the visit signalled a warmer relationship between the two governments.",
    "Officials said a follow-up meeting of experts would take place in {month}.",
    "Protesters gathered briefly outside the venue but dispersed peacefully.",
    "The delegation was also due to meet members of parliament and business leaders.",
    "Observers noted that the programme of the visit had been changed at short notice.",
    "The last comparable visit, in {year}, had ended without a joint statement.",
    "Government spokespeople declined to give further details of the discussions.",
    "Officials in {country} said the visit had been in preparation since {month}.",
    "The foreign ministry in {city} published a short list of the agreements reached.",
    "Television stations in {country} broadcast the arrival ceremony live.",
    "Several ministers had cut short other engagements to attend the talks.",
    "Opposition politicians in {city} called for the outcome of the talks to be made public.",
    "Aides said the schedule left little time for anything beyond the formal sessions.",
    "A similar round of talks in {year} had been postponed twice.",
    "The embassy in {city} hosted a reception for the delegation on the first evening.",
    "Commentators in {country} were divided over what the visit would achieve.",
    "The two sides exchanged gifts at the end of the first day.",
]
FILLER_FIELDS = {template: [name for _, name, _, _ in Formatter().parse(template) if name] for template in FILLERS}
ADJECTIVES = ["cordial", "constructive", "frank", "businesslike", "warm", "productive", "tense at times"]
OPENERS = [
    "We",
    "Our two countries",
    "Both of our governments",
    "Our delegations",
    "My government and I",
    "Together we",
    "Our partners and we",
    "We and our hosts",
]
VERBS = [
    "agreed to deepen our cooperation on",
    "made real progress on",
    "see new opportunities in",
    "have a shared interest in",
    "will work more closely on",
    "remain fully committed to progress on",
    "had a frank exchange of views on",
    "want concrete results on",
    "have agreed on a joint plan for",
    "discussed in detail our positions on",
    "will set up a working group on",
    "will continue our dialogue on",
]
CLOSERS = [
    "in the months ahead",
    "before the end of the year",
    "because it matters to our citizens",
    "as close partners",
    "with a clear timetable",
    "at every level of government",
    "in a spirit of mutual respect",
    "without further delay",
    "for the benefit of both our peoples",
    "over the next two years",
    "on the basis of our shared values",
    "step by step",
]
REPORTED_VERBS = [
    "agreed to deepen cooperation on",
    "made progress on",
    "reached an understanding on",
    "agreed to continue talks on",
    "exchanged views on",
    "set out a joint plan for",
    "identified new projects in",
    "narrowed their differences on",
]
# fmt: off
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December"
]
# fmt: on
ORDINALS = ["first", "second", "third", "fourth", "fifth"]
DURATIONS = ["one", "two", "three", "four", "five"]


def fixed_phrases():
    """Return every fixed piece of article text, for the test that no topic phrase hides in it."""
    return [
        *MEETING_PLACES,
        *LEAD_TAILS,
        *FILLERS,
        *ADJECTIVES,
        *OPENERS,
        *VERBS,
        *CLOSERS,
        *REPORTED_VERBS,
        "began a two-day visit to",
        "The visitors were received by",
        "According to officials, the agenda covered",
        "In the first meeting of the visit, held at",
        "discussed",
        "said.",
        "said",
        "told reporters:",
        "added.",
        "said the two sides had",
        "At a press conference before the delegation left",
        "both sides answered questions from reporters.",
        "Synthetic demo visit:",
        "spent",
        "days in",
        "and held",
        "meetings.",
    ]


class DemoError(Exception):
    """Generation was refused; the message says why and what to do."""


# The world: countries, officials, topics -------------------------------------


def cumulative_zipf(count, exponent):
    """Return cumulative weights 1/rank**exponent for `count` items: a few very common, a long tail."""
    return list(accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


@dataclass(frozen=True)
class DemoOfficial:
    number: int  # 1-based, in the slug
    name: str
    country: str
    offices: tuple  # ((since, role), ...): offices change over time

    @property
    def slug(self):
        return f"{DEMO_PREFIX}official-{self.number}"

    def role_on(self, day):
        """Return the office held on `day`."""
        role = self.offices[0][1]
        for since, title in self.offices:
            if since <= day:
                role = title
        return role


@dataclass(frozen=True)
class DemoTopic:
    number: int  # 1-based, parents before children
    phrase: str  # how articles name it (lowercase)
    parent: int | None
    level: int

    @property
    def slug(self):
        return f"{DEMO_PREFIX}topic-{slugify(self.phrase)}"

    @property
    def name(self):
        return self.phrase[0].upper() + self.phrase[1:]


def build_topics():
    """Return the 500-topic tree, three levels deep, roots first."""
    topics = []
    roots, children = [], []
    for phrase in TOPIC_TREE:
        roots.append(DemoTopic(len(topics) + 1, phrase, None, 0))
        topics.append(roots[-1])
    for root in roots:
        for phrase in TOPIC_TREE[root.phrase]:
            children.append(DemoTopic(len(topics) + 1, phrase, root.number, 1))
            topics.append(children[-1])
    for child in children:
        for aspect in TOPIC_ASPECTS:
            topics.append(DemoTopic(len(topics) + 1, f"{child.phrase} {aspect}", child.number, 2))
    return topics


@dataclass
class World:
    """The shared entities every article draws on, and the skewed odds of drawing each."""

    countries: list  # host countries, most visited first
    country_weights: list
    names: dict  # code -> English name
    cities: dict  # code -> (city, ...)
    officials: list  # DemoOfficial, index = number - 1
    by_country: dict  # code -> [official index], busiest first
    by_country_weights: dict
    topics: list  # DemoTopic, index = number - 1
    topic_order: list  # topic numbers, most discussed first
    topic_weights: list
    lines: dict = field(default_factory=dict)  # topic number -> (itself and its ancestors)

    @classmethod
    def build(cls, rng, official_count):
        codes = sorted(code for code, _ in countries)
        rng.shuffle(codes)
        codes = codes[:HOST_COUNTRIES]
        with translation.override("en"):  # the same seed gives the same text whatever the active language
            names = {code: str(countries.name(code)) for code in codes}
        city_names = [start + end for start in CITY_STARTS for end in CITY_ENDS]
        rng.shuffle(city_names)
        cities = {code: tuple(city_names[2 * i : 2 * i + 2]) for i, code in enumerate(codes)}
        country_weights = cumulative_zipf(len(codes), 1.1)

        pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(pairs)
        officials, by_country = [], {code: [] for code in codes}
        span = (LAST_DAY - FIRST_DAY).days
        for index in range(official_count):
            country = rng.choices(codes, cum_weights=country_weights)[0]
            roles = rng.sample(ROLES, rng.choice([1, 2, 2, 3]))
            changes = sorted(FIRST_DAY + datetime.timedelta(days=rng.randrange(span)) for _ in roles[1:])
            offices = tuple(zip([FIRST_DAY, *changes], roles, strict=True))
            first, last = pairs[index]
            officials.append(DemoOfficial(index + 1, f"{first} {last}", country, offices))
            by_country[country].append(index)
        by_country_weights = {code: cumulative_zipf(len(members), 0.9) for code, members in by_country.items()}

        topics = build_topics()
        order = [topic.number for topic in topics]
        rng.shuffle(order)
        world = cls(
            countries=codes,
            country_weights=country_weights,
            names=names,
            cities=cities,
            officials=officials,
            by_country=by_country,
            by_country_weights=by_country_weights,
            topics=topics,
            topic_order=order,
            topic_weights=cumulative_zipf(len(order), 0.8),
        )
        for topic in topics:
            line, current = [], topic.number
            while current is not None:
                line.append(current)
                current = world.topic(current).parent
            world.lines[topic.number] = tuple(line)
        return world

    def topic(self, number):
        return self.topics[number - 1]

    def pick_country(self, rng, other_than=None):
        while True:
            code = rng.choices(self.countries, cum_weights=self.country_weights)[0]
            if code != other_than:
                return code

    def pick_officials(self, rng, country, count, exclude=()):
        """Return up to `count` distinct officials of `country` (busy ones more often), none in `exclude`."""
        members = self.by_country[country]
        chosen = []
        for _ in range(4 * count):
            if len(chosen) == count or not members:
                break
            index = rng.choices(members, cum_weights=self.by_country_weights[country])[0]
            if index not in chosen and index not in exclude:
                chosen.append(index)
        return chosen

    def pick_topics(self, rng, count, prefer=(), prefer_odds=0.0):
        """Return `count` distinct topic numbers, drawn from `prefer` with `prefer_odds`, else by popularity."""
        chosen = []
        while len(chosen) < count:
            if prefer and rng.random() < prefer_odds:
                number = rng.choice(prefer)
            else:
                number = rng.choices(self.topic_order, cum_weights=self.topic_weights)[0]
            if number not in chosen:
                chosen.append(number)
        return chosen


# Planning one article -----------------------------------------------------------


@dataclass
class StatementPlan:
    speaker: int  # official index
    kind: str
    quote: str
    start: int
    end: int
    topics: list


@dataclass
class MeetingPlan:
    date: datetime.date
    place: str
    participants: list
    topics: list
    evidence: tuple
    statements: list = field(default_factory=list)


@dataclass
class ArticlePlan:
    """One synthetic article and the one visit it reports, with every span into its text."""

    number: int
    title: str
    publisher: str
    author: str
    text: str
    host_country: str
    start: datetime.date
    end: datetime.date
    places: list
    summary: str
    visitors: list
    hosts: list
    topics: list
    evidence: tuple
    meetings: list
    statements: list  # not tied to a meeting
    mentions: list  # [(start, end, "official" | "topic", index or number)]
    roles: dict  # official index -> office on the article's date, in order of first mention
    article_topics: list  # topic numbers: every topic used, with its ancestors

    @property
    def slug(self):
        return f"{DEMO_PREFIX}article-{self.number:06d}"

    @property
    def visit_slug(self):
        return f"{DEMO_PREFIX}visit-{self.number:06d}"

    @property
    def url(self):
        return f"https://demo.example/articles/{self.slug}"

    @property
    def published(self):
        return self.start

    def all_statements(self):
        return [s for m in self.meetings for s in m.statements] + self.statements


class TextBuilder:
    """Builds an article's text piece by piece, recording where each name and quote lands."""

    def __init__(self, world):
        self.world = world
        self.parts = []
        self.length = 0
        self.mentions = []

    def add(self, text):
        self.parts.append(text)
        self.length += len(text)

    def official(self, index):
        start = self.length
        self.add(self.world.officials[index].name)
        self.mentions.append((start, self.length, "official", index))

    def topic(self, number):
        start = self.length
        self.add(self.world.topic(number).phrase)
        self.mentions.append((start, self.length, "topic", number))

    def listing(self, items, write):
        """Write items as "a, b and c"."""
        for position, item in enumerate(items):
            if position:
                self.add(" and " if position == len(items) - 1 else ", ")
            write(item)

    def text(self):
        return "".join(self.parts)


def and_list(words):
    """Return "a, b and c"."""
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


def words_date(day):
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def plan_article(world, rng, number):
    """Return the ArticlePlan of visit `number`, drawing from `rng` in a fixed order."""
    host = world.pick_country(rng)
    span = (LAST_DAY - FIRST_DAY).days
    start = FIRST_DAY + datetime.timedelta(days=rng.randrange(span - 5))
    days = rng.choices([1, 2, 3, 4, 5], weights=[25, 35, 20, 12, 8])[0]
    end = start + datetime.timedelta(days=days - 1)
    wanted, visitors = rng.choice([1, 1, 1, 2, 2, 3]), []
    for _ in range(20):  # most countries have officials; a tiny data set may leave many without
        visitors = visitors or world.pick_officials(rng, world.pick_country(rng, other_than=host), wanted)
    if not visitors:
        abroad = [i for i, o in enumerate(world.officials) if o.country != host] or list(range(len(world.officials)))
        visitors = [rng.choice(abroad)]
    hosts = world.pick_officials(rng, host, rng.choice([0, 1, 1, 1, 2, 2]), exclude=visitors)
    locals_ = world.pick_officials(rng, host, rng.choice([1, 2]), exclude=visitors + hosts)
    pool = visitors + hosts + locals_
    while len(pool) < 2:
        index = rng.randrange(len(world.officials))
        if index not in pool:
            pool.append(index)
    city = rng.choice(world.cities[host])
    places = [city]
    visit_topics = world.pick_topics(rng, rng.randint(1, 3))

    meetings = []
    meeting_days = sorted(start + datetime.timedelta(days=rng.randrange(days)) for _ in range(rng.randint(1, 5)))
    for day in meeting_days:
        first = rng.choice(visitors)
        others = [p for p in pool if p != first]
        participants = [first, *rng.sample(others, min(len(others), rng.randint(1, 3)))]
        topics = world.pick_topics(rng, rng.randint(1, 3), prefer=visit_topics, prefer_odds=0.6)
        place = rng.choice(MEETING_PLACES).format(city=rng.choice(world.cities[host]))
        meetings.append(MeetingPlan(day, place, participants, topics, evidence=None))
    statement_count = rng.randint(6, 14)
    loose_count = rng.randint(0, statement_count // 4)
    homes = [rng.randrange(len(meetings)) for _ in range(statement_count - loose_count)] + [None] * loose_count

    text = TextBuilder(world)
    roles = {}
    for index in pool:
        roles[index] = world.officials[index].role_on(start)

    def with_role(index):
        text.add(f"{roles[index]} ")
        text.official(index)

    # The lead: who came, where, when; its middle is the visit's evidence.
    text.listing(visitors, with_role)
    evidence_start = text.length + 1
    text.add(f" began a {DURATIONS[days - 1]}-day visit to {world.names[host]}")
    evidence = (evidence_start, text.length)
    text.add(f" on {words_date(start)}, {rng.choice(LEAD_TAILS)}.")
    if hosts:
        text.add(" The visitors were received by ")
        text.listing(hosts, with_role)
        text.add(".")
    used = set(visit_topics)
    for meeting in meetings:
        used.update(meeting.topics)
    # Statement topics come from their meeting's or the visit's topics, so `used` is already complete.
    article_topics = sorted({n for number in used for n in world.lines[number]})
    text.add("\n\nAccording to officials, the agenda covered ")
    text.listing(article_topics, text.topic)
    text.add(".")
    filler = Filler(rng, world, host, start)
    text.add(" " + filler.sentence())

    quotes = set()
    for position, meeting in enumerate(meetings):
        text.add("\n\n")
        ev_start = text.length
        text.add(f"In the {ORDINALS[position]} meeting of the visit, held at {meeting.place}")
        meeting.evidence = (ev_start, text.length)
        text.add(f" on {words_date(meeting.date)}, ")
        text.listing(meeting.participants, text.official)
        text.add(" discussed ")
        text.listing(meeting.topics, text.topic)
        text.add(".")
        for home in homes:
            if home == position:
                meeting.statements.append(
                    write_statement(text, rng, meeting.participants, meeting.topics, quotes, world)
                )
        if rng.random() < 0.5:
            text.add(" " + filler.sentence())
    loose = []
    if loose_count:
        text.add(f"\n\nAt a press conference before the delegation left {city}, ")
        text.add("both sides answered questions from reporters.")
        for _ in range(loose_count):
            loose.append(write_statement(text, rng, visitors + hosts, visit_topics, quotes, world))
    target = rng.randint(3000, 5000)
    text.add("\n\n")
    while text.length < target:
        text.add(filler.sentence() + " ")
    text.add(filler.sentence() + "\n")

    named = {}
    for _, _, kind, index in text.mentions:
        if kind == "official":
            named.setdefault(index, roles[index])
    visitor_names = and_list([world.officials[i].name for i in visitors])
    country = world.names[host]
    lead_role = roles[visitors[0]]
    title = f"{TITLE_PREFIX}{lead_role} {world.officials[visitors[0]].name} visits {country}"
    if len(visitors) > 1:
        title += " with a delegation"
    summary = (
        f"Synthetic demo visit: {visitor_names} spent {days} day{'s' if days > 1 else ''} in {country} "
        f"and held {len(meetings)} meeting{'s' if len(meetings) > 1 else ''}."
    )
    return ArticlePlan(
        number=number,
        title=title,
        publisher=rng.choice(PUBLISHERS),
        author=rng.choice(AUTHORS),
        text=text.text(),
        host_country=host,
        start=start,
        end=end,
        places=places,
        summary=summary,
        visitors=visitors,
        hosts=hosts,
        topics=visit_topics,
        evidence=evidence,
        meetings=meetings,
        statements=loose,
        mentions=text.mentions,
        roles=named,
        article_topics=article_topics,
    )


class Filler:
    """Background sentences that pad an article to a realistic length, each used once before any repeats."""

    def __init__(self, rng, world, host, day):
        self.rng, self.world, self.host, self.day = rng, world, host, day
        self.deck = []

    def sentence(self):
        rng = self.rng
        if not self.deck:
            self.deck = rng.sample(FILLERS, len(FILLERS))
        template = self.deck.pop()
        values = {}
        for name in FILLER_FIELDS[template]:  # only the values the sentence uses: a third of the planning time
            if name == "n":
                values[name] = rng.randint(2, 30)
            elif name == "city":
                values[name] = rng.choice(self.world.cities[self.host])
            elif name == "adj":
                values[name] = rng.choice(ADJECTIVES)
            elif name == "ordinal":
                values[name] = rng.choice(ORDINALS[1:])
            elif name == "year":
                values[name] = self.day.year - rng.randint(1, 15)
            elif name == "month":
                values[name] = rng.choice(MONTHS)
            else:
                values[name] = self.world.names[self.host]
        return template.format(**values)


def write_statement(text, rng, speakers, topic_pool, quotes, world):
    """Write one statement sentence into `text` and return its plan (the span is the quote)."""
    speaker = rng.choice(speakers)
    topics = rng.sample(topic_pool, min(len(topic_pool), rng.choice([1, 1, 2])))
    subject = topics[0]
    phrase = world.topic(subject).phrase
    name = world.officials[speaker].name
    kind = "direct" if rng.random() < 0.75 else "indirect"
    for _ in range(20):
        if kind == "direct":
            head = f"{rng.choice(OPENERS)} {rng.choice(VERBS)} "
        else:
            head = f"{name} said the two sides had {rng.choice(REPORTED_VERBS)} "
        tail = f" {rng.choice(CLOSERS)}"
        quote = head + phrase + tail
        if quote not in quotes:
            break
    quotes.add(quote)
    form = rng.randrange(4)
    text.add(" ")
    if kind == "indirect":
        start = text.length
        text.official(speaker)
        text.add(head[len(name) :])
        text.topic(subject)
        text.add(tail)
        end = text.length
        text.add(".")
        return StatementPlan(speaker, kind, quote, start, end, topics)
    if form == 2:
        text.official(speaker)
        text.add(' told reporters: "')
    else:
        text.add('"')
    start = text.length
    text.add(head)
    text.topic(subject)
    text.add(tail)
    end = text.length
    if form == 0:
        text.add('," ')
        text.official(speaker)
        text.add(" said.")
    elif form == 1:
        text.add('," said ')
        text.official(speaker)
        text.add(".")
    elif form == 2:
        text.add('."')
    else:
        text.add('," ')
        text.official(speaker)
        text.add(" added.")
    return StatementPlan(speaker, kind, quote, start, end, topics)


def official_count(visits):
    """Return how many officials a data set of `visits` visits has: 5,000, fewer for small sets."""
    return min(MAX_OFFICIALS, visits // 2 + 10)


def plan(visits, seed=0, count=None):
    """Return (world, iterator of ArticlePlans): `count` articles (default `visits`) of the set of that size."""
    rng = random.Random(seed)
    world = World.build(rng, official_count(visits))
    total = visits if count is None else count
    return world, (plan_article(world, rng, number) for number in range(1, total + 1))


# Writing rows ---------------------------------------------------------------------


def m2m(model, name):
    """Return (through table, [its two columns]) of a many-to-many field."""
    field_ = model._meta.get_field(name)
    return field_.remote_field.through, [field_.m2m_column_name(), field_.m2m_reverse_name()]


def columns(model, *names):
    return model, [model._meta.get_field(name).column for name in names]


def table_specs():
    """Return {key: (model, [columns])} for every table the generator writes, in the order it writes them."""
    return {
        "officials": columns(Official, "id", "slug", "name", "country"),
        "topics": columns(Topic, "id", "slug", "name", "parent", "description"),
        "articles": columns(
            Article,
            "id",
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
        ),
        "article officials": columns(ArticleOfficial, "article", "official", "role", "mentions"),
        "article topics": columns(ArticleTopic, "article", "topic", "parent", "mentions"),
        "visits": columns(Visit, "id", "slug", "host_country", "start", "end", "places", "summary", "search_document"),
        "visit visitors": m2m(Visit, "visitors"),
        "visit hosts": m2m(Visit, "hosts"),
        "visit topics": m2m(Visit, "topics"),
        "visit reports": columns(
            VisitReport, "id", "article", "visit", "start", "end", "places", "summary", "evidence_start", "evidence_end"
        ),
        "report visitors": m2m(VisitReport, "visitors"),
        "report hosts": m2m(VisitReport, "hosts"),
        "report topics": m2m(VisitReport, "topics"),
        "meetings": columns(
            Meeting, "id", "article", "visit", "position", "date", "place", "evidence_start", "evidence_end"
        ),
        "meeting participants": m2m(Meeting, "participants"),
        "meeting topics": m2m(Meeting, "topics"),
        "statements": columns(
            Statement, "id", "article", "visit", "meeting", "speaker", "kind", "quote", "start", "end"
        ),
        "statement topics": m2m(Statement, "topics"),
        "mentions": columns(Mention, "article", "official", "topic", "start", "end"),
        "lookup: visit officials": columns(VisitOfficial, "visit", "official"),
        "lookup: visit topics": columns(VisitTopic, "visit", "topic"),
        "lookup: visit countries": columns(VisitCountry, "visit", "country"),
    }


# Rows given explicit ids, so that the rows referring to them can be written in the same pass.
ID_MODELS = [Official, Topic, Article, Visit, VisitReport, Meeting, Statement]


def computed_columns():
    """Return {table: {column: SQL}}: columns PostgreSQL computes from the row, as `visits.indexing` does there."""
    # What SearchVector("search_document", config="english") compiles to (indexing.store_search_documents).
    vector = "to_tsvector('english'::regconfig, COALESCE(search_document, ''))"
    return {Visit._meta.db_table: {Visit._meta.get_field("search_vector").column: vector}}


class CopySink:
    """Writes rows with PostgreSQL's COPY, one statement per table and batch."""

    def __init__(self):
        # The psycopg connection under Django's: same transaction, and COPY needs psycopg's API.
        self.cursor = connection.cursor().connection.cursor()
        self.computed = computed_columns()

    def write(self, table, cols, rows):
        from psycopg import sql

        computed = self.computed.get(table)
        target = sql.Identifier(f"demo_staging_{table}" if computed else table)
        if computed:
            # COPY cannot compute a column: copy into a scratch twin, then insert with the computed
            # columns, so the real table's rows are written once.
            self.cursor.execute(
                sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} (LIKE {}) ON COMMIT DROP").format(
                    target, sql.Identifier(table)
                )
            )
            self.cursor.execute(sql.SQL("TRUNCATE {}").format(target))
        column_list = sql.SQL(", ").join(map(sql.Identifier, cols))
        with self.cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, column_list)) as copy:
            for row in rows:
                copy.write_row(row)
        if computed:
            self.cursor.execute(
                sql.SQL("INSERT INTO {} ({}, {}) SELECT {}, {} FROM {}").format(
                    sql.Identifier(table),
                    column_list,
                    sql.SQL(", ").join(map(sql.Identifier, computed)),
                    column_list,
                    sql.SQL(", ").join(map(sql.SQL, computed.values())),
                    target,
                )
            )


class InsertSink:
    """Writes rows with multi-row INSERTs (executemany), for databases without COPY."""

    def __init__(self, batch_size=2000):
        self.batch_size = batch_size

    def write(self, table, cols, rows):
        qn = connection.ops.quote_name
        statement = f"INSERT INTO {qn(table)} ({', '.join(map(qn, cols))}) VALUES ({', '.join(['%s'] * len(cols))})"
        with connection.cursor() as cursor:
            iterator = iter(rows)
            while batch := list(islice(iterator, self.batch_size)):
                cursor.executemany(statement, batch)


class Rows:
    """Rows waiting to be written, per table, with the ids they were given."""

    def __init__(self, specs, next_ids):
        self.specs = specs
        self.next_ids = next_ids  # model -> next free id
        self.pending = {key: [] for key in specs}
        self.counts = dict.fromkeys(specs, 0)

    def new_id(self, model):
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def add(self, key, row):
        self.pending[key].append(row)

    def flush(self, sink):
        for key, rows in self.pending.items():
            if rows:
                model, cols = self.specs[key]
                if sink is not None:
                    sink.write(model._meta.db_table, cols, rows)
                self.counts[key] += len(rows)
                self.pending[key] = []


def add_world_rows(rows, world):
    """Queue the officials and topics; return {official index: id} and {topic number: id}."""
    official_ids, topic_ids = {}, {}
    for index, official in enumerate(world.officials):
        official_ids[index] = rows.new_id(Official)
        rows.add("officials", (official_ids[index], official.slug, official.name, official.country))
    for topic in world.topics:
        topic_ids[topic.number] = rows.new_id(Topic)
        parent = topic_ids[topic.parent] if topic.parent else None
        rows.add("topics", (topic_ids[topic.number], topic.slug, topic.name, parent, "Synthetic demo topic."))
    return official_ids, topic_ids


def add_article_rows(rows, world, article, official_ids, topic_ids):
    """Queue every row one article contributes, as the loader and `reindex_visits` would write them."""
    oid, tid = official_ids.__getitem__, topic_ids.__getitem__
    article_id, visit_id, report_id = rows.new_id(Article), rows.new_id(Visit), rows.new_id(VisitReport)
    start, end = article.start.isoformat(), article.end.isoformat()
    places = json.dumps(article.places)
    rows.add(
        "articles",
        (
            article_id,
            article.slug,
            article.url,
            article.title,
            article.publisher,
            article.author,
            start,
            "en",
            article.text,
            "",
            "",
        ),
    )
    for index, role in article.roles.items():
        rows.add("article officials", (article_id, oid(index), role, json.dumps([world.officials[index].name])))
    for number in article.article_topics:
        topic = world.topic(number)
        parent = tid(topic.parent) if topic.parent else None
        rows.add("article topics", (article_id, tid(number), parent, json.dumps([topic.phrase])))

    # What free-text search looks at, in `indexing.update_search_documents`' order.
    search_parts = [article.summary, " ".join(article.places), article.title, article.text]
    search_parts += [m.place for m in article.meetings if m.place]
    search_document = "\n".join(part for part in search_parts if part)
    rows.add(
        "visits",
        (visit_id, article.visit_slug, article.host_country, start, end, places, article.summary, search_document),
    )
    rows.add(
        "visit reports",
        (report_id, article_id, visit_id, start, end, places, article.summary, *article.evidence),
    )
    for key, owner in (("visit", visit_id), ("report", report_id)):
        for index in article.visitors:
            rows.add(f"{key} visitors", (owner, oid(index)))
        for index in article.hosts:
            rows.add(f"{key} hosts", (owner, oid(index)))
        for number in article.topics:
            rows.add(f"{key} topics", (owner, tid(number)))

    involved, touched = set(article.visitors) | set(article.hosts), set(article.topics)
    for position, meeting in enumerate(article.meetings):
        meeting_id = rows.new_id(Meeting)
        rows.add(
            "meetings",
            (meeting_id, article_id, visit_id, position, meeting.date.isoformat(), meeting.place, *meeting.evidence),
        )
        for index in meeting.participants:
            rows.add("meeting participants", (meeting_id, oid(index)))
        for number in meeting.topics:
            rows.add("meeting topics", (meeting_id, tid(number)))
        involved.update(meeting.participants)
        touched.update(meeting.topics)
        for statement in meeting.statements:
            add_statement_rows(rows, statement, article_id, visit_id, meeting_id, oid, tid)
    for statement in article.statements:
        add_statement_rows(rows, statement, article_id, visit_id, None, oid, tid)
    for statement in article.all_statements():
        involved.add(statement.speaker)
        touched.update(statement.topics)

    for start_, end_, kind, key in article.mentions:
        if kind == "official":
            rows.add("mentions", (article_id, oid(key), None, start_, end_))
        else:
            rows.add("mentions", (article_id, None, tid(key), start_, end_))

    for index in sorted(involved):
        rows.add("lookup: visit officials", (visit_id, oid(index)))
    for number in sorted({n for t in touched for n in world.lines[t]}):
        rows.add("lookup: visit topics", (visit_id, tid(number)))
    visit_countries = {article.host_country} | {world.officials[i].country for i in article.visitors}
    for code in sorted(visit_countries):
        rows.add("lookup: visit countries", (visit_id, code))


def add_statement_rows(rows, statement, article_id, visit_id, meeting_id, oid, tid):
    statement_id = rows.new_id(Statement)
    rows.add(
        "statements",
        (
            statement_id,
            article_id,
            visit_id,
            meeting_id,
            oid(statement.speaker),
            statement.kind,
            statement.quote,
            statement.start,
            statement.end,
        ),
    )
    for number in statement.topics:
        rows.add("statement topics", (statement_id, tid(number)))


# Refusals and removal ---------------------------------------------------------------


def demo_querysets():
    """Return the demo rows of the four slugged models, by label."""
    return {
        "visits": Visit.objects.filter(slug__startswith=DEMO_PREFIX),
        "articles": Article.objects.filter(slug__startswith=DEMO_PREFIX),
        "officials": Official.objects.filter(slug__startswith=DEMO_PREFIX),
        "topics": Topic.objects.filter(slug__startswith=DEMO_PREFIX),
    }


def demo_counts():
    """Return {label: how many demo rows} for visits, articles, officials and topics."""
    return {label: qs.count() for label, qs in demo_querysets().items()}


def delete_demo_data():
    """Delete every demo row and what hangs off it; return {label: rows deleted}.

    Raw deletes, children first: `QuerySet.delete()` would load every row to
    follow cascades and write a history record per object, hours at 1M
    statements. A non-demo row that refers to a demo one makes the
    transaction fail instead of being deleted with it.
    """
    demo = {"article__slug__startswith": DEMO_PREFIX}
    visit = {"visit__slug__startswith": DEMO_PREFIX}
    steps = [
        ("mentions", Mention, demo),
        ("statement topics", Statement.topics.through, {"statement__article__slug__startswith": DEMO_PREFIX}),
        ("statements", Statement, demo),
        ("meeting participants", Meeting.participants.through, {"meeting__article__slug__startswith": DEMO_PREFIX}),
        ("meeting topics", Meeting.topics.through, {"meeting__article__slug__startswith": DEMO_PREFIX}),
        ("meetings", Meeting, demo),
        ("report visitors", VisitReport.visitors.through, {"visitreport__article__slug__startswith": DEMO_PREFIX}),
        ("report hosts", VisitReport.hosts.through, {"visitreport__article__slug__startswith": DEMO_PREFIX}),
        ("report topics", VisitReport.topics.through, {"visitreport__article__slug__startswith": DEMO_PREFIX}),
        ("visit reports", VisitReport, demo),
        ("article officials", ArticleOfficial, demo),
        ("article topics", ArticleTopic, demo),
        ("articles", Article, {"slug__startswith": DEMO_PREFIX}),
        ("visit visitors", Visit.visitors.through, visit),
        ("visit hosts", Visit.hosts.through, visit),
        ("visit topics", Visit.topics.through, visit),
        ("lookup: visit officials", VisitOfficial, visit),
        ("lookup: visit topics", VisitTopic, visit),
        ("lookup: visit countries", VisitCountry, visit),
        ("visits", Visit, {"slug__startswith": DEMO_PREFIX}),
        ("topics", Topic, {"slug__startswith": DEMO_PREFIX}),
        ("officials", Official, {"slug__startswith": DEMO_PREFIX}),
    ]
    deleted = {}
    with transaction.atomic():
        for label, model, condition in steps:
            queryset = model._base_manager.filter(**condition)
            deleted[label] = queryset._raw_delete(queryset.db)
        renew_version()
    return deleted


def check_articles_dir(directory):
    """Refuse a folder inside the repository's seeds/: demo files must never pass for real articles."""
    seeds = (Path(settings.BASE_DIR) / "seeds").resolve()
    target = Path(directory).resolve()
    if target == seeds or seeds in target.parents:
        raise DemoError(f"refusing to write synthetic articles into {seeds}: seeds/ holds real articles only")


# Files ------------------------------------------------------------------------------


def span_entry(text, start, end, key="quote"):
    """Return {key: the span's text} plus `occurrence` when that text occurs more than once."""
    value = text[start:end]
    entry = {key: value}
    found = occurrences(text, value)
    if len(found) > 1:
        entry["occurrence"] = found.index(start) + 1
    return entry


def article_document(world, article):
    """Return the `visit-report/1` document (plain data) that describes `article`."""
    officials, text = world.officials, article.text
    slug_of = {index: officials[index].slug for index in article.roles}

    def topic_slugs(numbers):
        return [world.topic(n).slug for n in numbers]

    def statements(plans):
        entries = []
        for s in plans:
            entry = {"speaker": slug_of[s.speaker]}
            if s.kind != "direct":
                entry["kind"] = s.kind
            entry.update(span_entry(text, s.start, s.end))
            entry["topics"] = topic_slugs(s.topics)
            entries.append(entry)
        return entries

    visit = {
        "slug": article.visit_slug,
        "visitors": [slug_of[i] for i in article.visitors],
    }
    if article.hosts:
        visit["hosts"] = [slug_of[i] for i in article.hosts]
    visit |= {
        "host_country": article.host_country,
        "start": article.start,
        "end": article.end,
        "places": article.places,
        "summary": article.summary,
        "topics": topic_slugs(article.topics),
    }
    visit |= span_entry(text, *article.evidence, key="evidence")
    visit["meetings"] = []
    for meeting in article.meetings:
        entry = {
            "date": meeting.date,
            "place": meeting.place,
            "participants": [slug_of[i] for i in meeting.participants],
            "topics": topic_slugs(meeting.topics),
        }
        entry |= span_entry(text, *meeting.evidence, key="evidence")
        if meeting.statements:
            entry["statements"] = statements(meeting.statements)
        visit["meetings"].append(entry)
    if article.statements:
        visit["statements"] = statements(article.statements)

    document = {
        "format": "visit-report/1",
        "article": {
            "title": article.title,
            "published": article.published,
            "publisher": article.publisher,
            "url": article.url,
        },
        "officials": {
            slug_of[index]: {"name": officials[index].name, "country": officials[index].country, "role": role}
            for index, role in article.roles.items()
        },
        "topics": {},
        "visits": [visit],
    }
    if article.author:
        document["article"]["author"] = article.author
    document["article"]["language"] = "en"
    for number in article.article_topics:
        topic = world.topic(number)
        entry = {"name": topic.name}
        if topic.parent:
            entry["parent"] = world.topic(topic.parent).slug
        entry["mentions"] = [topic.phrase]
        document["topics"][topic.slug] = entry
    return document


class PlainDumper(yaml.SafeDumper):
    """Writes repeated values out in full: annotators read these files, and `&id001` anchors puzzle them."""

    def ignore_aliases(self, data):
        return True


def write_article_pair(directory, world, article):
    """Write NAME.txt and NAME.yaml for one article; return the .yaml path."""
    directory = Path(directory)
    (directory / f"{article.slug}.txt").write_text(article.text, encoding="utf-8")
    yaml_path = directory / f"{article.slug}.yaml"
    document = article_document(world, article)
    header = "# Synthetic demo article written by `manage.py generate_demo_data`: not a real report.\n"
    body = yaml.dump(document, Dumper=PlainDumper, sort_keys=False, allow_unicode=True, width=1000)
    yaml_path.write_text(header + body, encoding="utf-8")
    return yaml_path


# Generating ---------------------------------------------------------------------------


@dataclass
class Result:
    """What a run did: rows written per table, files written, rows deleted first, seconds taken."""

    counts: dict = field(default_factory=dict)
    files: int = 0
    deleted: dict = field(default_factory=dict)
    seconds: float = 0.0
    rebuilt: int = 0  # indexes and foreign keys dropped for the load and recreated after it


def generate(
    visits,
    seed=0,
    *,
    replace=False,
    articles_dir=None,
    articles=None,
    database=True,
    progress=None,
    batch_visits=BATCH_VISITS,
):
    """Create the demo data set of `visits` visits from `seed`; return a Result.

    With `articles_dir`, also write the first `articles` (default `visits`)
    articles of the set as annotated file pairs there; with `database=False`,
    only the files. Refuses (DemoError) when demo rows exist, unless
    `replace`, which deletes them first. Other rows are never touched.
    `progress(phase, done, total)` is called as the work goes.
    """
    began = time.monotonic()
    report = progress or (lambda phase, done, total: None)
    files = 0
    if articles_dir is not None:
        check_articles_dir(articles_dir)
        Path(articles_dir).mkdir(parents=True, exist_ok=True)
        files = visits if articles is None else articles
    in_database = visits if database else 0
    total = max(in_database, files)
    world, plans = plan(visits, seed, count=total)
    result = Result()
    with transaction.atomic() if database else nullcontext():
        if database:
            sink, rows, rebuild = open_database(replace, result, report)
            report("officials and topics", 0, 1)
            official_ids, topic_ids = add_world_rows(rows, world)
            rows.flush(sink)
        phase = "visits" if database else "article files"
        for number, article in enumerate(plans, start=1):
            if number <= files:
                write_article_pair(articles_dir, world, article)
                result.files += 1
            if number <= in_database:
                add_article_rows(rows, world, article, official_ids, topic_ids)
                if number % batch_visits == 0:
                    rows.flush(sink)
            if number % batch_visits == 0 or number == total:
                report(phase, number, total)
        if database:
            rows.flush(sink)
            report("indexes, sequences and statistics", 0, 1)
            finish_database(rows.specs, rebuild)
            renew_version()
            result.counts = rows.counts
    result.seconds = time.monotonic() - began
    return result


def open_database(replace, result, report):
    """Clear or refuse earlier demo data, lock the tables given explicit ids; return (sink, Rows)."""
    if replace:
        report("deleting earlier demo data", 0, 1)
        result.deleted = delete_demo_data()
    else:
        existing = demo_counts()
        if any(existing.values()):
            found = ", ".join(f"{n} {label}" for label, n in existing.items() if n)
            raise DemoError(f"the database already holds demo data ({found}); run with --replace to delete it first")
    specs = table_specs()
    rebuild = []
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        tables = [model._meta.db_table for model, _ in specs.values()]
        with connection.cursor() as cursor:
            # Ids are handed out from max(id) + 1: keep other writers out until the sequences are reset.
            cursor.execute(f"LOCK TABLE {', '.join(map(qn, tables))} IN SHARE ROW EXCLUSIVE MODE")
            # Foreign keys are checked row by row as written (parents first) instead of queued to the
            # commit: millions of queued checks cost the server hundreds of megabytes. This also runs
            # the checks the deletes of --replace queued, which would keep ALTER TABLE from running.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"SELECT {' OR '.join(f'EXISTS (SELECT 1 FROM {qn(t)})' for t in tables)}")
            if not cursor.fetchone()[0]:
                rebuild = drop_indexes_and_foreign_keys(cursor, tables)
        sink = CopySink()
    else:
        sink = InsertSink()
    next_ids = {model: (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1 for model in ID_MODELS}
    result.rebuilt = len(rebuild)
    return sink, Rows(specs, next_ids), rebuild


def drop_indexes_and_foreign_keys(cursor, tables):
    """Drop the secondary indexes and foreign keys of `tables`; return the statements that recreate them.

    Only used when the tables are empty, inside the generator's transaction,
    as pg_restore does: building an index once over all rows, and checking a
    foreign key with one join, is several times faster than keeping them up
    to date row by row. Unique indexes and primary keys stay, and so do the
    full-text GIN indexes: their cost is parsing the text, which a rebuild
    pays again, while their pending list already batches the inserts. Any
    failure rolls the drops back with everything else.
    """
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid), format('DROP INDEX %%s', i.indexrelid::regclass) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary "
        "AND am.amname = 'btree' ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname, "
        "pg_get_constraintdef(oid)), format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1",
        [tables],
    )
    foreign_keys = cursor.fetchall()
    for _, drop in indexes + foreign_keys:
        cursor.execute(drop)
    return [create for create, _ in indexes + foreign_keys]


def finish_database(specs, rebuild):
    """Recreate what was dropped, move the id sequences past the new rows, refresh the planner's statistics."""
    with connection.cursor() as cursor:
        if rebuild:
            # Per transaction; plenty for sorting a few million keys at once.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in rebuild:
            cursor.execute(statement)
        for statement in connection.ops.sequence_reset_sql(no_style(), ID_MODELS):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            qn = connection.ops.quote_name
            for model, _ in specs.values():
                cursor.execute(f"ANALYZE {qn(model._meta.db_table)}")
