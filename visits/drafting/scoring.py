"""How close a draft is to a hand annotation: the measures `bench/drafting.py` reports (no database).

Each measure compares sets of items and counts true positives, drafted items
and hand items, so that precision and recall add up over many articles:

- officials: a drafted person matches a hand one with the same slug, or the
  same name by `names.same_person`;
- direct quotation spans: equal once spaces and the punctuation before a
  closing mark (`,` `.` `;` `:`) are trimmed from both ends; a drafted
  quotation counts whether or not it found a speaker;
- quotation speakers: (span, speaker) pairs, only drafted quotations that
  name a speaker (an unsure speaker left out costs recall, not precision);
  the drafted speaker is translated to the hand slug of the same person;
- reported speech: a drafted span matches a hand span it overlaps by at
  least half of the shorter one, each used once, and the speakers agree;
- topics: the slugs defined under `topics:`;
- visit dates and host country: the first visit's (start, end) and
  host country, exact, per article (1 or 0).
"""

from dataclasses import dataclass, field

from ..names import same_person

TRIM = " \t\n,.;:"


@dataclass
class Count:
    hits: int = 0
    drafted: int = 0
    hand: int = 0

    def add(self, other):
        self.hits += other.hits
        self.drafted += other.drafted
        self.hand += other.hand

    @property
    def precision(self):
        return self.hits / self.drafted if self.drafted else 1.0

    @property
    def recall(self):
        return self.hits / self.hand if self.hand else 1.0


@dataclass
class Annotation:
    """What one annotation says, as plain values: drafts and hand files are both turned into this."""

    officials: dict  # slug -> name
    direct: list  # [(start, end, speaker or None)]
    indirect: list  # [(start, end, speaker)]
    topics: set
    visit_dates: tuple | None  # (start, end)
    host_country: str | None
    extra: dict = field(default_factory=dict)


def trimmed(text, start, end):
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def official_map(drafted, hand):
    """Return {drafted slug: hand slug} for the drafted officials that are hand officials."""
    mapping = {}
    for slug, name in drafted.items():
        if slug in hand:
            mapping[slug] = slug
            continue
        match = next((h for h, other in hand.items() if same_person(name, other)), None)
        if match:
            mapping[slug] = match
    return mapping


def score_officials(drafted, hand):
    mapping = official_map(drafted.officials, hand.officials)
    return Count(len(set(mapping.values())), len(drafted.officials), len(hand.officials))


def score_spans(text, drafted, hand):
    draft_spans = {trimmed(text, s, e) for s, e, _ in drafted.direct}
    hand_spans = {trimmed(text, s, e) for s, e, _ in hand.direct}
    return Count(len(draft_spans & hand_spans), len(draft_spans), len(hand_spans))


def score_speakers(text, drafted, hand):
    mapping = official_map(drafted.officials, hand.officials)
    draft_pairs = {(trimmed(text, s, e), mapping.get(who, f"draft:{who}")) for s, e, who in drafted.direct if who}
    hand_pairs = {(trimmed(text, s, e), who) for s, e, who in hand.direct}
    return Count(len(draft_pairs & hand_pairs), len(draft_pairs), len(hand_pairs))


def overlap(a, b):
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared > 0 and shorter > 0 and shared * 2 >= shorter


def score_reported(drafted, hand):
    mapping = official_map(drafted.officials, hand.officials)
    unused = list(dict.fromkeys(hand.indirect))
    hits = 0
    drafted_items = list(dict.fromkeys(drafted.indirect))
    for start, end, who in drafted_items:
        match = next(
            (h for h in unused if overlap((start, end), (h[0], h[1])) and mapping.get(who) == h[2]),
            None,
        )
        if match:
            hits += 1
            unused.remove(match)
    return Count(hits, len(drafted_items), len(unused) + hits)


def score_topics(drafted, hand):
    return Count(len(drafted.topics & hand.topics), len(drafted.topics), len(hand.topics))


def exact(drafted_value, hand_value):
    return Count(int(drafted_value == hand_value), 1, 1)


def score(text, drafted, hand):
    """Return {measure: Count} for one article."""
    return {
        "officials": score_officials(drafted, hand),
        "direct quotation spans": score_spans(text, drafted, hand),
        "quotation speakers": score_speakers(text, drafted, hand),
        "reported speech": score_reported(drafted, hand),
        "topics": score_topics(drafted, hand),
        "visit dates": exact(drafted.visit_dates, hand.visit_dates),
        "host country": exact(drafted.host_country, hand.host_country),
    }


def from_document(document):
    """Return the Annotation of a parsed hand file (`visits.loading.document.Document`)."""
    direct, indirect = [], []
    for visit in document.visits:
        for statement in [*visit.statements, *(s for m in visit.meetings for s in m.statements)]:
            target = direct if statement.kind == "direct" else indirect
            target.append((statement.start, statement.end, statement.speaker))
    first = document.visits[0] if document.visits else None
    return Annotation(
        officials={slug: entry.name for slug, entry in document.officials.items()},
        direct=sorted(direct),
        indirect=sorted(indirect),
        topics=set(document.topics),
        visit_dates=(first.start, first.end or first.start) if first else None,
        host_country=first.host_country if first else None,
    )


def from_draft(draft):
    """Return the Annotation of a Draft: every quotation, with or without a speaker."""
    visit = draft.visit
    return Annotation(
        officials={slug: person.name for slug, person in draft.officials.items()},
        direct=sorted((s.start, s.end, s.speaker) for s in draft.statements if s.kind == "direct"),
        indirect=sorted((s.start, s.end, s.speaker) for s in draft.statements if s.kind == "indirect" and s.speaker),
        topics=set(draft.topics),
        visit_dates=(visit.start, visit.end or visit.start) if visit else None,
        host_country=visit.host_country if visit else None,
    )
