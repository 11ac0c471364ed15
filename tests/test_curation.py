"""Identity curation (visits.curation): merge, undo, split, the review queue and the judgements they leave.

The people here are built with the factories (Jordan's kings and crown
prince, written several ways) or imported from a small Office of the
Historian file written in each test's folder; the shipped judgements file
is replaced by an empty one, so that only what the tests judge applies.
"""

import datetime
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from visits.caching import current_version
from visits.curation.candidates import find
from visits.curation.merging import CurationError, merge, split, undo
from visits.models import (
    ArticleOfficial,
    DuplicateCandidate,
    IdentityJudgement,
    IdentityKey,
    Mention,
    Merge,
    Official,
    SourceRecord,
    Statement,
    VisitOfficial,
)
from visits.refresh import refresh_all

from .factories import (
    ArticleFactory,
    MeetingFactory,
    OfficialFactory,
    StatementFactory,
    VisitFactory,
    VisitReportFactory,
)
from .helpers import staff_in


@pytest.fixture(autouse=True)
def _no_shipped_judgements(settings, tmp_path):
    settings.IDENTITY_JUDGEMENTS = tmp_path / "no-judgements.yaml"


def visits_of(slug):
    return sorted(Official.objects.get(slug=slug).visits_made.values_list("slug", flat=True))


def moved(client, url):
    response = client.get(url)
    return response.status_code, response.get("Location")


def data_state():
    """Every row of the data but the audit trail, the cache version and the merge log: what an undo restores."""
    skipped = {"visits.DataVersion", "visits.IndexChange", "visits.Merge", "visits.DuplicateCandidate"}
    derived = {"visits.VisitOfficial", "visits.VisitTopic", "visits.VisitCountry", "visits.VisitOffice",
               "visits.OfficialName"}  # fmt: skip
    state = {}
    for model in apps.get_app_config("visits").get_models(include_auto_created=True):
        label = model._meta.label
        if label in skipped or "historical" in model._meta.db_table:
            continue
        rows = list(model._default_manager.order_by("pk").values())
        # Rebuilt by every refresh, or rows of a list put back: their contents count, not their ids.
        if label in derived or model._meta.auto_created:
            rows = sorted(tuple(sorted((k, str(v)) for k, v in row.items() if k != "id")) for row in rows)
        state[label] = rows
    return state


@pytest.fixture
def kings(db):
    """Abdullah II on two pages (three visits, one with both), King Hussein with the 2023 crown prince's visit."""
    abdullah = OfficialFactory(slug="abdullah-ii", name="Abdullah II", country="JO")
    long_name = OfficialFactory(slug="abdullah-ii-bin-al-hussein", name="Abdullah II bin Al Hussein", country="JO")
    hussein = OfficialFactory(slug="hussein", name="Hussein", country="JO")
    biden = OfficialFactory(slug="joe-biden", name="Joe Biden", country="US")
    VisitFactory(slug="abdullah-2019", host_country="US", start=datetime.date(2019, 3, 1), visitors=[abdullah])
    VisitFactory(slug="both-2021", host_country="US", start=datetime.date(2021, 7, 19), visitors=[abdullah, long_name])
    # A visit only its article reports (not edited): its lists come from the report.
    article = ArticleFactory(slug="abdullah-in-washington", published=datetime.date(2020, 2, 3))
    visit = VisitFactory(
        slug="abdullah-2020", host_country="US", start=datetime.date(2020, 2, 3), visitors=[long_name], hosts=[biden]
    )
    report = VisitReportFactory(article=article, visit=visit)
    report.visitors.set([long_name])
    report.hosts.set([biden])
    MeetingFactory(article=article, visit=visit, participants=[long_name, biden])
    StatementFactory(article=article, visit=visit, speaker=long_name)
    ArticleOfficial.objects.create(article=article, official=long_name, role="King", office_slug="king", country="JO")
    ArticleOfficial.objects.create(article=article, official=biden, role="President", office_slug="president",
                                   country="US")  # fmt: skip
    Mention.objects.create(article=article, official=long_name, start=4, end=12)
    visit.edited_at = None
    visit.save()
    VisitFactory(slug="hussein-1990", host_country="US", start=datetime.date(1990, 8, 16), visitors=[hussein])
    prince_article = ArticleFactory(slug="crown-prince-2023", published=datetime.date(2023, 2, 2))
    prince_visit = VisitFactory(slug="prince-2023", host_country="US", start=datetime.date(2023, 2, 2),
                                visitors=[hussein])  # fmt: skip
    StatementFactory(article=prince_article, visit=prince_visit, speaker=hussein)
    ArticleOfficial.objects.create(
        article=prince_article, official=hussein, role="Crown Prince", office_slug="crown-prince", country="JO"
    )
    Mention.objects.create(article=prince_article, official=hussein, start=4, end=12)
    refresh_all()


# Merge ------------------------------------------------------------------------------------


def test_a_merge_moves_every_visit_meeting_statement_mention_and_entry_to_the_person_kept(client, kings):
    kept, merged = Official.objects.get(slug="abdullah-ii"), Official.objects.get(slug="abdullah-ii-bin-al-hussein")
    version = current_version()

    record = merge(merged, kept, note="One king.")

    assert current_version() != version  # every cached count and list is stale now

    assert visits_of("abdullah-ii") == ["abdullah-2019", "abdullah-2020", "both-2021"]
    assert visits_of("abdullah-ii-bin-al-hussein") == []
    assert sorted(VisitOfficial.objects.filter(official=kept).values_list("visit__slug", flat=True)) == [
        "abdullah-2019",
        "abdullah-2020",
        "both-2021",
    ]
    assert VisitOfficial.objects.filter(official=merged).count() == 0
    assert [m.participants.count() for m in kept.meetings.all()] == [2]
    assert list(Statement.objects.values_list("speaker__slug", flat=True).order_by("pk")) == [
        "abdullah-ii",
        "hussein",
    ]
    assert list(kept.mentions.values_list("start", flat=True)) == [4]
    assert list(kept.article_entries.values_list("role", flat=True)) == ["King"]
    merged.refresh_from_db()
    assert merged.merged_into == kept
    assert record.moved["visit_visitors"] == {
        "moved": [Official.objects.get(slug="abdullah-ii").visits_made.get(slug="abdullah-2020").pk],
        "shared": [kept.visits_made.get(slug="both-2021").pk],
    }
    judgement = IdentityJudgement.objects.get()
    assert (judgement.verdict, judgement.left, judgement.right, judgement.note) == (
        "same",
        "official:abdullah-ii",
        "official:abdullah-ii-bin-al-hussein",
        "One king.",
    )
    assert record.judgement == judgement
    assert sorted(IdentityKey.objects.values_list("key", "official__slug")) == [
        ("official:abdullah-ii", "abdullah-ii"),
        ("official:abdullah-ii-bin-al-hussein", "abdullah-ii"),
    ]
    assert moved(client, "/officials/abdullah-ii-bin-al-hussein/") == (301, "/officials/abdullah-ii/")
    assert [h.history_change_reason for h in merged.history.order_by("history_id")][-1] == "Merged into abdullah-ii"


def test_a_merge_is_refused_for_a_person_merged_already_or_into_themselves(kings):
    kept, merged = Official.objects.get(slug="abdullah-ii"), Official.objects.get(slug="abdullah-ii-bin-al-hussein")
    with pytest.raises(CurationError, match="cannot be merged into themselves"):
        merge(kept, kept)
    merge(merged, kept)
    with pytest.raises(CurationError, match="Abdullah II bin Al Hussein was merged into another person already."):
        merge(merged, Official.objects.get(slug="hussein"))


def test_undoing_a_merge_restores_every_row_exactly(client, kings):
    kept, merged = Official.objects.get(slug="abdullah-ii"), Official.objects.get(slug="abdullah-ii-bin-al-hussein")
    before = data_state()

    record = undo(merge(merged, kept))

    assert data_state() == before
    assert visits_of("abdullah-ii") == ["abdullah-2019", "both-2021"]
    assert visits_of("abdullah-ii-bin-al-hussein") == ["abdullah-2020", "both-2021"]
    assert record.undone_at is not None
    assert IdentityJudgement.objects.count() == 0
    assert client.get("/officials/abdullah-ii-bin-al-hussein/").status_code == 200
    with pytest.raises(CurationError, match="This merge was undone already."):
        undo(record)


def test_undoing_a_merge_puts_back_a_judgement_it_overrode(kings):
    kept, merged = Official.objects.get(slug="abdullah-ii"), Official.objects.get(slug="abdullah-ii-bin-al-hussein")
    IdentityJudgement.objects.create(
        verdict="unsure", left="official:abdullah-ii-bin-al-hussein", right="official:abdullah-ii", note="Hm."
    )
    record = merge(merged, kept)
    assert list(IdentityJudgement.objects.values_list("verdict", "note")) == [("same", "")]
    undo(record)
    assert list(IdentityJudgement.objects.values_list("verdict", "note")) == [("unsure", "Hm.")]


def test_an_undo_waits_for_the_undo_of_a_later_merge_of_the_person_kept(kings):
    first = merge(Official.objects.get(slug="abdullah-ii-bin-al-hussein"), Official.objects.get(slug="abdullah-ii"))
    merge(Official.objects.get(slug="abdullah-ii"), Official.objects.get(slug="hussein"))
    with pytest.raises(CurationError, match="Abdullah II was merged into another person since: undo that merge first."):
        undo(first)
    assert visits_of("hussein") == ["abdullah-2019", "abdullah-2020", "both-2021", "hussein-1990", "prince-2023"]


# Split --------------------------------------------------------------------------------------


def test_a_split_makes_a_new_person_of_the_chosen_visits_with_their_statements_and_entries(client, kings):
    hussein = Official.objects.get(slug="hussein")
    prince_visit = hussein.visits_made.get(slug="prince-2023")

    prince = split(hussein, visits=[prince_visit.pk], name="Al Hussein bin Abdullah II", note="Born 1994.")

    assert (prince.slug, prince.name, str(prince.country)) == (
        "al-hussein-bin-abdullah-ii",
        "Al Hussein bin Abdullah II",
        "JO",
    )
    assert visits_of("hussein") == ["hussein-1990"]
    assert visits_of("al-hussein-bin-abdullah-ii") == ["prince-2023"]
    statement = Statement.objects.get(article__slug="crown-prince-2023")
    assert (statement.speaker, statement.edited_at is not None) == (prince, True)
    assert list(prince.article_entries.values_list("role", flat=True)) == ["Crown Prince"]
    assert list(hussein.article_entries.values_list("role", flat=True)) == []
    assert Mention.objects.get(article__slug="crown-prince-2023").official == prince
    assert sorted(IdentityJudgement.objects.values_list("verdict", "left", "right")) == [
        ("different", "official:hussein", "official:al-hussein-bin-abdullah-ii")
    ]
    assert client.get("/officials/al-hussein-bin-abdullah-ii/").status_code == 200
    hussein.refresh_from_db()
    assert hussein.review_notes == []


def test_a_split_of_one_statement_leaves_the_rest_of_the_visit_and_shares_the_articles_entry(kings):
    long_name = Official.objects.get(slug="abdullah-ii-bin-al-hussein")
    statement = Statement.objects.get(speaker=long_name)

    other = split(long_name, statements=[statement.pk], name="Somebody Else", slug="somebody-else")

    assert visits_of("abdullah-ii-bin-al-hussein") == ["abdullah-2020", "both-2021"]
    assert visits_of("somebody-else") == []
    assert Statement.objects.get(pk=statement.pk).speaker == other
    assert list(
        ArticleOfficial.objects.filter(article__slug="abdullah-in-washington")
        .order_by("official__slug")
        .values_list("official__slug", "role")
    ) == [  # fmt: skip
        ("abdullah-ii-bin-al-hussein", "King"),
        ("joe-biden", "President"),
        ("somebody-else", "King"),
    ]
    assert VisitOfficial.objects.filter(official=other).values_list("visit__slug", flat=True).get() == "abdullah-2020"


def test_a_split_needs_something_to_move(kings):
    with pytest.raises(CurationError, match="Choose at least one visit, record or statement for the new person."):
        split(Official.objects.get(slug="hussein"))
    assert Official.objects.count() == 4


# Judgements applied again on a re-import ------------------------------------------------------

JORDAN = """<?xml version="1.0" encoding="UTF-8"?>
<visits>
{records}
</visits>
"""
RECORD = """    <visit>
        <id>{id}</id>
        <start-date>{date}</start-date>
        <end-date>{date}</end-date>
        <visitor>{visitor}</visitor>
        <from id="jordan">Jordan</from>
        <description>Official Visit.</description>
    </visit>"""
RECORDS = [
    (9001, "1990-08-16", "King Hussein"),
    (9002, "2023-02-02", "King Abdullah II and Crown Prince Hussein"),
    (9003, "2019-03-12", "King Abdullah II bin Al Hussein"),
]


def write_records(folder, records):
    folder.mkdir(parents=True, exist_ok=True)
    text = JORDAN.format(records="\n".join(RECORD.format(id=i, date=d, visitor=v) for i, d, v in records))
    (folder / "jordan.xml").write_text(text)
    return folder


def import_hsg(folder):
    call_command("import_hsg", str(folder), stdout=io.StringIO(), stderr=io.StringIO())


def pages():
    return sorted(Official.objects.with_pages().values_list("slug", flat=True))


def test_a_merge_and_a_split_hold_when_the_records_are_imported_again(db, tmp_path):
    folder = write_records(tmp_path / "hsg", RECORDS)
    import_hsg(folder)
    assert pages() == ["abdullah-ii", "abdullah-ii-bin-al-hussein", "hussein"]
    assert visits_of("hussein") == ["hsg-visit-9001", "hsg-visit-9002"]

    merge(Official.objects.get(slug="abdullah-ii-bin-al-hussein"), Official.objects.get(slug="abdullah-ii"))
    record = SourceRecord.objects.get(record_id=9002)
    split(Official.objects.get(slug="hussein"), records=[record.pk], name="Al Hussein bin Abdullah II")
    officials = Official.objects.count()
    judged = sorted(IdentityJudgement.objects.values_list("verdict", "left", "right"))
    assert judged == [
        ("different", "hsg-name:jordan:hussein", "official:al-hussein-bin-abdullah-ii"),
        ("same", "hsg-name:jordan:abdullah ii", "hsg-name:jordan:abdullah ii bin al hussein"),
        ("same", "hsg-record:foreign-visits:9002:1", "official:al-hussein-bin-abdullah-ii"),
    ]

    # Again, and with one more record in the merged spelling: no new page, no re-merge, nothing moves back.
    write_records(folder, [*RECORDS, (9004, "2024-05-13", "King Abdullah II bin Al Hussein")])
    import_hsg(folder)

    assert Official.objects.count() == officials
    assert pages() == ["abdullah-ii", "al-hussein-bin-abdullah-ii", "hussein"]
    assert visits_of("abdullah-ii") == ["hsg-visit-9002", "hsg-visit-9003", "hsg-visit-9004"]
    assert visits_of("hussein") == ["hsg-visit-9001"]
    assert visits_of("al-hussein-bin-abdullah-ii") == ["hsg-visit-9002"]
    assert Official.objects.get(slug="abdullah-ii-bin-al-hussein").merged_into.slug == "abdullah-ii"


def test_an_article_naming_a_merged_person_loads_onto_the_person_kept(db, tmp_path, settings):
    call_command("load_articles", str(settings.BASE_DIR / "seeds"), stdout=io.StringIO())
    gantz = OfficialFactory(slug="benjamin-gantz", name="Benjamin Gantz", country="IL")
    merge(Official.objects.get(slug="benny-gantz"), gantz)
    officials = Official.objects.count()
    folder = tmp_path / "again"
    folder.mkdir()
    for suffix in (".yaml", ".txt"):
        text = (settings.BASE_DIR / "seeds" / f"austin-israel-2021-04{suffix}").read_text()
        if suffix == ".yaml":
            text = text.replace("  published: 2021-04-11", "  published: 2021-04-11\n  url: https://example.org/2")
        (folder / f"another-report{suffix}").write_text(text)

    call_command("load_articles", str(folder), stdout=io.StringIO())

    assert Official.objects.count() == officials
    assert sorted(
        ArticleOfficial.objects.filter(official__slug__contains="gantz").values_list("article__slug", "official__slug")
    ) == [  # fmt: skip
        ("another-report", "benjamin-gantz"),
        ("austin-israel-2021-04", "benjamin-gantz"),
    ]


# The review queue -------------------------------------------------------------------------------


def held(official, office, country, published):
    """Give `official` an office in an article of that date (what their positions are read from)."""
    article = ArticleFactory(published=published)
    ArticleOfficial.objects.create(article=article, official=official, role=office, office_slug=office, country=country)


@pytest.fixture
def lookalikes(db):
    """Jordan's kings and prince, Netanyahu twice, Havel in two states, and two Americans not alike."""
    people = {
        slug: OfficialFactory(slug=slug, name=name, country=country)
        for slug, name, country in [
            ("abdullah-ii", "Abdullah II", "JO"),
            ("abdullah-ii-bin-al-hussein", "King Abdullah II bin Al-Hussein", "JO"),
            ("hussein", "Hussein", "JO"),
            ("benjamin-netanyahu", "Benjamin Netanyahu", "IL"),
            ("binyamin-netanyahu", "Binyamin Netanyahu", "IL"),
            ("vaclav-havel", "Václav Havel", "XC"),
            ("vaclav-havel-cz", "Vaclav Havel", "CZ"),
            ("joe-biden", "Joe Biden", "US"),
            ("joe-manchin", "Joe Manchin", "US"),
        ]
    }
    held(people["abdullah-ii-bin-al-hussein"], "king", "JO", datetime.date(2020, 2, 3))
    held(people["hussein"], "king", "JO", datetime.date(1964, 4, 14))
    held(people["hussein"], "crown-prince", "JO", datetime.date(2023, 2, 2))
    held(people["benjamin-netanyahu"], "prime-minister", "IL", datetime.date(1996, 7, 9))
    held(people["benjamin-netanyahu"], "prime-minister", "IL", datetime.date(2023, 9, 20))
    held(people["binyamin-netanyahu"], "prime-minister", "IL", datetime.date(2010, 7, 6))
    held(people["vaclav-havel"], "president", "XC", datetime.date(1990, 2, 20))
    held(people["vaclav-havel-cz"], "president", "CZ", datetime.date(1998, 9, 16))
    VisitFactory(visitors=[people["binyamin-netanyahu"]])
    VisitFactory(visitors=[people["binyamin-netanyahu"]])
    VisitFactory(visitors=[people["benjamin-netanyahu"]])
    refresh_all()
    return people


def queue():
    return [
        (c.left.slug, c.right.slug, c.score, c.reasons)
        for c in DuplicateCandidate.objects.select_related("left", "right")
    ]


def test_the_queue_holds_the_pairs_alike_enough_best_first(lookalikes):
    outcome = find()

    assert queue() == [
        (
            "binyamin-netanyahu",  # more visits: the page to keep is on the left
            "benjamin-netanyahu",
            91.1,  # 0.8 x 88.9 + 10 + 5 + 5
            ["names 89% alike", "both of IL", "both prime-minister", "years 1996-2023 and 2010"],
        ),
        ("vaclav-havel", "vaclav-havel-cz", 90.0, ["names 100% alike", "both president", "years 1990 and 1998"]),
        ("abdullah-ii", "abdullah-ii-bin-al-hussein", 82.0, ["names 90% alike", "both of JO"]),
        (
            "abdullah-ii-bin-al-hussein",
            "hussein",
            72.0,  # 0.8 x 90 + 10 + 5 - 15
            ["names 90% alike", "both of JO", "both king", "together 1964-2023: longer than one career"],
        ),
    ]
    # Jordan's 3 pairs, Israel's 1, the United States' 1, Havel's names across two states.
    assert (outcome.compared, outcome.skipped_judged, outcome.flagged) == (6, 0, 1)


def test_pairs_judged_in_the_file_or_the_admin_are_not_queued_again(lookalikes, settings):
    settings.IDENTITY_JUDGEMENTS.write_text(
        "format: identity-judgements/1\nunsure:\n  - keys: [official:vaclav-havel, official:vaclav-havel-cz]\n"
    )
    IdentityJudgement.objects.create(
        verdict="different", left="official:binyamin-netanyahu", right="official:benjamin-netanyahu"
    )

    outcome = find()

    assert [(left, right) for left, right, *_ in queue()] == [
        ("abdullah-ii", "abdullah-ii-bin-al-hussein"),
        ("abdullah-ii-bin-al-hussein", "hussein"),
    ]
    assert (outcome.compared, outcome.skipped_judged) == (4, 2)


def test_a_merge_takes_the_merged_person_out_of_the_queue(lookalikes):
    find()
    merge(lookalikes["benjamin-netanyahu"], lookalikes["binyamin-netanyahu"])
    assert [(left, right) for left, right, *_ in queue()] == [
        ("vaclav-havel", "vaclav-havel-cz"),
        ("abdullah-ii", "abdullah-ii-bin-al-hussein"),
        ("abdullah-ii-bin-al-hussein", "hussein"),
    ]
    find()  # and the merge's judgement keeps it out when the queue is made again
    assert len(queue()) == 3


def test_find_duplicates_summarises_the_queue(lookalikes):
    out = io.StringIO()
    call_command("find_duplicates", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("4 possible duplicate(s) queued from 6 pair(s) compared (0 judged already, skipped) in ")
    assert lines[1:] == [
        "   91.1  binyamin-netanyahu ~ benjamin-netanyahu: names 89% alike; both of IL; both prime-minister; "
        "years 1996-2023 and 2010",
        "   90.0  vaclav-havel ~ vaclav-havel-cz: names 100% alike; both president; years 1990 and 1998",
        "   82.0  abdullah-ii ~ abdullah-ii-bin-al-hussein: names 90% alike; both of JO",
        "   72.0  abdullah-ii-bin-al-hussein ~ hussein: names 90% alike; both of JO; both king; "
        "together 1964-2023: longer than one career",
        "1 official(s) flagged for review (offices longer than a career or clashing).",
    ]


# The admin ---------------------------------------------------------------------------------------


def admin_url(name, *args):
    return reverse(f"admin:visits_{name}", args=args)


def test_the_queue_shows_each_person_with_country_offices_years_and_visits(editor_client, lookalikes):
    find()
    response = editor_client.get(admin_url("duplicatecandidate_changelist"))
    page = response.content.decode()
    binyamin, benjamin = lookalikes["binyamin-netanyahu"], lookalikes["benjamin-netanyahu"]
    assert (
        f'<a href="{admin_url("official_change", binyamin.pk)}">Binyamin Netanyahu</a> (IL) '
        '<a href="/officials/binyamin-netanyahu/">page</a><br>prime-minister IL; 2010-2010; 2 visits'
    ) in page
    assert (
        f'<a href="{admin_url("official_change", benjamin.pk)}">Benjamin Netanyahu</a> (IL) '
        '<a href="/officials/benjamin-netanyahu/">page</a><br>prime-minister IL; 1996-2023; 1 visit'
    ) in page
    assert "names 89% alike; both of IL; both prime-minister; years 1996-2023 and 2010" in page
    assert [a[0] for a in response.context["action_form"].fields["action"].choices] == [
        "",
        "same_keep_left",
        "same_keep_right",
        "different",
        "unsure",
    ]


def test_the_queue_page_costs_the_same_queries_for_four_pairs_as_for_one(editor_client, lookalikes):
    """Each row's people summaries come from three queries for the page, not three per row (an N+1)."""
    find()
    url = admin_url("duplicatecandidate_changelist")
    editor_client.get(url)  # the session and permissions, cached
    with CaptureQueriesContext(connection) as four:
        editor_client.get(url)
    DuplicateCandidate.objects.exclude(pk=DuplicateCandidate.objects.order_by("pk").first().pk).delete()
    with CaptureQueriesContext(connection) as one:
        editor_client.get(url)
    assert len(four) == len(one)


def test_an_editor_judges_pairs_of_the_queue_with_its_actions(editor_client, lookalikes):
    find()
    url = admin_url("duplicatecandidate_changelist")
    pairs = {(c.left.slug, c.right.slug): c.pk for c in DuplicateCandidate.objects.select_related("left", "right")}

    merged = editor_client.post(
        url, {"action": "same_keep_right", "_selected_action": [pairs[("binyamin-netanyahu", "benjamin-netanyahu")]]}
    )
    different = editor_client.post(
        url, {"action": "different", "_selected_action": [pairs[("abdullah-ii-bin-al-hussein", "hussein")]]}
    )

    assert (merged.status_code, different.status_code) == (302, 302)
    assert Official.objects.get(slug="binyamin-netanyahu").merged_into.slug == "benjamin-netanyahu"
    assert len(visits_of("benjamin-netanyahu")) == 3
    assert sorted(IdentityJudgement.objects.values_list("verdict", "left", "right", "decided_by__username")) == [
        ("different", "official:abdullah-ii-bin-al-hussein", "official:hussein", "Editors-user"),
        ("same", "official:benjamin-netanyahu", "official:binyamin-netanyahu", "Editors-user"),
    ]
    assert [(left, right) for left, right, *_ in queue()] == [
        ("vaclav-havel", "vaclav-havel-cz"),
        ("abdullah-ii", "abdullah-ii-bin-al-hussein"),
    ]


def test_a_viewer_can_read_the_queue_but_not_judge_it(client, lookalikes):
    find()
    client.force_login(staff_in("Viewers"))
    url = admin_url("duplicatecandidate_changelist")
    before = queue()
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"action": "same_keep_left", "_selected_action": [DuplicateCandidate.objects.first().pk]}
    )
    assert response.status_code == 200  # "No action selected": the viewer has none
    assert (queue(), Merge.objects.count(), IdentityJudgement.objects.count()) == (before, 0, 0)


def test_an_editor_undoes_a_merge_from_the_merges_list(editor_client, kings):
    record = merge(Official.objects.get(slug="abdullah-ii-bin-al-hussein"), Official.objects.get(slug="abdullah-ii"))
    page = editor_client.get(admin_url("merge_changelist")).content.decode()
    assert re.findall(r'field-what_moved">([^<]*)<', page) == [
        "1 visit visitors, 1 report visitors, 1 meeting participants, 1 statements, 1 mentions, 1 identity keys, "
        "1 article entries"
    ]

    response = editor_client.post(admin_url("merge_changelist"), {"action": "undo", "_selected_action": [record.pk]})

    assert response.status_code == 302
    assert visits_of("abdullah-ii-bin-al-hussein") == ["abdullah-2020", "both-2021"]
    assert Merge.objects.get().undone_at is not None


def test_an_editor_splits_an_official_choosing_what_goes_to_the_new_person(editor_client, kings):
    hussein = Official.objects.get(slug="hussein")
    change_page = editor_client.get(admin_url("official_change", hussein.pk)).content.decode()
    assert f'<a href="{admin_url("official_split", hussein.pk)}">Split</a>' in change_page
    form = editor_client.get(admin_url("official_split", hussein.pk)).context["form"]
    assert [label for _, label in form.fields["visits"].choices] == [
        "hussein-1990 (1990-08-16, United States)",
        "prince-2023 (2023-02-02, United States)",
    ]
    statement = Statement.objects.get(speaker=hussein)

    response = editor_client.post(
        admin_url("official_split", hussein.pk),
        {"name": "Al Hussein bin Abdullah II", "slug": "", "country": "", "visits": [], "statements": [statement.pk]},
    )

    prince = Official.objects.get(slug="al-hussein-bin-abdullah-ii")
    assert (response.status_code, response["Location"]) == (302, admin_url("official_change", prince.pk))
    assert Statement.objects.get(pk=statement.pk).speaker == prince
    assert [h.history_user.username for h in prince.history.all()] == ["Editors-user"]


def test_a_split_with_nothing_chosen_is_refused_with_the_reason(editor_client, kings):
    hussein = Official.objects.get(slug="hussein")
    response = editor_client.post(admin_url("official_split", hussein.pk), {"name": "Nobody"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Choose at least one visit, record or statement for the new person."
    ]
    assert Official.objects.count() == 4


def test_a_viewer_may_not_split_and_sees_no_split_link(client, kings):
    hussein = Official.objects.get(slug="hussein")
    client.force_login(staff_in("Viewers"))
    assert "Split</a>" not in client.get(admin_url("official_change", hussein.pk)).content.decode()
    assert client.get(admin_url("official_split", hussein.pk)).status_code == 403
    response = client.post(admin_url("official_split", hussein.pk), {"name": "X", "statements": [1]})
    assert (response.status_code, Official.objects.count()) == (403, 4)


# Exporting the judgements ---------------------------------------------------------------------------


def test_with_nothing_stored_the_export_is_the_shipped_file_byte_for_byte(db, settings):
    settings.IDENTITY_JUDGEMENTS = settings.BASE_DIR / "fixtures" / "identity_judgements.yaml"
    out = io.StringIO()
    call_command("export_judgements", "--output", "-", stdout=out)
    assert out.getvalue() == settings.IDENTITY_JUDGEMENTS.read_text()


def test_the_export_adds_merges_splits_and_verdicts_made_in_the_admin(db, settings, tmp_path):
    settings.IDENTITY_JUDGEMENTS.write_text(
        "format: identity-judgements/1\n"
        "# Curated by hand.\n"
        "people:\n"
        "  - slug: abdullah-ii\n"
        "    name: Abdullah II\n"
        "    keys:\n"
        "      - hsg-name:jordan:abdullah ii\n"
        "different:\n"
        "  - keys: [hsg-name:jordan:hussein, hsg-name:jordan:talal]\n"
        "    note: Father and son.\n"
    )
    folder = write_records(tmp_path / "hsg", RECORDS)
    import_hsg(folder)
    merge(Official.objects.get(slug="abdullah-ii-bin-al-hussein"), Official.objects.get(slug="abdullah-ii"))
    split(
        Official.objects.get(slug="hussein"),
        records=[SourceRecord.objects.get(record_id=9002).pk],
        name="Al Hussein bin Abdullah II",
        note="Born 1994, not the king.",
    )
    IdentityJudgement.objects.create(verdict="unsure", left="official:x", right="official:y", note="Who knows: later.")

    out = io.StringIO()
    call_command("export_judgements", stdout=out)

    assert out.getvalue() == (
        f"Wrote {settings.IDENTITY_JUDGEMENTS}: 2 people, 2 different and 1 unsure pair(s); "
        "4 judgement(s) made in the admin included.\n"
    )
    assert settings.IDENTITY_JUDGEMENTS.read_text() == (
        "format: identity-judgements/1\n"
        "# Curated by hand.\n"
        "people:\n"
        "  - slug: abdullah-ii\n"
        "    name: Abdullah II\n"
        "    keys:\n"
        "      - hsg-name:jordan:abdullah ii\n"
        "      - hsg-name:jordan:abdullah ii bin al hussein\n"
        "  - slug: al-hussein-bin-abdullah-ii\n"
        "    name: Al Hussein bin Abdullah II\n"
        "    keys:\n"
        "      - hsg-record:foreign-visits:9002:1\n"
        "      - official:al-hussein-bin-abdullah-ii\n"
        '    note: "Born 1994, not the king."\n'
        "different:\n"
        "  - keys: [hsg-name:jordan:hussein, hsg-name:jordan:talal]\n"
        "    note: Father and son.\n"
        "  - keys: [hsg-name:jordan:hussein, official:al-hussein-bin-abdullah-ii]\n"
        '    note: "Born 1994, not the king."\n'
        "unsure:\n"
        "  - keys: [official:x, official:y]\n"
        '    note: "Who knows: later."\n'
    )
    # The file alone now says it all: a database rebuilt from the records and the file has the same pages.
    IdentityJudgement.objects.all().delete()
    Merge.objects.all().delete()
    Official.objects.update(merged_into=None)
    SourceRecord.objects.all().delete()
    Official.objects.all().delete()
    import_hsg(folder)
    assert pages() == ["abdullah-ii", "al-hussein-bin-abdullah-ii", "hussein"]
    assert visits_of("al-hussein-bin-abdullah-ii") == ["hsg-visit-9002"]
    assert visits_of("abdullah-ii") == ["hsg-visit-9002", "hsg-visit-9003"]


def test_the_officials_list_filters_those_flagged_for_review_and_says_why(editor_client, lookalikes):
    response = editor_client.get(admin_url("official_changelist") + "?review=flagged")
    assert [o.slug for o in response.context["cl"].result_list] == ["hussein"]
    assert (
        '<td class="field-review">offices from 1964 to 2023: longer than one career; '
        "a monarch from 1964, then an heir in 2023</td>"
    ) in response.content.decode()
