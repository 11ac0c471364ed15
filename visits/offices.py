"""Offices as a dimension: the many ways sources write an office, in a small vocabulary.

The sources write offices as they please: "Prime Minister", "Premier",
"Taoiseach", "Minister of Foreign Affairs", "Acting President",
"Defence Secretary". `office_of(text)` returns the vocabulary's `Office`
(a slug for addresses and filters, a name for pages) for any of them; the
text as written is always kept beside it, so nothing is lost by the
normalising. No database access here.

How a text is read:

- Qualifiers that do not change the office are dropped: "Acting",
  "Interim", "Provisional", "Caretaker", "Federal" ("Federal Chancellor" is
  a chancellor), and a leading "the".
- A text naming two offices ("Premier and Prince", "Prime Minister-Prince")
  is read as its first; "Minister of Energy and Water" is one office.
- `ALIASES` maps every known way of writing an office to its slug; for
  ministers, "Minister of Trade", "Minister for Trade" and "Trade Minister"
  are one office (`trade-minister`), as are their "Secretary" forms where a
  country calls its ministers secretaries ("Defence Secretary"), except the
  U.S. cabinet titles, which are the offices users look for
  ("Secretary of State", "Secretary of Defense").
- Anything else becomes its own office, named as written (title case).
"""

import re
from dataclasses import dataclass

from django.utils.text import slugify


@dataclass(frozen=True)
class Office:
    slug: str
    name: str


VOCABULARY = {
    "president": "President",
    "president-elect": "President-elect",
    "vice-president": "Vice President",
    "head-of-state": "Head of State",
    "prime-minister": "Prime Minister",
    "prime-minister-elect": "Prime Minister-elect",
    "deputy-prime-minister": "Deputy Prime Minister",
    "premier": "Premier",
    "vice-premier": "Vice Premier",
    "chancellor": "Chancellor",
    "chancellor-elect": "Chancellor-elect",
    "king": "King",
    "queen": "Queen",
    "emperor": "Emperor",
    "sultan": "Sultan",
    "emir": "Emir",
    "shah": "Shah",
    "prince": "Prince",
    "crown-prince": "Crown Prince",
    "grand-duke": "Grand Duke or Duchess",
    "regent": "Regent",
    "pope": "Pope",
    "governor-general": "Governor-General",
    "chairman": "Chairman",
    "general-secretary": "General Secretary",
    "general": "General",
    "junta-member": "Member of a junta",
    "secretary-of-state": "Secretary of State",
    "secretary-of-defense": "Secretary of Defense",
    "foreign-minister": "Foreign Minister",
    "defense-minister": "Defense Minister",
}

ALIASES = {
    "president": "president",
    "president of the republic": "president",
    "president elect": "president-elect",
    "president designate": "president-elect",
    "vice president": "vice-president",
    "head of state": "head-of-state",
    "chief of state": "head-of-state",
    "prime minister": "prime-minister",
    "prime minister elect": "prime-minister-elect",
    "taoiseach": "prime-minister",
    "president of the council of ministers": "prime-minister",
    "president of the government": "prime-minister",
    "deputy prime minister": "deputy-prime-minister",
    "premier": "premier",
    "vice premier": "vice-premier",
    "chancellor": "chancellor",
    "chancellor elect": "chancellor-elect",
    "king": "king",
    "queen": "queen",
    "emperor": "emperor",
    "empress": "emperor",
    "sultan": "sultan",
    "emir": "emir",
    "amir": "emir",
    "shah": "shah",
    "prince": "prince",
    "crown prince": "crown-prince",
    "grand duke": "grand-duke",
    "grand duchess": "grand-duke",
    "regent": "regent",
    "regent prince": "regent",
    "prince regent": "regent",
    "pope": "pope",
    "governor general": "governor-general",
    "chairman": "chairman",
    "chairman of the presidency": "chairman",
    "general secretary": "general-secretary",
    "first secretary": "general-secretary",
    "general": "general",
    "brigadier general": "general",
    "lieutenant general": "general",
    "major general": "general",
    "junta member": "junta-member",
    "secretary of state": "secretary-of-state",
    "us secretary of state": "secretary-of-state",
    "secretary of defense": "secretary-of-defense",
    "us secretary of defense": "secretary-of-defense",
    "defense secretary": "secretary-of-defense",
    "foreign minister": "foreign-minister",
    "foreign affairs minister": "foreign-minister",
    "minister of foreign affairs": "foreign-minister",
    "minister for foreign affairs": "foreign-minister",
    "minister of external affairs": "foreign-minister",
    "external affairs minister": "foreign-minister",
    "foreign secretary": "foreign-minister",
    "defense minister": "defense-minister",
    "defence minister": "defense-minister",
    "minister of defense": "defense-minister",
    "minister of defence": "defense-minister",
    "minister of national defense": "defense-minister",
    "minister of national defence": "defense-minister",
    "defence secretary": "defense-minister",
    "secretary of state for defence": "defense-minister",
}

QUALIFIERS = re.compile(r"^(?:the |acting |interim |provisional |caretaker |federal )+")
SECOND_OFFICE = re.compile(r"\s*(?:&|\band\b|-(?=[a-z]+$))\s*")
MINISTER_OF = re.compile(r"^minister (?:of|for) (?:the )?(.+)$")


def words(text):
    """Return the text lowercased, with punctuation other than hyphens as spaces and spaces collapsed."""
    text = text.lower().replace(".", "").replace("'", "")
    text = re.sub(r"-(elect|designate)\b", r" \1", text)
    return " ".join(re.sub(r"[^a-z0-9&\-]+", " ", text).split())


def office_of(text):
    """Return the vocabulary's Office for an office as written, or None for an empty text."""
    phrase = QUALIFIERS.sub("", words(text or ""))
    if not phrase:
        return None
    if phrase not in ALIASES:
        first, *second = SECOND_OFFICE.split(phrase, maxsplit=1)
        if second and first in ALIASES and second[0] in ALIASES:
            phrase = first
    if phrase in ALIASES:
        slug = ALIASES[phrase]
        return Office(slug, VOCABULARY[slug])
    if minister := MINISTER_OF.match(phrase):
        phrase = f"{minister.group(1)} minister"
    slug = slugify(phrase)
    return Office(slug, VOCABULARY.get(slug) or title_case(phrase))


SMALL_WORDS = {"and", "of", "for", "the", "on", "in", "to", "at"}


def title_case(phrase):
    """Return "energy and water minister" as "Energy and Water Minister"."""
    return " ".join(
        word if index and word in SMALL_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(phrase.split())
    )


def office_slug(text):
    """Return the slug of `office_of(text)`, or "" for an empty text."""
    office = office_of(text)
    return office.slug if office else ""


def name_of(slug):
    """Return the name of an office by its slug (one outside the vocabulary is named from its words)."""
    return VOCABULARY.get(slug) or title_case(slug.replace("-", " "))
