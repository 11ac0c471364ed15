"""The demo's world and its articles, planned in plain Python from one `random.Random(seed)`.

`plan(visits, seed)` returns the World (countries, officials with offices
that change over time, a three-level topic tree, all drawn with skewed odds
like real news) and an iterator of ArticlePlans, article after article, so
the same size and seed always give the same articles whatever the batch
size. Each plan holds its text and every span into it (names, quotes,
evidence); `visits.demo.database` writes it as rows and `visits.demo.files`
as an annotated file pair. No database access here.
"""

import datetime
import random
from dataclasses import dataclass, field
from itertools import accumulate

from django.utils import translation
from django.utils.text import slugify
from django_countries import countries

from .. import topic_tree
from .vocabulary import (
    ADJECTIVES,
    AUTHORS,
    CITY_ENDS,
    CITY_STARTS,
    CLOSERS,
    DEMO_PREFIX,
    DURATIONS,
    FILLER_FIELDS,
    FILLERS,
    FIRST_DAY,
    FIRST_NAMES,
    HOST_COUNTRIES,
    LAST_DAY,
    LAST_NAMES,
    LEAD_TAILS,
    MAX_OFFICIALS,
    MEETING_PLACES,
    MONTHS,
    OPENERS,
    ORDINALS,
    PUBLISHERS,
    REPORTED_VERBS,
    ROLES,
    TITLE_PREFIX,
    TOPIC_ASPECTS,
    TOPIC_TREE,
    VERBS,
)


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
        lines = topic_tree.ancestor_lines({topic.number: topic.parent for topic in topics})
        world.lines = {number: tuple(line) for number, line in lines.items()}
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
