"""People an article names: the officials the database knows, and new ones from their titles.

`find_people(text, gazetteer)` returns the people of an article, each with
their name, country, role as the article writes it, the ways the article
names them (`mentions`, only forms that occur in the text) and the
evidence for them. A person is found

- by title: "Defense Minister Benny Gantz", "US Defense Secretary Lloyd
  Austin" (the country from the words before the title), "Israel's defense
  minister, Benny Gantz", "Benny Gantz, Israel's defense minister";
- by name, when the database knows the name (an official's name or one of
  its variants, `OfficialName`): then the database's slug, name and country
  are used, so the draft never contradicts what is loaded.

A title followed by one word ("Minister Gantz") names someone found by their
full name elsewhere; alone it is not enough to make a person (royal titles
aside: "King Abdullah II"). A surname is a mention only when one person of
the article bears it.
"""

import re
from dataclasses import dataclass, field

from ..names import name_key, official_slug, search_form
from .countries import ADJECTIVES, find_countries, table

DOMAINS = (
    r"Foreign|Defen[cs]e|Finance|Trade|Interior|Economy|Economic|Energy|Health|Justice|Education|Environment"
    r"|Agriculture|Transport|Industry|Culture|Tourism|Home|Labou?r|Development|Climate|Commerce|Digital|Science"
    r"|Water|Fisheries|Security|Intelligence|Strategic Affairs|Foreign Affairs|European Affairs|Regional Cooperation"
    r"|Diaspora|Cooperation|Infrastructure|Investment|Planning|Treasury|Armed Forces|National Defen[cs]e"
    r"|External Affairs|Foreign and Diaspora Affairs|International Cooperation|Foreign Trade|Trade and Industry"
    r"|Home Affairs|Internal Affairs|Economic Affairs|Legal Affairs|Veterans Affairs|Public Security"
)
# Longest first: "Foreign Affairs" before "Foreign", or "Affairs" would be read as a name.
DOMAINS = "|".join(sorted(DOMAINS.split("|"), key=len, reverse=True))
# Words of respect before a name, not part of it: "Ratu Peni Vakaloloma", "Sayyid Fahd bin Said al-Busaidi".
HONORIFIC = re.compile(r"^(?:Sayyid|Sayed|Ratu|Sir|Dame|Lord|Lady|Tun|Datuk|Dato'?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+")
MODIFIERS = r"(?:(?:Deputy|Vice|Acting|Interim|First|Senior|State|Chief|Junior)\s+)"
TITLE = (
    rf"{MODIFIERS}*(?:(?:{DOMAINS})\s+)?"
    r"(?:Prime Minister|President|Premier|Chancellor|King|Queen|Emir|Sultan|Crown Prince|Prince|Pope"
    r"|Secretary of State|Secretary of Defen[cs]e|Secretary-General|Secretary General"
    rf"|(?:Minister|Secretary|Cabinet Secretary|Secretary of State) (?:of|for) (?:the )?(?:{DOMAINS})"
    r"|Ambassador|Special Envoy|Envoy|Senator|Governor|Mayor|Speaker|General|Gen\.|Admiral|Chief of Staff"
    r"|National Security Advis[eo]r|Minister|Secretary|Chairman|Chairwoman|Commissioner|High Representative"
    r"|Taoiseach|Sheikh|Foreign Secretary|Home Secretary)"
)
LOWER_TITLE = (
    r"(?:(?:deputy|vice|acting|interim|senior)\s+)?"
    r"(?:(?:foreign affairs|foreign|defen[cs]e|finance|trade|interior|economy|energy|health|home|commerce|industry"
    r"|agriculture|environment|climate|culture|education|justice|transport|development|fisheries)\s+)?"
    r"(?:prime minister|president|minister|secretary of state|secretary|chancellor|premier|foreign secretary"
    r"|ambassador|envoy|king|queen|emir|crown prince|counterpart)"
)
ROYAL = {"King", "Queen", "Emir", "Sultan", "Prince", "Crown Prince", "Pope", "Sheikh"}
PARTICLE = r"(?:bin|ibn|bint|al|el|de|da|di|van|von|der|den|le|la|du|dos|das|del|Al|El|Abu|Abdel|Abdul|Bin|Ibn|Ben)"
# A word of a name: "Gantz", "Ji-won", "O'Brien", and "al-Otaibi", "el-Sayed".
WORD = r"(?:(?:al|el)-)?[A-Z][\w'’-]*[\w]"
NAME = rf"{WORD}(?:\s+(?:{PARTICLE}\s+){{0,2}}{WORD}){{0,3}}(?:\s+(?:Jr\.|Sr\.|II|III|IV))?"
# Capitalised words that begin sentences or name days: never the first word of a person's name.
NOT_NAMES = frozenset(
    """On In The A An At After Before During Following Speaking Asked But And He She It They We This That
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December Both While When Earlier Later Meanwhile However Also
    Affairs Ministry Government Office Council House Palace Parliament Assembly""".split()  # noqa: SIM905
)

TITLED = re.compile(rf"(?P<title>{TITLE})\s+(?P<name>{NAME})")
COUNTRY_WORDS = "|".join(re.escape(p) for p in sorted(table(), key=len, reverse=True))
# "Israel's defense minister, Benny Gantz" and "the Israeli foreign minister, Ola Berg".
ROLE_BEFORE = re.compile(
    rf"(?:(?P<country>{COUNTRY_WORDS})['’]s|(?:the\s+|his\s+|her\s+)?(?P<adjective>{COUNTRY_WORDS}))\s+"
    rf"(?P<role>{LOWER_TITLE}|{TITLE})(?:\s+to\s+(?:the\s+)?(?:{COUNTRY_WORDS}))?(?:,\s+|(?<=counterpart)\s+)"
    rf"(?:(?P<title>{TITLE})\s+)?(?P<name>{NAME})"
)
# "Piotr Kowal, an opposition member of parliament", "Vo Thi Hoa, the chairwoman of ...": no country said.
# "the Foreign Secretary, James Whitfield": a title with no country, the country from the context.
THE_TITLE = re.compile(rf"\b(?:the|his|her|their)\s+(?P<role>{TITLE}),\s+(?P<name>{NAME})")
ROLE_APPOSITION = re.compile(
    rf"(?P<name>{NAME}),\s+(?:an?|the)\s+(?P<role>(?:[a-z-]+\s+){{0,3}}?(?:member of parliament|lawmaker|senator"
    r"|spokesman|spokeswoman|spokesperson|chairwoman|chairman|chairperson|mayor|governor|adviser|advisor|minister"
    r"|ambassador|envoy|negotiator|secretary|leader|head))\b"
)
# "Egyptian presidential spokesman Ahmed Fathi": an office in lower case between the country and the name.
ROLE_WORDS = re.compile(
    rf"(?P<adjective>{'|'.join(re.escape(a) for a in sorted(ADJECTIVES, key=len, reverse=True))})\s+"
    r"(?P<role>(?:[a-z]+\s+){0,2}(?:spokesman|spokeswoman|spokesperson|minister|ambassador|envoy|negotiator"
    r"|adviser|advisor|president|premier|chancellor|secretary|official|diplomat))\s+"
    rf"(?P<name>{NAME})"
)
# "King Sverre of Norway": a monarch's country after the name.
OF_COUNTRY = re.compile(rf"\s+of\s+(?:the\s+)?(?P<country>{COUNTRY_WORDS})\b")
# "Benny Gantz, Israel's defense minister" and "Ola Berg, the Norwegian foreign minister".
ROLE_AFTER = re.compile(
    rf"(?P<name>{NAME}),\s+(?:the\s+)?(?:(?P<country>{COUNTRY_WORDS})['’]s\s+|(?P<adjective>{COUNTRY_WORDS})\s+)"
    rf"(?P<role>{LOWER_TITLE}|{TITLE})\b"
)
NAME_SEQUENCE = re.compile(rf"{WORD}(?:\s+(?:{PARTICLE}\s+)?{WORD})+")
POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class KnownOfficial:
    slug: str
    name: str
    country: str
    role: str = ""


class Gazetteer:
    """The officials the database knows, by every name they are known by (folded)."""

    def __init__(self, officials=(), names=None):
        self.officials = {o.slug: o for o in officials}
        self.by_name = {}
        for official in officials:
            self.by_name.setdefault(search_form(official.name), set()).add(official.slug)
        for folded, slug in names or ():
            if slug in self.officials:
                self.by_name.setdefault(folded, set()).add(slug)

    @classmethod
    def from_database(cls):
        """Return the gazetteer of the officials in the database (merged ones left out), with their latest role."""
        from ..models import ArticleOfficial, Official, OfficialName

        roles = dict(
            ArticleOfficial.objects.order_by("official_id", "article__published").values_list("official__slug", "role")
        )
        officials = [
            KnownOfficial(slug, name, str(country), roles.get(slug, ""))
            for slug, name, country in Official.objects.filter(merged_into=None).values_list("slug", "name", "country")
        ]
        names = OfficialName.objects.filter(official__merged_into=None).values_list("folded", "official__slug")
        return cls(officials, names)

    def lookup(self, name):
        """Return the one known official called `name`, or None (unknown, or several people by that name)."""
        slugs = self.by_name.get(search_form(name), ())
        return self.officials[next(iter(slugs))] if len(slugs) == 1 else None


@dataclass
class Person:
    slug: str
    name: str
    country: str | None
    role: str | None
    known: bool = False
    phrases: list = field(default_factory=list)  # the phrases that named them with their title
    evidence: str = ""
    first: int = 0  # where the article first names them
    notes: list = field(default_factory=list)  # why the reviewer should look
    mentions: list = field(default_factory=list)

    @property
    def surname(self):
        words = self.name.split()
        if len(words) > 1 and words[-1] in ("Jr.", "Sr.", "II", "III", "IV"):
            words = words[:-1]
        if len(words) < 2:
            return None
        # "van der Meer", "de la Cruz": the particles belong to the surname.
        first = len(words) - 1
        while first > 1 and re.fullmatch(PARTICLE, words[first - 1]):
            first -= 1
        return " ".join(words[first:])


def clean_name(name):
    """Return a name match without a possessive ending ("Biden’s" -> "Biden")."""
    return POSSESSIVE.sub("", name.strip()) if re.search(r"['’]s?$", name) else name.strip()


def title_case(role):
    return " ".join(w if w in ("of", "for", "the") else w[:1].upper() + w[1:] for w in role.split())


def country_before(text, start, country_mentions):
    """Return the country named just before `start` ("US ", "Israel's ", "his Israeli counterpart, "), or None."""
    for mention in reversed(country_mentions):
        if mention.end > start:
            continue
        if start - mention.end > 40:
            return None
        between = text[mention.end : start]
        if re.fullmatch(r"(?:['’]s)?\s+(?:[a-z]+\s+){0,2}(?:counterpart,\s+|[a-z]+,\s+)?", between):
            return mention.code, mention.start
        return None
    return None


def phrase_start(text, title_start, country):
    """Return where the titled phrase starts: at a capitalised country word right before the title ("US")."""
    if country and text[country[1] : title_start].strip() and re.fullmatch(r"\S+\s+", text[country[1] : title_start]):
        word = text[country[1] : title_start].strip()
        if word[:1].isupper() and word in table() and table()[word][1] != "city":
            return country[1]
    return title_start


def find_people(text, gazetteer=None):
    """Return the people `text` names, in the order it first names them (see the module docstring)."""
    gazetteer = gazetteer or Gazetteer()
    country_mentions = find_countries(text)
    people = {}  # slug -> Person
    surname_titles = []  # (title, surname, start, end): "Minister Gantz"

    def add(name, country, role, phrase, start, evidence, note=None, mononym=False):
        name = HONORIFIC.sub("", clean_name(name))
        words = name.split()
        if not words or words[0] in NOT_NAMES or (len(words) == 1 and role not in ROYAL and not mononym):
            return None
        known = gazetteer.lookup(name)
        if known is None and len(words) == 1 and role not in ROYAL and not mononym:
            return None
        if len(words) == 1:
            # "Sheikh Jassim" after "Sheikh Jassim bin Hamad Al Thani": the same person.
            bearer = next((p for p in people.values() if words[0] in p.name.split()), None)
            if bearer:
                if phrase and phrase not in bearer.phrases:
                    bearer.phrases.append(phrase)
                return bearer
        slug = known.slug if known else official_slug(name)
        person = people.get(slug) or next((p for p in people.values() if same_name(p.name, name)), None)
        if person is None:
            person = Person(slug, name, country, role, first=start, evidence=evidence)
            if known:
                person.name, person.country, person.known = known.name, known.country, True
                if not role:
                    person.role = known.role or None
            people[slug] = person
        else:
            person.first = min(person.first, start)
            if not person.role and role:
                person.role = role
            if not person.country and country and not person.known:
                person.country = country
        if known and country and country != known.country:
            person.notes.append(f"the text says {country}, the database {known.country}")
        if phrase and phrase not in person.phrases:
            person.phrases.append(phrase)
        if note:
            person.notes.append(note)
        return person

    for match in TITLED.finditer(text):
        title, name = match.group("title"), clean_name(match.group("name"))
        # A title's first word may be the last of a name before it: "Defense Minister" is not "Minister".
        if len(name.split()) == 1 and title not in ROYAL:
            surname_titles.append((title, name, match.start(), match.start() + len(title) + 1 + len(name)))
            continue
        country = country_before(text, match.start(), country_mentions)
        after = OF_COUNTRY.match(text, match.start("name") + len(name))
        if title in ROYAL and after:
            country = (table()[after.group("country")][0], match.start())
            name_end = after.end()
            phrase = text[match.start() : name_end]
            add(name, country[0], title, phrase, match.start(), phrase)
            continue
        if after and not country:  # "Chancellor Katrin Vogel of Germany"
            country = (table()[after.group("country")][0], match.start())
        start = phrase_start(text, match.start(), country)
        phrase = text[start : match.start("name") + len(name)]
        add(name, country[0] if country else None, title, phrase, start, phrase)
    for pattern in (ROLE_BEFORE, ROLE_AFTER, ROLE_WORDS, ROLE_APPOSITION, THE_TITLE):
        for match in pattern.finditer(text):
            word = match.groupdict().get("country") or match.groupdict().get("adjective")
            code = table()[word][0] if word else None
            role = match.group("role")
            role = None if role == "counterpart" else (role if role[:1].isupper() else title_case(role))
            evidence = match.group().rstrip(", ")
            name = clean_name(match.group("name"))
            if pattern is not ROLE_BEFORE and len(name.split()) < 2:
                continue
            phrase = match.group() if pattern is ROLE_WORDS else None
            if match.groupdict().get("title"):
                phrase = text[match.start("title") : match.start("name") + len(name)]
                role = role or match.group("title")
            add(name, code, role, phrase, match.start(), evidence)
    # Names the database knows, however the article introduces them.
    if gazetteer.by_name:
        for match in NAME_SEQUENCE.finditer(text):
            words = match.group().split()
            for size in range(len(words), 1, -1):
                found = False
                for first in range(0, len(words) - size + 1):
                    candidate = clean_name(" ".join(words[first : first + size]))
                    if gazetteer.lookup(candidate):
                        offset = match.start() + match.group().find(words[first])
                        add(candidate, None, None, None, offset, candidate)
                        found = True
                        break
                if found:
                    break
    # "President Suharyanto": one name after a title, and nobody else of the article bears it.
    for title, name, start, end in surname_titles:
        taken = any(name in p.name.split() or name == p.surname for p in people.values())
        if not taken and name not in NOT_NAMES and name not in table():
            add(name, None, title, text[start:end], start, text[start:end], mononym=True)
    ordered = sorted(people.values(), key=lambda p: p.first)
    fill_mentions(text, ordered, surname_titles)
    return ordered


def same_name(a, b):
    key_a, key_b = name_key(a), name_key(b)
    return key_a.full == key_b.full


def fill_mentions(text, people, surname_titles):
    """Set each person's mentions: their titled phrases, name, "Title Surname" forms and surname, where they occur."""
    surnames = {}
    for person in people:
        if person.surname:
            surnames.setdefault(person.surname, []).append(person)
    for person in people:
        forms = list(person.phrases)
        if occurs(text, person.name):
            forms.append(person.name)
        shared = len(surnames.get(person.surname, ())) > 1
        if person.surname and not shared:
            for title, surname, _, _ in surname_titles:
                if surname == person.surname and f"{title} {surname}" not in forms:
                    forms.append(f"{title} {surname}")
            if occurs(text, person.surname):
                forms.append(person.surname)
            capital = person.surname[:1].upper() + person.surname[1:]
            if capital != person.surname and occurs(text, capital):
                forms.append(capital)  # "Van der Meer’s visit", "Al-Otaibi said"
        elif shared:
            person.notes.append(f"another person of the article is also called {person.surname}")
        # A name's other words, when the article names them alone ("Dawit", "Han", "Duc"): family name first, or
        # a first name used as the name.
        for word in person.name.split()[:-1] if len(person.name.split()) > 1 else ():
            if word in NOT_NAMES or word in table() or re.fullmatch(PARTICLE, word) or len(word) < 3:
                continue
            others = [p for p in people if p is not person and word in p.name.split()]
            if not others and alone(text, word, person.name):
                forms.append(word)
        person.mentions = [form for form in dict.fromkeys(forms) if occurs(text, form)]
        if not person.mentions:
            person.mentions = [person.name]


def alone(text, word, name):
    """Return True if `word` occurs in `text` outside the occurrences of `name` and of longer capitalised names."""
    for match in re.finditer(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text):
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 40]
        if re.search(r"[A-Z][\w-]*\s+$", before) or re.match(r"\s+[A-Z]", after):
            continue  # part of a longer name: "Han Ji-won", "Dawit Bekele"
        return True
    return False


def occurs(text, phrase):
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None
