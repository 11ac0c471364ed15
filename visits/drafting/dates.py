"""Dates in an article, relative to its publication date (the `dateparser` library reads them).

`find_dates(text, published)` returns each date expression ("on Monday",
"April 12", "12 April 2021", "yesterday", "today", "tomorrow") with the date
it means. News reports name days of the current week: "Sunday" in an article
published on a Sunday is that day, "Monday" is the Monday before; a sentence
in the future tense ("will travel on Monday") means the next one.

`visit_dates(...)` returns the visit's first and last day: the date in the
sentence that reports the visit ("arrived on Monday"), or the day "the second
day of her visit" counts back to, or the publication date; the last from
"a two-day visit".
"""

import datetime
import re
from dataclasses import dataclass

import dateparser

MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
EXPRESSION = re.compile(
    rf"\b(?:{WEEKDAYS}(?:,\s+{MONTHS}\s+\d{{1,2}}(?:,\s+\d{{4}})?)?"
    rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}(?:\s+\d{{4}})?"
    r"|yesterday|today|tomorrow)\b"
)
FUTURE = re.compile(r"\b(?:will|is to|are to|is due|are due|plans to|is expected|are expected|next)\b")
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
LENGTH = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})[- ]day\b", re.IGNORECASE)
DAY_OF_VISIT = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|final|last) day of (?:his|her|their|the|a|an|its)\b[^.]{0,40}?"
    r"\b(?:visit|trip|tour|stay)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: datetime.date


def parse(expression, published, future=False):
    """Return the date `expression` means in an article published on `published`, or None."""
    settings = {
        "RELATIVE_BASE": datetime.datetime.combine(published, datetime.time()),
        "PREFER_DATES_FROM": "future" if future else "current_period",
    }
    found = dateparser.parse(expression, languages=["en"], settings=settings)
    return found.date() if found else None


def find_dates(text, published, sentence_of=None):
    """Return a DateMention for each date expression of `text` (see the module docstring)."""
    found = []
    for match in EXPRESSION.finditer(text):
        sentence = sentence_of(match.start()) if sentence_of else None
        before = text[sentence.start : match.start()] if sentence else ""
        date = parse(match.group(), published, future=bool(FUTURE.search(before)))
        if date:
            found.append(DateMention(match.start(), match.end(), date))
    return found


def visit_length(text):
    """Return the number of days of "a two-day visit", or None."""
    match = LENGTH.search(text)
    if not match:
        return None
    word = match.group(1).lower()
    return NUMBERS.get(word) or (int(word) if word.isdigit() else None)


def visit_dates(text, published, dates, evidence_sentence=None):
    """Return (start, end or None, note): the visit's days (see the module docstring); a note when unsure."""
    start, note = published, ""
    in_sentence = [d for d in dates if evidence_sentence and evidence_sentence.start <= d.start < evidence_sentence.end]
    if in_sentence:
        start = in_sentence[0].date
    day = DAY_OF_VISIT.search(text)
    if day and not in_sentence:
        which = day.group(1).lower()
        dates_there = [d for d in dates if abs(d.start - day.start()) < 200]
        anchor = dates_there[0].date if dates_there else published
        if which in ORDINALS:
            start = anchor - datetime.timedelta(days=ORDINALS[which] - 1)
        else:
            note = f"the text speaks of the {which} day of the visit: check the start"
    length = visit_length(text)
    end = start + datetime.timedelta(days=length - 1) if length and length > 1 else None
    return start, end, note
