"""Statements: direct quotations, their speakers, and reported speech (no database).

`find_quotations(text)` finds every quotation in every style (“…”, "…",
‘…’, '…', «…»), a quotation running over several paragraphs (a paragraph
that opens with a quotation mark and does not close it goes on in the next
one that opens with a mark), and partial quotations inside a sentence.
Quotation marks inside a quotation are part of it. A span is the words
inside the marks, without the comma or full stop before the closing mark
(“…Iran,” Gantz says: the span ends at "Iran").

`attribute(...)` gives each quotation its speaker, or none when unsure:

- after it: “…,” Gantz says / said Gantz / Gantz told reporters / he adds;
- before it, in its sentence: Gantz said: “…” / Gantz said that “…” /
  Austin ..., simply saying that he and Gantz had discussed “…”;
- "he"/"she" is the last speaker named before it;
- the paragraphs of one quotation, and the parts of a quotation broken by
  its attribution (“…,” he said, “…”), share the speaker;
- a paragraph that is only a quotation, after one by X, is probably X's:
  unsure, left for the reviewer.

`find_reported(...)` finds reported speech: a sentence whose subject is a
named official followed by a verb of saying ("Gantz says the two had
discussed ...", "Austin also stressed ...", "..., simply saying that ..."),
or that ends in one ("The talks went well, Lind said.").
"""

import itertools
import re
from dataclasses import dataclass, field

from .countries import ADJECTIVES
from .countries import table as country_table
from .dates import dateline_end
from .officials import NOT_NAMES
from .segments import containing, paragraphs, sentences

VERBS = (
    r"says|said|say|adds|added|add|told|tells|tell|stated|states|declared|declares|noted|notes|insisted|insists"
    r"|stressed|stresses|warned|warns|explained|explains|remarked|remarks|recalled|recalls|wrote|writes|tweeted"
    r"|asked|asks|replied|replies|answered|answers|continued|continues|argued|argues|emphasi[sz]ed|emphasi[sz]es"
    r"|announced|announces|acknowledged|acknowledges|conceded|concedes|observed|observes|pointed out|points out"
    r"|underlined|underlines|underscored|underscores|affirmed|affirms|reaffirmed|reaffirms|reiterated|reiterates"
    r"|promised|promises|vowed|vows|urged|urges|cautioned|cautions|confirmed|confirms|assured|assures"
    r"|predicted|predicts|admitted|admits|agreed|agrees|saying|adding|telling|noting|stressing|warning"
    r"|disagreed|disagrees|responded|responds|countered|counters|objected|objects|retorted|interjected"
    r"|insisting|arguing|explaining|emphasi[sz]ing|calling|describing|described|describes|called|calls"
)
VERB = re.compile(rf"(?<![\w-])(?:{VERBS})\b")  # not "so-called"
# Verbs after which the rest of the sentence is what was said, for reported speech.
REPORTING = re.compile(
    r"\b(?:says|said|say|told|tells|adds|added|stressed|stresses|noted|notes|warned|warns|emphasi[sz]ed"
    r"|emphasi[sz]es|insisted|insists|argued|argues|stated|states|announced|announces|explained|explains"
    r"|acknowledged|acknowledges|reiterated|reiterates|underlined|underlines|underscored|underscores|affirmed"
    r"|affirms|reaffirmed|reaffirms|confirmed|confirms|pledged|pledges|vowed|vows|urged|urges|assured|assures"
    r"|promised|promises|saying|adding|telling|noting|stressing|warning|insisting|called|calls|described"
    r"|describes|thanked|thanks|invited|invites|agreed|agrees|wrote|writes|proposed|proposes|suggested|suggests"
    r"|expressed|expresses|complained|complains|rejected|rejects|denied|denies|predicted|predicts)\b"
)
PRONOUN = re.compile(r"(?:he|she|He|She)\b")
# Between a subject and its verb: "Gantz also said", "Austin later told", "Lind, who ..., said".
SUBJECT_GAP = re.compile(r",?(?:\s+(?:also|later|then|again|further|had|has|have|would|will|on \w+|once more)){0,3}\s+")
APPOSITION = re.compile(r",[^,“”\"«»]{1,90},(?:\s+(?:also|later|then|again))*\s+")
TRIM = " \t\n,.;:"
PAIRS = {"“": "”", "«": "»", "‘": "’"}


@dataclass
class Quotation:
    start: int  # the span: the words inside the marks
    end: int
    open: int  # the opening mark
    close: int | None  # the closing mark, None when the paragraph ends first
    chain: int  # quotations of one chain (paragraphs of one quotation) share a number
    speaker: str | None = None
    evidence: str = ""  # how the speaker was found
    unsure: str = ""  # why the speaker was left out
    candidate: str | None = None  # the speaker the drafter would guess
    outsider: str = ""  # said by someone who is not an official: not a statement

    @property
    def after(self):
        return self.close + 1 if self.close is not None else self.end


@dataclass
class Reported:
    start: int
    end: int
    speaker: str
    evidence: str
    notes: list = field(default_factory=list)


def find_quotations(text):
    """Return the quotations of `text` in order (see the module docstring)."""
    found = []
    chain = 0
    open_chain = None  # the chain a paragraph may continue
    for paragraph in paragraphs(text):
        quotes = quotes_in(text, paragraph.start, paragraph.end)
        continues = open_chain is not None and quotes and quotes[0][0] == paragraph.start
        for index, (opening, closing) in enumerate(quotes):
            number = open_chain if continues and index == 0 else chain + 1
            chain = max(chain, number)
            end = closing if closing is not None else paragraph.end
            start, stop = trim(text, opening + 1, end)
            if stop > start:
                found.append(Quotation(start, stop, opening, closing, number))
        last = quotes[-1] if quotes else None
        open_chain = found[-1].chain if last and last[1] is None and found else None
    return found


def quotes_in(text, start, end):
    """Return [(opening mark, closing mark or None)] of the quotations in text[start:end], outermost only."""
    quotes = []
    position = start
    while position < end:
        character = text[position]
        closing = None
        if character in "“«":
            closing = text.find(PAIRS[character], position + 1, end)
        elif character == '"':
            closing = text.find('"', position + 1, end)
        elif character in "‘'" and opens_single(text, position, start):
            closing = single_close(text, position, end, "’" if character == "‘" else "'")
            if closing == -1:
                position += 1
                continue  # an apostrophe after all
        else:
            position += 1
            continue
        if closing == -1:
            quotes.append((position, None))
            break
        quotes.append((position, closing))
        position = closing + 1
    return quotes


def opens_single(text, position, paragraph_start):
    """A single mark opens a quotation at a word's start: after a space, a dash, a bracket or the paragraph start."""
    before = text[position - 1] if position > paragraph_start else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return (before.isspace() or before in "(—–-") and after.isalnum()


def single_close(text, position, end, mark):
    """Return the closing single mark: one after a word and not followed by a letter ("state’s" is no close)."""
    search = position + 1
    while True:
        found = text.find(mark, search, end)
        if found == -1:
            return -1
        after = text[found + 1] if found + 1 < len(text) else " "
        if not text[found - 1].isspace() and not after.isalnum():
            return found
        search = found + 1


def trim(text, start, end):
    while start < end and text[start] in " \t\n":
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


# Speakers -------------------------------------------------------------------


class Speakers:
    """Finds who speaks at a position: the official mentioned there, or a pronoun's last named speaker."""

    def __init__(self, text, mentions, roles):
        self.text = text
        self.mentions = mentions  # [(start, end, slug)], sorted
        self.starting = {start: (end, slug) for start, end, slug in mentions}
        self.roles = roles  # {"the foreign minister": slug} for roles one person holds

    def at(self, position):
        """Return (slug, end) of a mention starting at `position` ("Mr" and "Ms" skipped), or None."""
        honorific = re.match(r"(?:Mr|Mrs|Ms|Dr)\.?\s+", self.text[position : position + 6])
        if honorific and position + honorific.end() in self.starting:
            position += honorific.end()
        found = self.starting.get(position)
        if found:
            return found[1], found[0]
        # "the president", "the foreign minister", "the Colombian president": a role one person holds.
        match = re.match(r"[Tt]he (?:([A-Z][a-z]+) )?([a-z]+(?: [a-z]+)?)", self.text[position : position + 50])
        if match:
            adjective = match.group(1)
            words = match.group(2).split()
            for length in (2, 1):
                phrase = "the " + " ".join(words[:length])
                holders = self.roles.get(phrase, [])
                if adjective:
                    holders = [(slug, country) for slug, country in holders if country == ADJECTIVES.get(adjective)]
                if len(holders) == 1:
                    end = match.start(2) + len(" ".join(words[:length]))
                    return holders[0][0], position + end
        return None

    def ending_before(self, position, floor):
        """Return [(start, end, slug)] of mentions inside text[floor:position]."""
        return [m for m in self.mentions if floor <= m[0] and m[1] <= position]


def attribute(text, quotations, mentions, roles=None, reported=()):
    """Give each quotation its speaker (or leave it with `unsure` and a `candidate`); see the module docstring."""
    speakers = Speakers(text, mentions, roles or {})
    sentence_spans = sentences(text)
    last_named = None  # (position, slug) of the last speaker named, for "he says"
    reported = sorted(reported, key=lambda r: r.start)
    by_chain = {}
    previous = None
    for quote in quotations:
        for item in reported:
            if item.start < quote.open and (last_named is None or item.start > last_named[0]):
                last_named = (item.start, item.speaker)
        found = (
            after_quote(text, quote, speakers)
            or before_quote(text, quote, speakers, sentence_spans)
            or introduced_above(text, quote, speakers, sentence_spans)
            or named_below(text, quote, speakers)
        )
        if found:
            slug, how = found
            if slug == "PRONOUN":
                # The one named last: an official who opens a sentence after the last speaker named, or that speaker.
                subject = latest_subject(text, quote, speakers, sentence_spans, last_named[0] + 1 if last_named else 0)
                if subject:
                    (since, slug), how = subject, f"{how}: the official who opens a sentence before it"
                elif last_named:
                    (since, slug), how = last_named, f"{how}: the last speaker named"
                else:
                    quote.unsure = f"{how}, but no speaker is named before it"
                    since = slug = None
                if slug and (stranger := unknown_speaker_between(text, since, quote.open, speakers)):
                    quote.unsure = f"{how}, but {stranger} speaks in between, whom the draft does not know"
                    quote.candidate, slug = slug, None
            if slug:
                quote.speaker, quote.evidence = slug, how
                if not how.endswith("the last speaker named"):
                    last_named = (quote.open, slug)
        by_chain.setdefault(quote.chain, []).append(quote)
        previous = quote
    # The paragraphs of one quotation, and a quotation broken by its attribution, share a speaker.
    for chain in by_chain.values():
        named = {q.speaker for q in chain if q.speaker}
        if len(named) == 1:
            slug = named.pop()
            for quote in chain:
                if not quote.speaker:
                    quote.speaker, quote.evidence = slug, "the same quotation, over paragraphs"
    # "“…,” she said. “…”": a quotation after one by X in the same paragraph, nobody else named between, is X's;
    # so is a paragraph that is only a quotation, right after a paragraph that ends with one by X.
    for previous, quote in itertools.pairwise(quotations):
        if quote.speaker or not previous.speaker or quote.unsure:
            continue
        between = text[previous.after : quote.open]
        # Someone else named between as a speaker ("Berg left." or "Berg said") ends the run; "with Berg" does not.
        named_between = any(
            previous.after <= m[0] < quote.open
            and m[2] != previous.speaker
            and (verb_after(text[m[1] : m[1] + 100], VERB) or opens_sentence(text, m[0], sentence_spans))
            for m in mentions
        )
        # Nor does it go on past someone the draft does not know speaking ("Analyst John Smith disagreed: “…”").
        stranger = re.search(r"[A-Z][\w'’-]+\s+(?:\w+ly\s+)?(?:" + VERBS + r")\b[^“”\"«».]*:?\s*$", between)
        if stranger:
            at = previous.after + stranger.start()
            named = any(start <= at < end for start, end, _ in mentions)
            stranger = not named and stranger.group().split()[0] not in NOT_SPEAKERS
        if named_between or stranger or unknown_speaker_between(text, previous.after, quote.open, speakers):
            continue
        if "\n" not in between:
            quote.speaker, quote.evidence = previous.speaker, "goes on from the quotation before it"
        elif between.count("\n") == 1 and alone_in_paragraph(text, quote) and ends_paragraph(text, previous):
            quote.speaker, quote.evidence = previous.speaker, "a paragraph of quotation after one by the same speaker"
    for quote in quotations:
        if not quote.speaker:
            quote.outsider = outsider(text, quote, speakers, sentence_spans)
    previous = None
    for quote in quotations:
        if not quote.speaker and previous is not None and previous.speaker and not quote.unsure:
            quote.unsure = "no attribution; the quotation before it is by this speaker"
            quote.candidate = previous.speaker
        elif not quote.speaker and not quote.unsure:
            quote.unsure = "no speaker found"
        previous = quote
    return quotations


def alone_in_paragraph(text, quote):
    """The quotation is its paragraph: nothing but it (and its closing punctuation) on the line."""
    line_start = text.rfind("\n", 0, quote.open) + 1
    line_end = text.find("\n", quote.after)
    line_end = len(text) if line_end == -1 else line_end
    return not text[line_start : quote.open].strip() and not text[quote.after : line_end].strip(" .,")


def ends_paragraph(text, quote):
    """Only an attribution (a few words) follows the quotation on its line."""
    line_end = text.find("\n", quote.after)
    line_end = len(text) if line_end == -1 else line_end
    return len(text[quote.after : line_end].split()) <= 12 and not re.search(r"[“\"«‘]", text[quote.after : line_end])


NAME_WORDS = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)+"
UNNAMED = re.compile(
    r"^(?:A|An|One|Some|Several|Two|Three|Many|Other)\b|\b(?:official|officials|diplomat|diplomats|statement|spokes\w+"
    r"|analyst|analysts|aide|aides|activist|activists|protesters?|sources?|communiqu[eé]|declaration|group|residents?"
    r"|ministry|government|embassy|agency|media|newspaper|television|report|presidency|court|experts?|critics?)\b"
)


def outsider(text, quote, speakers, sentence_spans):
    """Return why someone not an official said the quotation ("said Lena Marx of ...", "A senior official said")."""
    if quote.close is not None:
        after = text[quote.close + 1 : quote.close + 120]
        named = re.match(rf"[,.!?]?[ \t]+(?:said|says|added|adds|told \w+)\s+({NAME_WORDS})", after) or re.match(
            rf"[,.!?]?[ \t]+({NAME_WORDS}),?\s+(?:an?\s+[^,]+,\s+)?(?:said|says|added|adds)\b", after
        )
        if named:
            name_start, name_end = quote.close + 1 + named.start(1), quote.close + 1 + named.end(1)
        if named and not any(start < name_end and name_start < end for start, end, _ in speakers.mentions):
            return f"said by {named.group(1)}, not an official of the article"
    sentence = containing(sentence_spans, quote.open)
    if sentence and len(text[quote.start : quote.end].split()) <= 4:
        # "the so-called “Middle Corridor”": a few words with no verb of saying near them name something.
        around = text[sentence.start : sentence.end]
        if not VERB.search(around) and not re.search(r"\baccording to\b", around):
            return "a name or a few words in quotation marks, with no verb of saying: not a statement"
    if sentence:
        before = text[sentence.start : quote.open]
        verbs = list(VERB.finditer(before))
        if verbs and not speakers.ending_before(sentence.start + verbs[-1].start(), sentence.start):
            subject = before[: verbs[-1].start()]
            if UNNAMED.search(subject) and not re.search(r"\b(?:he|she|He|She)\b", subject):
                return f"said by {subject.strip()[:60]!r}, not an official of the article"
        if verbs and (stranger := unknown_speaker_between(text, sentence.start, quote.open, speakers)):
            return f"said by {stranger}, whom the draft does not know as an official"
        if verbs and re.search(r"['’]s (?:office|spokes\w+|ministry|government|aides?)\b", before[: verbs[-1].start()]):
            return f"said by {before[: verbs[-1].start()].strip()[:60]!r}, not by the official"
    return ""


def latest_subject(text, quote, speakers, sentence_spans, floor=0):
    """Return (position, slug) of the official who opens the last sentence between `floor` and `quote`."""
    found = None
    for sentence in sentence_spans:
        opens = floor <= sentence.start < quote.open and text[sentence.start] not in "“\"«‘'"
        if opens and (slug := sentence_subject(text, sentence.start, quote.open, speakers)):
            found = (sentence.start, slug)
    return found


NOT_SPEAKERS = frozenset(
    ["He", "She", "It", "They", "We", "I", "The", "This", "That", "There", "A", "An", "But", "And", "Officials"]
)
STRANGER = re.compile(
    rf"(?<![\w-])(?P<a>[A-Z][\w'’-]+)(?:,[^,\n]{{1,80}},)?\s+(?:{VERBS})\b"
    r"|\b(?:said|says|added|adds)\s+(?P<b>[A-Z][\w'’-]+)(?![\w'’-])(?!\s+(?:would|will|had|has|was|is|were|could|must|may))"
)


def unknown_speaker_between(text, start, end, speakers):
    """Return the name of someone the draft does not know who speaks in text[start:end] ("Whitfield said"), or None."""
    for match in STRANGER.finditer(text, start, end):
        group = "a" if match.group("a") else "b"
        word, at = match.group(group), match.start(group)
        known_word = word in NOT_SPEAKERS or word in NOT_NAMES or word in country_table()
        if known_word or any(s <= at < e for s, e, _ in speakers.mentions):
            continue
        return word
    return None


def introduced_above(text, quote, speakers, sentence_spans):
    """`Han said:` ending the paragraph before a paragraph that opens with the quotation."""
    line_start = text.rfind("\n", 0, quote.open) + 1
    if text[line_start : quote.open].strip() or line_start < 2 or text[line_start - 2] != ":":
        return None
    sentence = containing(sentence_spans, line_start - 2)
    if sentence is None:
        return None
    before = text[sentence.start : line_start - 2]
    for verb in reversed(list(VERB.finditer(before))):
        found = subject_of(text, sentence.start, sentence.start + verb.start(), verb, speakers)
        if found:
            return found[0], f"{found[1]}, in the paragraph before"
    return None


WITH_THOSE_WORDS = re.compile(
    r"\n(?:With (?:these|those) words|Those were the words of|So said"
    r"|(?:The|These|Those) words (?:came from|were those of|belong(?:ed)? to)),?\s+(?:[a-z]+\s+){0,2}"
)


def named_below(text, quote, speakers):
    """`“…”` alone in its paragraph, then `With those words, Mexican President X ...` in the next."""
    line_end = text.find("\n", quote.after)
    if line_end == -1 or text[quote.after : line_end].strip(" .,"):
        return None
    below = WITH_THOSE_WORDS.match(text, line_end)
    if below:
        for offset in (0, *(m.end() for m in TITLE_WORDS_AT.finditer(text[below.end() : below.end() + 80]))):
            found = speakers.at(below.end() + offset)
            if found:
                return found[0], "named in the next paragraph (with those words)"
    return None


TITLE_WORDS_AT = re.compile(r"(?:[A-Z][a-z]+\s+){1,3}")


def opens_sentence(text, position, sentence_spans):
    """Return True if a sentence starts at `position` (or at the "Mr." before it)."""
    honorific = re.search(r"(?:Mr|Mrs|Ms|Dr)\.?\s+$", text[max(0, position - 5) : position])
    if honorific:
        position -= len(honorific.group())
    return any(s.start == position for s in sentence_spans) or text[position - 1 : position] == "\n"


def verb_after(rest, verbs):
    """Return the verb (a match of `verbs`) right after a subject, past "also", "later" or an apposition; or None."""
    for gap in (SUBJECT_GAP, APPOSITION):
        found = gap.match(rest)
        if found and (verb := verbs.match(rest, found.end())):
            return verb
    return None


def after_quote(text, quote, speakers):
    """`“…,” Gantz says`, `“…,” said Gantz`, `“…,” he adds`, `“…,” Gantz, Israel's defense minister, said`."""
    if quote.close is None:
        return None
    position = quote.close + 1
    head = text[position : position + 160]
    lead = re.match(r"[,.!?]?[ \t]+", head)  # never into the next paragraph
    if not lead:
        return None
    at = position + lead.end()
    pronoun = PRONOUN.match(text, at)
    found = speakers.at(at)
    if found or pronoun:
        end = found[1] if found else pronoun.end()
        rest = text[end : end + 140]
        verb_match = verb_after(rest, VERB)
        if verb_match and not rest.startswith(("’", "'")):
            verb = verb_match.group()
            if found:
                return found[0], f"named after the quotation ({verb})"
            return "PRONOUN", f"{pronoun.group()} {verb}"
        if re.match(r",?\s+according to", rest):
            return None
    verb = VERB.match(text, at)
    if verb:
        after = at + verb.end() - verb.start()
        space = re.match(r"\s+", text[after:])
        if space:
            found = speakers.at(after + space.end())
            if found:
                return found[0], f"named after the quotation ({verb.group()} ...)"
    # “…” The words came from Indian External Affairs Minister Ravi Shankar Iyer, ...
    words_of = re.match(r"\s+(?:The|These|Those) words (?:came from|were those of|belong(?:ed)? to)\s+", head)
    if words_of:
        for offset in (0, *(m.end() for m in TITLE_WORDS_AT.finditer(head[words_of.end() : words_of.end() + 80]))):
            found = speakers.at(position + words_of.end() + offset)
            if found:
                return found[0], "named after the quotation (the words came from)"
    according = re.match(r",?\s*according to\s+", text[position : position + 40])
    if according:
        found = speakers.at(position + according.end())
        if found:
            return found[0], "named after the quotation (according to)"
    return None


def before_quote(text, quote, speakers, sentence_spans):
    """`Gantz said: “…”`, `Gantz told reporters that “…”`, `Austin ..., saying that ... “…”`, `he added: “…”`."""
    sentence = containing(sentence_spans, quote.open)
    floor = sentence.start if sentence else quote.open
    # A quotation earlier in the sentence ends where this one's context begins.
    before = text[floor : quote.open]
    for mark in ("”", "»"):
        if mark in before:
            floor = floor + before.rindex(mark) + 1
    before = text[floor : quote.open]
    # The verbs from the last: "Carvalho said Brazil would not add ...": "add" has no subject, "said" has.
    for verb in reversed(list(VERB.finditer(before))):
        found = subject_of(text, floor, floor + verb.start(), verb, speakers)
        if found:
            return found
    return None


def subject_of(text, floor, verb_at, verb, speakers):
    """Return (slug or "PRONOUN", how) of the verb at `verb_at`: the mention or pronoun just before it, or None."""
    for _start, end, slug in reversed(speakers.ending_before(verb_at, floor)):
        if SUBJECT_GAP.fullmatch(text[end:verb_at]) or APPOSITION.fullmatch(text[end:verb_at]):
            return slug, f"named before the quotation ({verb.group()})"
        break
    pronoun = re.search(r"\b(?:he|she|He|She)" + SUBJECT_GAP.pattern + r"$", text[floor:verb_at])
    if pronoun:
        return "PRONOUN", f"{pronoun.group().split()[0]} {verb.group()}"
    # "Kiprono thanked him and said ...": the subject of the sentence says it.
    if re.search(r"\s(?:and|but)\s+(?:also\s+|then\s+)?$", text[floor:verb_at]):
        subject = sentence_subject(text, floor, verb_at, speakers)
        if subject:
            return subject, f"the subject of the sentence (and {verb.group()})"
    # ... or the subject of the sentence, when the verb is a participle ("..., simply saying that").
    if verb.group().endswith("ing"):
        subject = sentence_subject(text, floor, verb_at, speakers)
        if subject:
            return subject, f"the subject of the sentence ({verb.group()})"
    return None


def sentence_subject(text, start, limit, speakers):
    """Return the slug of the official the sentence at `start` opens with (after an opening phrase and comma)."""
    found = speakers.at(start)
    if found is None:
        intro = re.match(r"[^,“”\"]{1,60},\s+", text[start:limit])
        if intro:
            found = speakers.at(start + intro.end())
    return found[0] if found else None


# Reported speech --------------------------------------------------------------


ADVERB = re.compile(r"(?:Afterwards|Later|Earlier|Separately|Meanwhile|Then)\s+")
TITLE_WORDS = re.compile(r"(?:[A-Z][a-z]+\s+){1,3}(?=[A-Z])")  # "Chief Cabinet Secretary Mori Kenta"


def opening_offsets(body):
    """Yield where a sentence's subject may start: at once, after "Afterwards", after title words the mention
    lacks, or after each of the first two commas within 150 characters ("Asked about the debt, much of it owed
    to China, Carvalho said", "Brazil's foreign minister, Ana Paula dos Santos, urged")."""
    yield 0
    for pattern in (ADVERB, TITLE_WORDS):
        if found := pattern.match(body):
            yield found.end()
    for count, comma in enumerate(re.finditer(r",\s+", body[:150])):
        if count == 2 or re.search(r"[“”\"«»]", body[: comma.start()]):
            break
        yield comma.end()


PRONOUN_SUBJECT = re.compile(r"(?:He|She)\b")


PAIR_SUBJECT = re.compile(
    r"(?:The|the) two (?:leaders|ministers|presidents|prime ministers|foreign ministers|defen[cs]e (?:chiefs|ministers)"
    r"|heads of (?:state|government)|men|women|sides)\b"
)


def agreed_to(verb, said):
    """Return True for "agreed to set up a unit": an action, not speech ("agreed that ..." is speech)."""
    return verb in ("agreed", "agrees") and re.match(r"\s*(?:on\s+\w+\s+)?to\b", said) is not None


def joint_speakers(text, begin, end, speakers, pair):
    """Return (slugs, subject end) when two people say it together: "A and B said", "The two leaders said"."""
    first = speakers.at(begin)
    if first:
        joined = re.match(r"\s+and\s+", text[first[1] : first[1] + 10])
        second = speakers.at(first[1] + joined.end()) if joined else None
        if second and second[0] != first[0]:
            return [first[0], second[0]], second[1]
    pair_subject = PAIR_SUBJECT.match(text, begin, end)
    if pair_subject and pair:
        return list(pair), pair_subject.end()
    return None


def find_reported(text, mentions, quotations, roles=None, pair=None):
    """Return the sentences of reported speech (see the module docstring), each with its speaker.

    The subject is an official named at the start of the sentence (after an
    opening phrase: "Following the meeting,", "Asked about the debt, ...,",
    "Afterwards"), a role one person holds ("The German minister"), or "He"
    / "She": the last official who opened a sentence before.
    """
    speakers = Speakers(text, mentions, roles or {})
    found = []
    last_subject, last_subject_at = None, 0
    for sentence in sentences(text):
        begin = max(sentence.start, dateline_end(text)) if sentence.start == 0 else sentence.start
        body = text[begin : sentence.end]
        # «…», said Kamau. She urged ...: the official a verb of saying names is the next "She".
        for start, stop, slug in speakers.ending_before(sentence.end, begin):
            if re.search(rf"\b(?:{VERBS})\s+$", text[begin:start]) or verb_after(text[stop : stop + 60], VERB):
                last_subject, last_subject_at = slug, start
        if not body or body[:1] in "“\"«‘'" or body.rstrip().endswith(":"):
            continue  # a quotation's attribution, or one introduced by a colon, is not reported speech
        # "President A and Prime Minister B ... announced", "The two leaders said": one statement for each.
        joint = joint_speakers(text, begin, sentence.end, speakers, pair)
        if joint:
            rest = text[joint[1] : sentence.end]
            verb = verb_after(rest, REPORTING) or re.match(r"(?:\s+\w+){0,6}?\s+(announced|said|say|says)\b", rest)
            said = rest[verb.end() :] if verb else ""
            if (
                verb
                and len(said.split()) >= 3
                and not re.match(r"[\s:,.]*[“\"«]", said)
                and not agreed_to(verb.group(), said)
            ):
                end = sentence.end - 1 if text[sentence.end - 1] == "." else sentence.end
                found += [Reported(begin, end, slug, "said together") for slug in joint[0]]
                continue
        subject_at, found_subject, how_subject = begin, None, ""
        for offset in opening_offsets(body):
            if found_subject := speakers.at(begin + offset):
                subject_at = begin + offset
                break
        pronoun = found_subject is None and PRONOUN_SUBJECT.match(body) and last_subject
        if pronoun and not unknown_speaker_between(text, last_subject_at, begin, speakers):
            found_subject = (last_subject, begin + PRONOUN_SUBJECT.match(body).end())
            how_subject = f"{body.split()[0]}: the last official who opened a sentence; "
        end = sentence.end
        if text[end - 1] == ".":
            end -= 1
        if found_subject:
            slug, subject_end = found_subject
            if not how_subject:
                last_subject, last_subject_at = slug, subject_at
            rest = text[subject_end:end]
            verb = verb_after(rest, REPORTING)
            how = None
            if verb:
                said = rest[verb.end() :]
                # "Gantz said: “…”" introduces a quotation; reported speech says something in its own words.
                introduces = re.match(r"[\s:,.]*[“\"«]", said) or re.search(r":\s*[“\"«‘]", said)
                # "called on President X" is a visit; "called on Monday for ..." is speech.
                visit_call = verb.group() in ("called", "calls") and re.match(
                    r"\s*on (?:President|Prime|King|the)", said
                )
                visit_call = visit_call or agreed_to(verb.group(), said)
                if len(said.split()) >= 3 and not introduces and not visit_call:
                    how = f"{how_subject}{verb.group()} after the subject"
            else:
                participle = re.search(r",\s+(?:\w+\s+)?(saying|adding|telling|noting|stressing|warning)\b", rest)
                joined = re.search(
                    r"\b(?:and|but)\s+(?:also\s+)?(said|says|told|tells|added|adds|warned|stressed|insisted|insists)\b",
                    rest,
                )
                for found_verb in (participle, joined):
                    if (
                        found_verb
                        and len(rest[found_verb.end() :].split()) >= 3
                        and not re.search(r"[“\"«]", rest[: found_verb.start()])
                    ):
                        how = f"{how_subject}the subject, then {found_verb.group(1)}"
                        break
            if how:
                found.append(Reported(begin, end, slug, how))  # the whole sentence, as the corpus annotates it
                continue

        # "The talks went well, Lind said."
        tail = re.search(r",\s+(\S.*?)\s+(?:" + REPORTING.pattern[2:-2] + r")\s*$", text[begin:end])
        if tail and not re.search(r"[“”\"«»]", text[begin:end]):
            position = begin + tail.start(1)
            who = speakers.at(position)
            if who and who[1] == begin + tail.end(1):
                found.append(Reported(begin, end, who[0], "named at the end of the sentence"))
    return found
