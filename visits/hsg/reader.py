"""Read the Office of the Historian's XML files into plain records (no database).

A file is recognised by its root element, wherever it lies:

- `<trips>`: trips abroad, one `<trip role="president|secretary" who="...">`
  per country stop (`travels/president-travels/*.xml`, `secretary-travels/`);
- `<visits>`: visits to the U.S. by foreign leaders (`visits/data/<decade>.xml`);
- `<presidents>`: the list of presidents and their ids (`travels/presidents/`),
  used for a president's name when a trip leaves it out;
- anything else (`code-tables/`) holds no records and is ignored.

Dates. A date is `YYYY-MM-DD`, or partial: `YYYY-MM` or `YYYY` (a `00` month
or day counts as missing). The raw text is kept; the visit starts on the
earliest day the start date allows and ends on the latest day the end date
allows (`1866-08` to `1866-09` is 1 August to 30 September 1866). With no end
date, the end is the latest day of the start date (`1905` ends on 31
December 1905). A record whose start date is missing or not a date, whose end
date is not a date, or that ends before it starts, is skipped with that reason.
"""

import calendar
import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from .countries import country_code
from .people import Person, clean, parse_visitors

PRESIDENT_TRAVELS = "president-travels"
SECRETARY_TRAVELS = "secretary-travels"
FOREIGN_VISITS = "foreign-visits"
DATASET_OF_ROLE = {"president": PRESIDENT_TRAVELS, "secretary": SECRETARY_TRAVELS}
OFFICE_OF_ROLE = {"president": "President", "secretary": "Secretary of State"}

DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


class MalformedFile(Exception):
    """The file is not well-formed XML; `line` and `message` say where and why."""

    def __init__(self, line, message):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass
class Record:
    """One record as the file gives it, with the values derived from it."""

    dataset: str
    record_id: int
    people: list  # [Person]
    name: str
    person_key: str
    country_id: str
    country_name: str
    country: str
    start_text: str
    end_text: str
    start: datetime.date
    end: datetime.date
    locale: str
    places: list
    remarks: str

    @property
    def host_country(self):
        return "US" if self.dataset == FOREIGN_VISITS else self.country

    @property
    def visitor_country(self):
        return self.country if self.dataset == FOREIGN_VISITS else "US"

    def duplicate_key(self):
        """Return what two records of the same trip share: who, when, where, and what happened.

        Two records with the same person and dates but different remarks are
        two events (two visits), not one trip listed twice.
        """
        who = self.person_key or clean(self.name).casefold()
        what = clean(self.remarks).casefold()
        return (self.dataset, who, self.start_text, self.end_text, self.country_id, self.locale.casefold(), what)


@dataclass
class Skip:
    """A record left out, and why."""

    dataset: str
    record_id: str
    reason: str
    detail: str = ""


@dataclass
class ParsedFile:
    path: Path
    kind: str  # "travels", "visits", "presidents" or "other"
    root: str = ""
    records: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    presidents: dict = field(default_factory=dict)  # {who: name}
    unmapped: dict = field(default_factory=dict)  # {country id: number of records}


def load_root(path):
    """Return the root element of an XML file; raise MalformedFile if it is not well-formed."""
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as error:
        line = error.position[0] if error.position else None
        message = re.sub(r": line \d+, column \d+$", "", str(error))
        column = f" (column {error.position[1] + 1})" if error.position else ""
        raise MalformedFile(line, f"not well-formed XML: {message}{column}") from None
    except OSError as error:
        raise MalformedFile(None, f"cannot be read: {error.strerror or error}") from None


def read_file(path, presidents=None, root=None):
    """Return the ParsedFile for `path` (or its already loaded `root`); raise MalformedFile."""
    path = Path(path)
    root = load_root(path) if root is None else root
    kinds = {"trips": "travels", "visits": "visits", "presidents": "presidents"}
    parsed = ParsedFile(path=path, kind=kinds.get(root.tag, "other"), root=root.tag)
    if parsed.kind == "presidents":
        for president in root.iter("president"):
            key, name = clean(president.findtext("id")), clean(president.findtext("name"))
            if key and name:
                parsed.presidents[key] = name
    elif parsed.kind == "travels":
        for element in root.iter("trip"):
            add(parsed, read_trip(element, presidents or {}))
    elif parsed.kind == "visits":
        for element in root.iter("visit"):
            add(parsed, read_visit(element))
    return parsed


def add(parsed, result):
    if isinstance(result, Skip):
        parsed.skipped.append(result)
        if result.reason == "country id not mapped":
            parsed.unmapped[result.detail] = parsed.unmapped.get(result.detail, 0) + 1
    else:
        parsed.records.append(result)


def text_of(element, tag):
    return clean(element.findtext(tag))


def read_trip(element, presidents):
    role = clean(element.get("role") or element.findtext("role")).lower()
    record_id = text_of(element, "id")
    dataset = DATASET_OF_ROLE.get(role)
    if dataset is None:
        return Skip("travels", record_id or "?", "unknown role", role or "(none)")
    who = clean(element.get("who"))
    name = text_of(element, "name") or presidents.get(who, "")
    if not name:
        return Skip(dataset, record_id or "?", "no traveller named")
    country = element.find("country")
    return build(
        dataset,
        record_id,
        people=[Person(office=OFFICE_OF_ROLE[role], name=name)],
        name=name,
        person_key=who,
        country_element=country,
        start_text=text_of(element, "start-date"),
        end_text=text_of(element, "end-date"),
        locale=text_of(element, "locale"),
        remarks=text_of(element, "remarks"),
    )


def read_visit(element):
    record_id = text_of(element, "id")
    name = text_of(element, "visitor")
    people = parse_visitors(name)
    if not people:
        return Skip(FOREIGN_VISITS, record_id or "?", "no visitor named")
    return build(
        FOREIGN_VISITS,
        record_id,
        people=people,
        name=name,
        person_key="",
        country_element=element.find("from"),
        start_text=text_of(element, "start-date"),
        end_text=text_of(element, "end-date"),
        locale="",
        remarks=text_of(element, "description"),
    )


def build(dataset, record_id, *, people, name, person_key, country_element, start_text, end_text, locale, remarks):
    """Return a Record, or a Skip saying why the record cannot be one."""
    if not record_id.isdigit():
        return Skip(dataset, record_id or "?", "no numeric id", record_id)
    start_bounds = date_bounds(start_text)
    if start_bounds is None:
        return Skip(dataset, record_id, "no usable start date", start_text or "empty")
    end_bounds = date_bounds(end_text) if end_text else start_bounds
    if end_bounds is None:
        return Skip(dataset, record_id, "no usable end date", end_text)
    start, end = start_bounds[0], end_bounds[1]
    if end < start:
        return Skip(dataset, record_id, "ends before it starts", f"{start_text} to {end_text}")
    country_id = clean(country_element.get("id")) if country_element is not None else ""
    country_name = clean(country_element.text) if country_element is not None else ""
    if not country_id:
        return Skip(dataset, record_id, "no country id")
    code = country_code(country_id, start)
    if code is None:
        return Skip(dataset, record_id, "country id not mapped", country_id)
    return Record(
        dataset=dataset,
        record_id=int(record_id),
        people=people,
        name=name,
        person_key=person_key,
        country_id=country_id,
        country_name=country_name,
        country=code,
        start_text=start_text,
        end_text=end_text,
        start=start,
        end=end,
        locale=locale,
        places=split_places(locale),
        remarks=remarks,
    )


def date_bounds(text):
    """Return (earliest, latest) dates a full or partial ISO date allows, or None."""
    match = DATE.match(text or "")
    if not match:
        return None
    year, month, day = (int(part) if part and int(part) else None for part in match.groups())
    if year is None or (day and not month):
        return None
    try:
        if month and day:
            date = datetime.date(year, month, day)
            return date, date
        if month:
            return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:
        return None


ABBREVIATION = re.compile(r"^(?:[A-Z]\.){1,3}$")  # "D.F." in "Mexico, D.F., Puebla"


def split_places(locale):
    """Return the places of a locale: split at commas and semicolons outside parentheses.

    An abbreviation ("Mexico, D.F.") stays with the place before it.
    """
    places, depth, current = [], 0, ""
    for char in locale:
        depth += (char == "(") - (char == ")")
        if char in ",;" and depth == 0:
            places.append(current)
            current = ""
        else:
            current += char
    places.append(current)
    result = []
    for place in (clean(p) for p in places):
        if not place:
            continue
        if result and ABBREVIATION.match(place):
            result[-1] += f", {place}"
        elif place not in result:
            result.append(place)
    return result
