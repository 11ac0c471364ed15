"""A visit's values as its dataset records say them (no database access).

Shared by the importer (which writes visits that only records report, in
bulk) and `visits.loading.writer.recompute_visits` (which unites a visit's
article reports and records), so that both derive the same visit.
"""

from dataclasses import dataclass, field


@dataclass
class United:
    host_country: str = ""
    start: object = None
    end: object = None
    places: list = field(default_factory=list)
    summary: str = ""
    visitors: list = field(default_factory=list)  # official ids, in record order


def united_values(records):
    """Return what `records` (SourceRecords, each with `.official_ids`) say about their visit.

    The first record (lowest dataset and record id) gives the host country;
    the visit runs from the earliest start to the latest end; places and
    visitors are the union in record order; the summary joins the distinct
    remarks, so two records of one trip with different remarks keep both.
    """
    records = sorted(records, key=lambda r: (r.dataset, r.record_id))
    united = United()
    if not records:
        return united
    united.host_country = records[0].host_country
    united.start = min(r.start for r in records)
    united.end = max(r.end for r in records)
    remarks = []
    for record in records:
        united.places += [p for p in record.places if p not in united.places]
        united.visitors += [pk for pk in record.official_ids if pk not in united.visitors]
        if record.remarks and record.remarks not in remarks:
            remarks.append(record.remarks)
    united.summary = " ".join(remarks)
    return united
