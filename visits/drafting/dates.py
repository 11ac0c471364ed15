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
DATELINE = re.compile(r"\s*[A-ZÀ-Ý][A-ZÀ-Ý .'’-]+(?:,[^()\n–—]{0,30})?\s*(?:\([^)\n]*\))?\s*[–—-]{1,2}\s")
ARRIVAL = re.compile(
    r"\b(?:arrived|arrives|arriving|landed|lands|landing|flew into|flies into)\b(?:\s+(?:in|at|into)\s+[A-Z][\w’'-]*"
    r"(?:\s+[A-Z][\w’'-]*)*)?(?:\s+here)?"
)
ENDING = re.compile(
    r"\b(?:wrapped up|wraps up|wrapping up|ended|ends|concluded|concludes|rounded off|rounds off)\b[^.]{0,80}?"
    r"\b(?:visit|trip|tour)\b"
)
UNTIL = re.compile(r"\b(?:stays? until|staying until|until|through|ends on|that ends on|ending on|leaves on)\s+")
DAY_OF_VISIT = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|final|last)(?P<last> and (?:last|final))? day of"
    r" (?:his|her|their|the|a|an|its)\b[^.]{0,40}?"
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
    # Imported here: dateparser takes half a second to import, which every process that loads the URLs
    # (each manage.py command, each web worker) would pay; only drafting needs it.
    import dateparser  # noqa: PLC0415

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


def dateline_end(text):
    """Return where the dateline ("HANOI, March 12 (Asia Wire) – ") ends, or 0: its date is not the visit's."""
    match = DATELINE.match(text)
    return match.end() if match else 0


def visit_dates(text, published, dates, evidence_sentence=None, sentence_of=None):
    """Return (start, end or None, note): the visit's days (see the module docstring); a note when unsure.

    The first day is, in this order: the day of an arrival ("arrived in
    Manila on Sunday"); the day "the second day of a visit" counts back
    from (the date in its sentence, else the publication date); the date in
    the sentence reporting the visit; the publication date. The last day:
    from "a three-day visit", else from "stays until Thursday".
    """
    note = ""
    dates = [d for d in dates if d.start >= dateline_end(text)]

    def dates_in(span_start, span_end):
        return [d for d in dates if span_start <= d.start < span_end]

    start = end = None
    length = visit_length(text)
    for ending in ENDING.finditer(text):
        sentence = sentence_of(ending.start()) if sentence_of else None
        there = dates_in(ending.start(), sentence.end) if sentence else []
        if there:
            end = there[0].date
            if length:
                start = end - datetime.timedelta(days=length - 1)
            break
    for arrival in ARRIVAL.finditer(text) if start is None else ():
        sentence = sentence_of(arrival.start()) if sentence_of else None
        after = dates_in(arrival.end(), sentence.end if sentence else arrival.end() + 80)
        if after and after[0].start - arrival.end() < 60:
            start = after[0].date
            break
    day = DAY_OF_VISIT.search(text)
    if day:
        which = day.group(1).lower()
        sentence = sentence_of(day.start()) if sentence_of else None
        there = dates_in(sentence.start, sentence.end) if sentence else []
        anchor = min(there, key=lambda d: abs(d.start - day.start())).date if there else published
        if which in ORDINALS:
            start = start or anchor - datetime.timedelta(days=ORDINALS[which] - 1)
            if day.group("last"):
                end = anchor
        elif start:
            pass
        else:
            note = f"the text speaks of the {which} day of the visit: check the start"
    if start is None and evidence_sentence:
        in_sentence = dates_in(evidence_sentence.start, evidence_sentence.end)
        if in_sentence:
            start = in_sentence[0].date
    start = start or published
    if end is None and length and length > 1:
        end = start + datetime.timedelta(days=length - 1)
    if end is None:
        for until in UNTIL.finditer(text):
            following = [d for d in dates if 0 <= d.start - until.end() < 5]
            if following:
                # "stays until Thursday" looks ahead from the day it is written.
                date = parse(text[following[0].start : following[0].end], published, future=True)
                if date and date > start:
                    end = date
                    break
    if end is not None and end <= start:
        end = None
    return start, end, note
