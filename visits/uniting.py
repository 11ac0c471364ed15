"""A visit unites its reports and dataset records: `unite` says how, `unite_visits` writes it.

This is the one writer of a visit's own columns (host country, dates,
places, summary) and lists (visitors, hosts, topics). The loader, the Office
of the Historian importer and the admin write only their source rows (an
article's VisitReport, a SourceRecord, an editor's change marked
`edited_at`); `visits.refresh`, which every write path ends in, then calls
`unite_visits` on the visits they touched. New visits are created here too
(`create_visits`), from what their first report or records say.

`unite` is a pure function over `VisitInputs`, so the loader can tell,
without writing anything, whether a file changes what a visit shows (its
"updated"/"unchanged" count), and `unite_visits` derives exactly the same
values when it writes them. Officials and topics are opaque keys (ids in
the database, or the loader's keys for rows not yet written).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from simple_history.models import HistoricalRecords

from .bulk import insert_history, insert_rows
from .models import Meeting, SourceRecord, Visit, VisitReport

LIST_FIELDS = ("visitors", "hosts", "topics")
UNITED_FIELDS = ["host_country", "start", "end", "places", "summary"]


@dataclass
class ReportInput:
    """What one article's report of a visit contributes (ordered as the reports were written)."""

    article: object  # the article's key: its id, or the Article being written
    source: str  # the article's file, for messages naming it
    host_country: str
    start: object
    end: object
    places: list
    summary: str
    visitors: set
    hosts: set
    topics: set


@dataclass
class Recorded:
    """What a visit's dataset records say about it (see `recorded_values`)."""

    host_country: str = ""
    start: object = None
    end: object = None
    places: list = field(default_factory=list)
    summary: str = ""
    visitors: list = field(default_factory=list)  # official ids, in record order


def recorded_values(records):
    """Return what `records` (SourceRecords, or objects like them with `.official_ids`) say about their visit.

    The first record (lowest dataset and record id) gives the host country;
    the visit runs from the earliest start to the latest end; places and
    visitors are the union in record order; the summary joins the distinct
    remarks, so two records of one trip with different remarks keep both.
    """
    records = sorted(records, key=lambda r: (r.dataset, r.record_id))
    recorded = Recorded()
    if not records:
        return recorded
    recorded.host_country = records[0].host_country
    recorded.start = min(r.start for r in records)
    recorded.end = max(r.end for r in records)
    remarks = []
    for record in records:
        recorded.places += [p for p in record.places if p not in recorded.places]
        recorded.visitors += [pk for pk in record.official_ids if pk not in recorded.visitors]
        if record.remarks and record.remarks not in remarks:
            remarks.append(record.remarks)
    recorded.summary = " ".join(remarks)
    return recorded


@dataclass
class VisitInputs:
    """Everything a visit's united values are derived from."""

    visit: Visit
    lists: dict  # the visit's current {"visitors"|"hosts"|"topics": set of keys}; an edited visit keeps them
    reports: list = field(default_factory=list)  # ReportInput, in the order they were written
    meeting_dates: list = field(default_factory=list)  # [(article key, date or None)]
    recorded: Recorded | None = None  # what its dataset records say, if it has any

    @classmethod
    def new(cls, visit, recorded=None):
        """Inputs of a visit not written yet: no lists, no reports (the caller adds them)."""
        return cls(visit=visit, lists={name: set() for name in LIST_FIELDS}, recorded=recorded)

    def forget(self, article):
        self.reports = [r for r in self.reports if r.article != article]
        self.meeting_dates = [m for m in self.meeting_dates if m[0] != article]


@dataclass
class UnitedVisit:
    host_country: str
    start: object
    end: object
    places: list
    summary: str
    visitors: set
    hosts: set
    topics: set

    def state(self):
        """What the visit shows, for telling whether a write changed it."""
        return (
            str(self.host_country),
            self.start,
            self.end,
            self.places,
            self.summary,
            self.visitors,
            self.hosts,
            self.topics,
        )


def unite(inputs):
    """Return the UnitedVisit `inputs` make, or None when nothing reports the visit any more.

    Articles come first: the first report gives the host country and the
    start (later reports must agree, the loader checks), the first summary
    stated is the summary, and with no end stated the visit lasts until its
    last reported meeting (or record). Records add their people and places;
    a visit no article reports takes its country, dates and summary from its
    records. A visit an editor changed keeps the editor's values; what its
    reports and records say is added to its lists, never taken away.
    """
    visit, reports = inputs.visit, inputs.reports
    edited = visit.edited_at is not None
    if not reports and inputs.recorded is None and not edited:
        return None
    recorded = inputs.recorded or Recorded()
    places = list(visit.places) if edited else []
    lists = {name: set(inputs.lists[name]) if edited else set() for name in LIST_FIELDS}
    for report in reports:
        places += [p for p in report.places if p not in places]
        for name in LIST_FIELDS:
            lists[name] |= getattr(report, name)
    places += [p for p in recorded.places if p not in places]
    lists["visitors"] |= set(recorded.visitors)
    if edited:
        host_country, start, end, summary = visit.host_country, visit.start, visit.end, visit.summary
    elif reports:
        host_country, start = reports[0].host_country, reports[0].start
        summary = next((r.summary for r in reports if r.summary), recorded.summary)
        explicit_ends = [r.end for r in reports if r.end]
        meeting_dates = [date for _, date in inputs.meeting_dates if date]
        record_ends = [recorded.end] if inputs.recorded is not None else []
        end = explicit_ends[0] if explicit_ends else max([start, *meeting_dates, *record_ends])
    else:
        host_country, start, end, summary = recorded.host_country, recorded.start, recorded.end, recorded.summary
    return UnitedVisit(host_country, start, end, places, summary, **lists)


def source_name(article):
    return article.source_path or f"article {article.slug}"


def visit_inputs(visits):
    """Return {visit id: VisitInputs} for `visits` (a Visit queryset), in a constant number of queries.

    Plain value rows, not model instances: a batch of loaded files unites
    hundreds of visits, each with its reports and their lists.
    """
    visits = {visit.pk: visit for visit in visits.defer("search_document", "search_vector")}
    ids = list(visits)
    inputs = {pk: VisitInputs(visit=visit, lists={name: set() for name in LIST_FIELDS}) for pk, visit in visits.items()}
    for name in LIST_FIELDS:
        descriptor = getattr(Visit, name)
        target = descriptor.field.m2m_reverse_field_name()
        for visit_id, pk in descriptor.through.objects.filter(visit_id__in=ids).values_list("visit_id", f"{target}_id"):
            inputs[visit_id].lists[name].add(pk)
    reports = {}
    for pk, visit_id, article_id, host_country, start, end, places, summary, slug, path in (
        VisitReport.objects.filter(visit_id__in=ids)
        .order_by("pk")
        .values_list(
            "pk",
            "visit_id",
            "article_id",
            "host_country",
            "start",
            "end",
            "places",
            "summary",
            "article__slug",
            "article__source_path",
        )
    ):
        report = ReportInput(
            article_id, path or f"article {slug}", host_country, start, end, places, summary, set(), set(), set()
        )
        reports[pk] = report
        inputs[visit_id].reports.append(report)
    for name in LIST_FIELDS:
        descriptor = getattr(VisitReport, name)
        target = descriptor.field.m2m_reverse_field_name()
        for report_id, pk in descriptor.through.objects.filter(visitreport__visit_id__in=ids).values_list(
            "visitreport_id", f"{target}_id"
        ):
            getattr(reports[report_id], name).add(pk)
    for visit_id, article_id, date in Meeting.objects.filter(visit_id__in=ids).values_list(
        "visit_id", "article_id", "date"
    ):
        inputs[visit_id].meeting_dates.append((article_id, date))
    records = defaultdict(list)
    for record in SourceRecord.objects.filter(visit_id__in=ids).prefetch_related("person_entries"):
        records[record.visit_id].append(record)
    for visit_id, visit_records in records.items():
        inputs[visit_id].recorded = recorded_values(visit_records)
    return inputs


def create_visits(pending):
    """Insert new visits [(Visit, VisitInputs)] with the columns their inputs unite to; set their ids.

    Their lists are written by `unite_visits`, once their reports or records
    (which refer to the new ids) are written too.
    """
    visits = []
    for visit, inputs in pending:
        united = unite(inputs)
        for name in UNITED_FIELDS:
            setattr(visit, name, getattr(united, name))
        visits.append(visit)
    Visit.objects.bulk_create(visits)


def unite_visits(visit_ids, *, created=(), reason=""):
    """Make each visit what `unite` says; delete visits nothing reports any more.

    Return {visit id: "created" | "updated" | "unchanged" | "deleted"}
    (`created`: the ids `create_visits` just inserted). Writes in bulk
    whatever many visits there are: one query per through table to take rows
    away and one to add them, one update of the visits' columns, and one
    history record per created or changed visit (with its lists), so that an
    editor's later change is diffed against what the sources made of it.
    """
    created = set(created)
    inputs = visit_inputs(Visit.objects.filter(pk__in=set(visit_ids)))
    outcomes, changed, recorded = {}, [], []
    to_add, to_remove = defaultdict(list), defaultdict(list)
    for visit_id, visit_input in inputs.items():
        visit = visit_input.visit
        united = unite(visit_input)
        if united is None:
            visit.delete()
            outcomes[visit_id] = "deleted"
            continue
        columns_changed = any(getattr(visit, name) != getattr(united, name) for name in UNITED_FIELDS)
        if columns_changed:
            for name in UNITED_FIELDS:
                setattr(visit, name, getattr(united, name))
            changed.append(visit)
        lists_changed = False
        for name in LIST_FIELDS:
            wanted, current = getattr(united, name), visit_input.lists[name]
            to_add[name] += [(visit_id, pk) for pk in wanted - current]
            to_remove[name] += [(visit_id, pk) for pk in current - wanted]
            lists_changed |= wanted != current
        if visit_id in created:
            outcomes[visit_id] = "created"
        else:
            outcomes[visit_id] = "updated" if columns_changed or lists_changed else "unchanged"
        if outcomes[visit_id] != "unchanged":
            recorded.append(visit)
    for name in LIST_FIELDS:
        descriptor = getattr(Visit, name)
        through, target = descriptor.through, descriptor.field.m2m_reverse_field_name()
        for visit_id, pks in group(to_remove[name]).items():
            through.objects.filter(visit_id=visit_id, **{f"{target}_id__in": pks}).delete()
        insert_rows(through, ("visit", target), to_add[name])
    Visit.objects.bulk_update(changed, UNITED_FIELDS, batch_size=500)
    record_history([v for v in recorded if v.pk in created], "+", reason)
    record_history([v for v in recorded if v.pk not in created], "~", reason)
    return outcomes


def group(pairs):
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


def record_history(visits, history_type, reason=""):
    """Write one history record per visit, with its lists as they are now (what a save() would record)."""
    if not visits:
        return
    by_visit = {row.id: row for row in insert_history(Visit, visits, history_type, reason)}
    for name in LIST_FIELDS:
        descriptor = getattr(Visit, name)
        through, target = descriptor.through, descriptor.field.m2m_reverse_field_name()
        history_model = HistoricalRecords.m2m_models[Visit._meta.get_field(name)]
        rows = through.objects.filter(visit_id__in=list(by_visit)).values_list("pk", "visit_id", f"{target}_id")
        insert_rows(
            history_model,
            ("history", "id", "visit", target),
            [(by_visit[visit_id].pk, pk, visit_id, target_id) for pk, visit_id, target_id in rows],
        )
