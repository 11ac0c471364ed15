"""Import the Office of the Historian's records: officials, visits and their source records.

`import_paths(paths)` reads every XML file under the paths, then writes each
file in its own transaction: a file that fails changes nothing, the others
still import. Records are keyed by (dataset, record id), so importing the
same files twice equals importing them once.

For each record:

- People: a traveller is found by the dataset's own id for them (`who`,
  stored as an OfficialIdentifier), else by the name rule of
  `visits.hsg.people` among the officials of their country not already
  claimed by another traveller id, else created. A foreign visitor is found
  by the name rule among the officials of their country, else created. When
  a name could be several known officials and none has exactly that name, a
  new official is created and the summary says so. The import never renames
  or re-assigns an existing official.
- Duplicates: records of one dataset and file with the same person, the same
  start and end text, the same country id and the same locale report the
  same trip. All are kept; the lowest id is the primary, the others point
  to it (`duplicate_of`), and all report one visit.
- Visit: a record's visit is the one it reported before; else the visit
  whose slug is the record's (`hsg-secretary-3992`, stable across
  re-imports and edits of the data); else a visit some article reports with
  one of the record's people as visitor, in the same host country, at
  overlapping dates (so a trip is shown once, whatever its sources); else a
  new visit with that slug.
- The file's records are written, then every visit they report (or that
  removed records left) is united by `visits.refresh`, as after every write:
  a visit only records report takes its values from them, one an article
  also reports puts the articles first, and a visit an editor changed in the
  admin keeps the editor's values (records only add places and visitors).

A record the file gave before (same source path) and no longer holds was
removed upstream: it is deleted, and its visit recomputed (deleted if
nothing else reports it).

Writes are bulk: a file costs a fixed number of queries, whatever its size.
"""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import Q
from django_countries.fields import Country

from ..addresses import record_visit_slug
from ..bulk import StatisticsWhileGrowing, insert_history
from ..identity.keys import person_keys
from ..identity.resolver import Resolver
from ..models import Official, OfficialIdentifier, SourceRecord, SourceRecordOfficial, Visit
from ..offices import office_slug
from ..refresh import refresh
from ..uniting import VisitInputs, create_visits, recorded_values
from .people import PersonIndex, official_slug
from .reader import MalformedFile, Skip, load_root, read_file

CHANGE_REASON = "Imported from the Office of the Historian's data"
RECORD_FIELDS = [
    "visit_id",
    "person_key",
    "name",
    "country_id",
    "country_name",
    "country",
    "start_text",
    "end_text",
    "start",
    "end",
    "locale",
    "places",
    "remarks",
    "source_path",
    "duplicate_of_id",
]


def visit_slug(record):
    """Return the slug of the visit a record creates (`hsg-secretary-3992`: visits.addresses)."""
    return record_visit_slug(record.dataset, record.record_id)


@dataclass
class FileResult:
    """What importing one file did, or the error that stopped it."""

    path: str
    kind: str = ""
    error: str = ""
    counts: dict = field(default_factory=lambda: defaultdict(Counter))  # {dataset: Counter}
    skipped: list = field(default_factory=list)  # [Skip]
    duplicates: list = field(default_factory=list)  # [(dataset, duplicate id, primary id)]
    unmapped: dict = field(default_factory=dict)  # {country id: records}
    created_officials: set = field(default_factory=set)  # pks
    matched: set = field(default_factory=set)  # pks of known officials the file's records name
    visits: Counter = field(default_factory=Counter)  # created / updated / unchanged
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.error


@dataclass
class Run:
    """Every file's result, plus the files that were not records and the time taken."""

    results: list = field(default_factory=list)
    ignored: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    retired: list = field(default_factory=list)  # officials the judgements emptied, merged into who took their keys
    seconds: float = 0.0

    @property
    def failures(self):
        missing = [FileResult(str(path), error=f"{path}: no such file or folder") for path in self.missing]
        return [result for result in self.results if not result.ok] + missing


def find_xml_files(paths):
    """Return (XML files under `paths`, sorted and without repeats; paths that do not exist)."""
    files, missing, seen = [], [], set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.xml") if p.is_file())
        elif path.is_file():
            found = [path]
        else:
            missing.append(path)
            continue
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files, missing


def import_paths(paths, progress=None):
    """Import every XML file under `paths`; return a Run. `progress(number, total, path)` is called per file.

    The identity judgements in force (visits.identity) are read first: a
    broken judgements file raises JudgementsError before anything is written.
    """
    started = time.perf_counter()
    resolver = Resolver()
    statistics = StatisticsWhileGrowing()
    files, missing = find_xml_files(paths)
    run = Run(missing=missing)
    roots, presidents = {}, {}
    for path in files:
        try:
            roots[path] = load_root(path)
        except MalformedFile as error:
            run.results.append(FileResult(str(path), error=format_error(path, error)))
            continue
        if roots[path].tag == "presidents":
            presidents.update(read_file(path, root=roots[path]).presidents)
    for number, (path, root) in enumerate(roots.items(), start=1):
        if progress:
            progress(number, len(roots), path)
        parsed = read_file(path, presidents=presidents, root=root)
        if parsed.kind in ("presidents", "other"):
            if parsed.kind == "other":
                run.ignored.append((path, parsed.root))
            continue
        run.results.append(import_parsed(parsed, resolver))
        statistics.wrote()
    # The officials' names and review notes once, over everything the run touched, rather than per file.
    with transaction.atomic():
        run.retired = resolver.retire_emptied()
        touched = set().union(*(r.created_officials | r.matched for r in run.results if r.ok))
        refresh(officials=touched | set(run.retired) | set(resolver.merged_into.values()))
    run.seconds = time.perf_counter() - started
    return run


def format_error(path, error):
    return f"{path}:{error.line}: {error.message}" if error.line else f"{path}: {error.message}"


def import_parsed(parsed, resolver=None):
    """Write one parsed file in its own transaction; return its FileResult."""
    result = FileResult(str(parsed.path), kind=parsed.kind)
    result.skipped = list(parsed.skipped)
    result.unmapped = dict(parsed.unmapped)
    try:
        with transaction.atomic():
            FileImport(parsed, result, resolver or Resolver()).run()
    except DatabaseError as error:
        # Rolled back: nothing of the file was written, so nothing of it is counted.
        result = FileResult(str(parsed.path), kind=parsed.kind, error=f"{parsed.path}: not written: {error}")
    return result


class NewOfficial:
    """An official the file needs and the database does not have yet (a judgement may give its slug)."""

    def __init__(self, name, country, slug=""):
        self.name, self.country, self.slug, self.pk = name, country, slug, None


class FileImport:
    def __init__(self, parsed, result, resolver):
        self.parsed = parsed
        self.result = result
        self.resolver = resolver
        self.source_path = "/".join(parsed.path.parts[-2:])

    def run(self):
        records = self.unique_records()
        for skip in self.result.skipped:
            self.result.counts[skip.dataset]["skipped"] += 1
        left_visit_ids = self.delete_records_gone_from_the_file(records)
        visits, old_visit_ids, created = {}, set(), []
        if records:
            existing = self.existing_records(records)
            people = self.resolve_people(records, existing)
            primary_of = self.find_duplicates(records)
            visits, old_visit_ids = self.assign_visits(records, existing, people, primary_of)
            created = self.create_visits(records, people, visits)
            self.write_records(records, existing, people, visits, primary_of)
        reported = {visit.pk for visit in visits.values()}
        outcomes = refresh(reported | old_visit_ids | left_visit_ids, created=created, reason=CHANGE_REASON)
        # A visit a removed record left counts once, like the visits the file's records report.
        for visit_id in reported | left_visit_ids:
            self.result.visits[outcomes.get(visit_id, "deleted")] += 1

    def delete_records_gone_from_the_file(self, records):
        """Delete the records this file gave before and no longer holds; return the ids of their visits.

        The data is edited upstream: a record removed there must not live on
        here. A record the file still holds but now skips (a date that no
        longer parses) keeps what it was.
        """
        held = {(r.dataset, str(r.record_id)) for r in records}
        held |= {(skip.dataset, skip.record_id) for skip in self.result.skipped}
        gone = [
            record
            for record in SourceRecord.objects.filter(source_path=self.source_path).only(
                "dataset", "record_id", "visit"
            )
            if (record.dataset, str(record.record_id)) not in held
        ]
        SourceRecord.objects.filter(pk__in=[record.pk for record in gone]).delete()
        for record in gone:
            self.result.counts[record.dataset]["deleted"] += 1
        return {record.visit_id for record in gone}

    # Reading ------------------------------------------------------------

    def unique_records(self):
        """Return the file's records, skipping any whose id the file already used."""
        records, seen = [], set()
        for record in self.parsed.records:
            key = (record.dataset, record.record_id)
            if key in seen:
                self.result.skipped.append(Skip(record.dataset, str(record.record_id), "id repeated in the file"))
                continue
            seen.add(key)
            records.append(record)
        return records

    def existing_records(self, records):
        """Return {(dataset, record id): SourceRecord} for the file's records already imported."""
        ids = defaultdict(list)
        for record in records:
            ids[record.dataset].append(record.record_id)
        condition = Q()
        for dataset, record_ids in ids.items():
            condition |= Q(dataset=dataset, record_id__in=record_ids)
        return {
            (r.dataset, r.record_id): r
            for r in SourceRecord.objects.filter(condition).prefetch_related("person_entries")
        }

    # People -------------------------------------------------------------

    def resolve_people(self, records, existing):
        """Return {(dataset, record id): [official pk per person]}, creating the officials missing.

        A person the identity judgements declare is that person's official;
        otherwise the traveller id, the record's current person, then the name
        rule decide, never joining a person judged different. A reference is
        an Official's pk or a NewOfficial; the two never compare equal, so
        both serve as dictionary keys.
        """
        resolver = self.resolver
        index = PersonIndex()
        countries = {record.visitor_country for record in records}
        for pk, name, country in (
            Official.objects.filter(country__in=countries, merged_into__isnull=True)
            .order_by("pk")
            .values_list("pk", "name", "country")
        ):
            index.add(pk, name, country)
        identifiers = dict(
            OfficialIdentifier.objects.filter(scheme=OfficialIdentifier.Scheme.HSG_TRAVELLER).values_list(
                "value", "official_id"
            )
        )
        claimed = set(identifiers.values())  # officials another traveller id already names
        new_identifiers, refs, used = {}, {}, {}

        def make_new(declared, record, person):
            new = NewOfficial(declared.name or person.name, record.visitor_country, declared.slug)
            index.add(new, new.name, new.country)
            return new

        for record in records:
            before = existing.get((record.dataset, record.record_id))
            current = before.official_ids if before else []
            record_refs = []
            for position, person in enumerate(record.people):
                keys = person_keys(record, position, person)
                who = record.person_key
                declared = resolver.declared_person(keys)
                if declared is not None:
                    ref = resolver.declared_official(declared, lambda d, r=record, p=person: make_new(d, r, p))
                    if who:
                        identifiers[who] = new_identifiers[who] = ref
                elif who and who in identifiers:
                    ref = identifiers[who]
                else:
                    now = current[position] if position < len(current) else None
                    excluded = resolver.excluded(keys) | (claimed if who else set())
                    ref = self.match(index, record, person, now, excluded)
                    if who:
                        identifiers[who] = new_identifiers[who] = ref
                        claimed.add(ref)
                resolver.remember(keys, ref, declared)
                record_refs.append(ref)
                used[ref] = True
            refs[(record.dataset, record.record_id)] = record_refs
        self.create_officials([ref for ref in used if isinstance(ref, NewOfficial) and ref.pk is None])
        self.result.matched.update(ref for ref in used if not isinstance(ref, NewOfficial))
        resolver.save(pk_of)
        OfficialIdentifier.objects.bulk_create(
            [
                OfficialIdentifier(scheme=OfficialIdentifier.Scheme.HSG_TRAVELLER, value=key, official_id=pk_of(ref))
                for key, ref in new_identifiers.items()
            ],
            update_conflicts=True,
            unique_fields=["scheme", "value"],
            update_fields=["official"],
        )
        return {key: [pk_of(ref) for ref in record_refs] for key, record_refs in refs.items()}

    def match(self, index, record, person, current, claimed):
        """Return the known official `person` is (a pk), or a NewOfficial added to the index."""
        country = record.visitor_country
        candidates = [(ref, exact) for ref, exact in index.candidates(person.name, country) if ref not in claimed]
        refs = [ref for ref, _ in candidates]
        exact = [ref for ref, is_exact in candidates if is_exact]
        if current is not None and current in refs:
            return current  # a re-import keeps the person the record already names
        if exact:
            return exact[0]
        if len(refs) == 1:
            return refs[0]
        new = NewOfficial(person.name, country)
        if refs:
            known = " or ".join(repr(index.names[ref]) for ref in refs)
            self.result.warnings.append(
                f"{record.dataset} {record.record_id}: {person.name!r} ({country}) could be {known}, "
                "and none has exactly that name; created a new official"
            )
        index.add(new, person.name, country)
        return new

    def create_officials(self, new_officials):
        if not new_officials:
            return
        taken = set(Official.objects.values_list("slug", flat=True))
        objects = []
        for new in new_officials:
            base = new.slug or official_slug(new.name)
            slug, n = base, 1
            while slug in taken:
                n += 1
                slug = f"{base}-{new.country.lower()}" if n == 2 else f"{base}-{new.country.lower()}-{n - 1}"
            taken.add(slug)
            objects.append(Official(slug=slug, name=new.name, country=new.country))
        created = Official.objects.bulk_create(objects)
        insert_history(Official, created, "+", CHANGE_REASON)
        for new, official in zip(new_officials, created, strict=True):
            new.pk = official.pk
        self.result.created_officials.update(new.pk for new in new_officials)

    # Duplicates ---------------------------------------------------------

    def find_duplicates(self, records):
        """Return {(dataset, record id): primary record id} for every record (its own id if primary)."""
        groups = defaultdict(list)
        for record in records:
            groups[record.duplicate_key()].append(record)
        primary_of = {}
        for group in groups.values():
            group.sort(key=lambda r: r.record_id)
            for record in group:
                primary_of[(record.dataset, record.record_id)] = group[0].record_id
                if record is not group[0]:
                    self.result.duplicates.append((record.dataset, record.record_id, group[0].record_id))
        return primary_of

    # Visits -------------------------------------------------------------

    def assign_visits(self, records, existing, people, primary_of):
        """Return ({(dataset, record id): Visit}, ids of visits records moved away from)."""
        groups = defaultdict(list)
        for record in records:
            groups[(record.dataset, primary_of[(record.dataset, record.record_id)])].append(record)
        slugs = [visit_slug(group[0]) for group in groups.values()]
        wanted_ids = {r.visit_id for r in existing.values()}
        known = {v.pk: v for v in Visit.objects.filter(Q(pk__in=wanted_ids) | Q(slug__in=slugs))}
        by_slug = {v.slug: v for v in known.values()}
        reported = self.reported_visits(records)
        reported_ids = {visit.pk for visit, _ in reported}
        visits, old_visit_ids = {}, set()
        for group in groups.values():
            group.sort(key=lambda r: r.record_id)
            before = [existing[(r.dataset, r.record_id)] for r in group if (r.dataset, r.record_id) in existing]
            if before:
                visit = known[before[0].visit_id]
                # An article loaded since reports the trip: the record joins its visit, and the visit the
                # record alone made goes (its address leads to the article's: visits.addresses), unless an
                # editor changed it.
                if visit.pk not in reported_ids and visit.edited_at is None:
                    visit = self.reported_match(group, people, reported) or visit
            elif visit_slug(group[0]) in by_slug:
                visit = by_slug[visit_slug(group[0])]
            else:
                visit = self.reported_match(group, people, reported) or Visit(
                    slug=visit_slug(group[0]), host_country=group[0].host_country
                )
                by_slug[visit.slug] = visit
            for record in group:
                visits[(record.dataset, record.record_id)] = visit
            old_visit_ids.update(r.visit_id for r in before if r.visit_id != visit.pk)
        return visits, old_visit_ids

    def reported_visits(self, records):
        """Return the visits articles report that the file's records might be (host country and dates)."""
        hosts = {record.host_country for record in records}
        start = min(record.start for record in records)
        end = max(record.end for record in records)
        visits = Visit.objects.filter(
            pk__in=Visit.objects.filter(reports__isnull=False).values("pk"),
            host_country__in=hosts,
            start__lte=end,
            end__gte=start,
        ).prefetch_related("visitors")
        return [(visit, {o.pk for o in visit.visitors.all()}) for visit in visits.order_by("start", "pk")]

    @staticmethod
    def reported_match(group, people, reported):
        for visit, visitor_ids in reported:
            for record in group:
                if (
                    str(visit.host_country) == record.host_country
                    and visit.start <= record.end
                    and visit.end >= record.start
                    and visitor_ids & set(people[(record.dataset, record.record_id)])
                ):
                    return visit
        return None

    def create_visits(self, records, people, visits):
        """Create the new visits `assign_visits` made, from what their records say; return their ids."""
        records_of = defaultdict(list)
        for record in records:
            visit = visits[(record.dataset, record.record_id)]
            if visit.pk is None:
                records_of[id(visit)].append(RecordView(record, people[(record.dataset, record.record_id)]))
        new = {id(visit): visit for visit in visits.values() if visit.pk is None}
        create_visits(
            [(visit, VisitInputs.new(visit, recorded=recorded_values(records_of[key]))) for key, visit in new.items()]
        )
        return [visit.pk for visit in new.values()]

    # Records ------------------------------------------------------------

    def write_records(self, records, existing, people, visits, primary_of):
        """Create or update the SourceRecords and the people they name; count them."""
        ids = {key: record.pk for key, record in existing.items()}  # {(dataset, record id): pk}

        def values(record):
            key = (record.dataset, record.record_id)
            primary = (record.dataset, primary_of[key])
            return {
                "visit_id": visits[key].pk,
                "person_key": record.person_key,
                "name": record.name,
                "country_id": record.country_id,
                "country_name": record.country_name,
                "country": record.country,
                "start_text": record.start_text,
                "end_text": record.end_text,
                "start": record.start,
                "end": record.end,
                "locale": record.locale,
                "places": record.places,
                "remarks": record.remarks,
                "source_path": self.source_path,
                "duplicate_of_id": ids.get(primary) if primary != key else None,
            }

        def entries(record):
            key = (record.dataset, record.record_id)
            return [
                (pk, person.office, office_slug(person.office), record.visitor_country, person.name)
                for pk, person in zip(people[key], record.people, strict=True)
            ]

        # New records first, so that every duplicate can then point at its primary.
        created = [
            SourceRecord(dataset=r.dataset, record_id=r.record_id, **values(r))
            for r in records
            if (r.dataset, r.record_id) not in existing
        ]
        SourceRecord.objects.bulk_create(created)
        ids.update({(r.dataset, r.record_id): r.pk for r in created})
        to_update, replaced = [], {}
        by_key = {(r.dataset, r.record_id): r for r in records}
        for new in created:
            record = by_key[(new.dataset, new.record_id)]
            new.duplicate_of_id = values(record)["duplicate_of_id"]
            self.result.counts[new.dataset]["created"] += 1
            replaced[new.pk] = entries(record)
        late_duplicates = [new for new in created if new.duplicate_of_id]
        for key, before in existing.items():
            record = by_key[key]
            wanted = values(record)
            changed = [name for name in RECORD_FIELDS if comparable(getattr(before, name)) != wanted[name]]
            for name in changed:
                setattr(before, name, wanted[name])
            if changed:
                to_update.append(before)
            current = [
                (e.official_id, e.office, e.office_slug, str(e.country), e.name) for e in before.person_entries.all()
            ]
            if current != entries(record):
                replaced[before.pk] = entries(record)
            self.result.counts[record.dataset]["updated" if changed or before.pk in replaced else "unchanged"] += 1
        SourceRecord.objects.bulk_update(late_duplicates, ["duplicate_of"])
        SourceRecord.objects.bulk_update(to_update, RECORD_FIELDS)
        known_pks = {record.pk for record in existing.values()}
        SourceRecordOfficial.objects.filter(record_id__in=[pk for pk in replaced if pk in known_pks]).delete()
        SourceRecordOfficial.objects.bulk_create(
            SourceRecordOfficial(
                record_id=record_pk,
                official_id=pk,
                position=position,
                office=office,
                office_slug=slug,
                country=country,
                name=name,
            )
            for record_pk, rows in replaced.items()
            for position, (pk, office, slug, country, name) in enumerate(rows)
        )


class RecordView:
    """A parsed record as `recorded_values` reads it, with its people's official ids."""

    def __init__(self, record, official_ids):
        self.dataset = record.dataset
        self.record_id = record.record_id
        self.host_country = record.host_country
        self.start, self.end = record.start, record.end
        self.places, self.remarks = record.places, record.remarks
        self.official_ids = official_ids


def pk_of(ref):
    return ref.pk if isinstance(ref, NewOfficial) else ref


def comparable(value):
    """Return a field value as the parsed records give it (a Country as its code)."""
    return str(value) if isinstance(value, Country) else value
