"""The drafter: quotations and their speakers, officials, the visit, topics, the command and its files."""

import datetime
import io
import shutil
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from visits.drafting import DraftContext, Meta, draft_text
from visits.drafting.dates import find_dates, visit_dates
from visits.drafting.draft import draft_article, role_phrases
from visits.drafting.officials import Gazetteer, KnownOfficial, find_people
from visits.drafting.quotes import attribute, find_quotations, find_reported
from visits.drafting.scoring import (
    Annotation,
    score,
    score_officials,
    score_reported,
    score_spans,
    score_speakers,
)
from visits.drafting.segments import containing, sentences
from visits.drafting.topics import GlossaryTopic, TopicGlossary, find_topics
from visits.loading import load_file
from visits.models import Article
from visits.spans import find_mentions

from .browser_form import form_data
from .helpers import staff_in

SEED = settings.BASE_DIR / "seeds" / "austin-israel-2021-04.txt"
SEED_DATE = datetime.date(2021, 4, 11)


def quotes_of(text):
    """Return [(quote, speaker or None)] of `text`, speakers found among the people it names by title."""
    people = find_people(text)
    mentions = find_mentions(text, {p.slug: p.mentions for p in people})
    quotations = find_quotations(text)
    reported = find_reported(text, mentions, quotations)
    attribute(text, quotations, mentions, reported=reported)
    return [(text[q.start : q.end], q.speaker) for q in quotations]


def reported_of(text):
    people = find_people(text)
    mentions = find_mentions(text, {p.slug: p.mentions for p in people})
    return [(text[r.start : r.end], r.speaker) for r in find_reported(text, mentions, find_quotations(text))]


INTRO = "Foreign Minister Maria Lind met Foreign Minister Ola Berg in Oslo.\n"


# Quotation styles ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "quote"),
    [
        ("“We are ready,” Berg said.", "We are ready"),
        ('"We are ready," Berg said.', "We are ready"),
        ("‘We are ready,’ Berg said.", "We are ready"),
        ("'We are ready,' Berg said.", "We are ready"),
        ("«We are ready», Berg said.", "We are ready"),
        ("« We are ready », Berg said.", "We are ready"),
        ("“Are we ready?” Berg said.", "Are we ready?"),
    ],
)
def test_every_quotation_style_gives_the_words_inside_the_marks_and_the_speaker_after_them(line, quote):
    assert quotes_of(INTRO + line) == [(quote, "ola-berg")]


def test_an_apostrophe_is_not_a_quotation_mark():
    text = INTRO + "“The state’s waters and the allies’ boats are shared,” Berg said."
    assert quotes_of(text) == [("The state’s waters and the allies’ boats are shared", "ola-berg")]


def test_single_marks_inside_a_quotation_belong_to_it():
    text = INTRO + "“They call it ‘the new north’ here,” Lind said."
    assert quotes_of(text) == [("They call it ‘the new north’ here", "maria-lind")]


def test_a_quotation_over_several_paragraphs_is_one_per_paragraph_with_one_speaker():
    text = INTRO + "Berg said: “We will not give up our quotas.\n“Nor will we ask others to give up theirs.”\n"
    assert quotes_of(text) == [
        ("We will not give up our quotas", "ola-berg"),
        ("Nor will we ask others to give up theirs", "ola-berg"),
    ]


def test_a_quotation_broken_by_its_attribution_has_one_speaker():
    text = INTRO + "“We will work together,” Lind said, “on every shared stock.”"
    assert quotes_of(text) == [("We will work together", "maria-lind"), ("on every shared stock", "maria-lind")]


# Speakers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("“Talks went well,” said Berg.", "ola-berg"),
        ("“Talks went well,” Berg told reporters.", "ola-berg"),
        ("Berg told reporters: “Talks went well.”", "ola-berg"),
        ("Berg said that “Talks went well.”", "ola-berg"),
        ("“Talks went well,” Berg, who hosted the meeting, said.", "ola-berg"),
        ("“Talks went well,” according to Berg.", "ola-berg"),
        ("Lind later said: “Talks went well.”", "maria-lind"),
    ],
)
def test_a_speaker_named_before_or_after_the_quotation(line, speaker):
    assert quotes_of(INTRO + line) == [("Talks went well", speaker)]


def test_he_adds_is_the_last_speaker_named():
    text = INTRO + "“Talks went well,” Berg said.\nThe talks lasted two hours.\n“We will meet again,” he adds."
    assert quotes_of(text) == [("Talks went well", "ola-berg"), ("We will meet again", "ola-berg")]


def test_he_said_is_an_official_who_opens_a_sentence_after_the_last_speaker_named():
    text = INTRO + "“Talks went well,” Berg said.\nLind, 61, was more cautious.\n“We will see,” she said."
    assert quotes_of(text) == [("Talks went well", "ola-berg"), ("We will see", "maria-lind")]


def test_a_pronoun_with_no_speaker_named_before_it_leaves_the_speaker_out():
    text = "Talks brought together Foreign Minister Maria Lind and Foreign Minister Ola Berg.\n“It went well,” he said."
    assert quotes_of(text) == [("It went well", None)]


def test_a_paragraph_that_is_only_a_quotation_goes_on_from_the_quotation_before_it():
    text = INTRO + "“Talks went well,” Berg said.\n“We will meet again.”"
    assert quotes_of(text) == [("Talks went well", "ola-berg"), ("We will meet again", "ola-berg")]


def test_a_quotation_after_one_in_the_same_paragraph_is_the_same_speakers_unless_someone_else_is_named():
    text = INTRO + "“Talks went well,” Berg said. “We will meet again.”\n“Fine,” Lind said. Berg left. “Really.”"
    assert quotes_of(text) == [
        ("Talks went well", "ola-berg"),
        ("We will meet again", "ola-berg"),
        ("Fine", "maria-lind"),
        ("Really", None),
    ]


def test_a_quotation_with_no_attribution_after_one_by_x_is_left_for_the_reviewer():
    text = INTRO + (
        "“Talks went well,” Berg said after a long lunch at the ministry with officials of both countries and press."
        "\n“We will meet again.”"
    )
    people = find_people(text)
    mentions = find_mentions(text, {p.slug: p.mentions for p in people})
    quotations = attribute(text, find_quotations(text), mentions)
    assert [(q.speaker, q.candidate, q.unsure) for q in quotations] == [
        ("ola-berg", None, ""),
        (None, "ola-berg", "no attribution; the quotation before it is by this speaker"),
    ]


def test_a_quotation_after_one_by_x_goes_on_past_a_name_that_is_not_a_speaker():
    text = INTRO + "“Talks went well,” Lind said after meeting Berg. “We will meet again.”"
    assert quotes_of(text) == [("Talks went well", "maria-lind"), ("We will meet again", "maria-lind")]


def test_a_speaker_who_introduces_the_next_paragraph_with_a_colon():
    text = INTRO + "Speaking at a forum, Lind said:\n“Talks went well.\n“We will meet again.”"
    assert quotes_of(text) == [("Talks went well", "maria-lind"), ("We will meet again", "maria-lind")]


def test_the_speaker_of_a_partial_quotation_is_the_subject_of_the_verb_of_saying_not_of_a_later_verb():
    text = INTRO + "Berg said Norway would not add to the burden of “the lowest rate we offer.”"
    assert quotes_of(text) == [("the lowest rate we offer", "ola-berg")]


def test_a_quotation_that_opens_the_article_with_its_speaker_named_in_the_next_paragraph():
    text = "“We will meet again.”\nWith those words, Swedish Foreign Minister Maria Lind ended her visit."
    assert quotes_of(text) == [("We will meet again", "maria-lind")]


def test_a_few_words_in_quotation_marks_with_no_verb_of_saying_are_a_name_not_a_statement():
    text = INTRO + "They opened the so-called “Middle Corridor” to trucks."
    people = find_people(text)
    mentions = find_mentions(text, {p.slug: p.mentions for p in people})
    [quotation] = attribute(text, find_quotations(text), mentions)
    assert (quotation.speaker, quotation.outsider) == (
        None,
        "a name or a few words in quotation marks, with no verb of saying: not a statement",
    )


def test_x_did_something_and_said_is_xs_saying():
    text = INTRO + "Berg thanked her and said Norway would take “a leading role” in the talks."
    assert quotes_of(text) == [("a leading role", "ola-berg")]


def test_the_visit_from_a_visit_by_someone_to_a_country_and_its_day_from_the_first_sentence():
    text = (
        "Greek Prime Minister Eleni Vlachou held talks with Turkish President Kemal Aydın in Ankara on Thursday, "
        "the first visit by a Greek head of government to Turkey in six years."
    )
    draft = draft_article(text, Meta("Talks", datetime.date(2030, 5, 6)))
    visit = draft.visit
    assert (visit.visitors, visit.hosts, visit.host_country, str(visit.start), visit.end) == (
        ["eleni-vlachou"],
        ["kemal-aydin"],
        "TR",
        "2030-05-02",
        None,
    )


def test_he_said_after_someone_the_draft_does_not_know_spoke_is_left_for_the_reviewer():
    text = (
        INTRO + "“Talks went well,” Berg said.\n“It is a scandal,” Helen Carter said.\n“We will meet again,” he said."
    )
    people = find_people(text)
    mentions = find_mentions(text, {p.slug: p.mentions for p in people})
    quotations = attribute(text, find_quotations(text), mentions)
    assert [(q.speaker, q.candidate, q.unsure, q.outsider) for q in quotations] == [
        ("ola-berg", None, "", ""),
        (
            None,
            "ola-berg",
            "no attribution; the quotation before it is by this speaker",
            "said by Helen Carter, not an official of the article",
        ),
        (
            None,
            "ola-berg",
            "he said: the last speaker named, but Carter speaks in between, whom the draft does not know",
            "",
        ),
    ]


def test_said_the_visiting_minister_and_the_foreign_secretary_named_after_his_title():
    text = (
        "LONDON, 4 March (Thames Wire) - 'We are not here to lecture anyone,' said the visiting minister, as "
        "Indonesia's Foreign Minister, Retno Wulandari, began a three-day visit to Britain on Monday.\n"
        "Wulandari met the Foreign Secretary, James Whitfield, at the Foreign Office.\n"
        "'The relationship has never been stronger,' Whitfield said. He added that Britain would double its aid."
    )
    draft = draft_article(text, Meta("Visit", datetime.date(2031, 3, 4)))
    assert [(s.kind, s.speaker, text[s.start : s.end][:20]) for s in draft.statements] == [
        ("direct", "retno-wulandari", "We are not here to l"),
        ("direct", "james-whitfield", "The relationship has"),
        ("indirect", "james-whitfield", "He added that Britai"),
    ]


def test_the_words_came_from_the_official_named_after_them():
    text = "“This is a partnership of equals.” The words came from Indian Foreign Minister Ravi Iyer, in Nairobi."
    assert quotes_of(text) == [("This is a partnership of equals", "ravi-iyer")]


def test_a_speaker_introduced_in_the_paragraph_after_two_quotations_is_not_the_speaker_before():
    text = (
        INTRO
        + "“Talks went well,” Lind said.\n“We will meet again.”\nThe words were those of Foreign Minister Ola Berg."
    )
    assert quotes_of(text) == [("Talks went well", "maria-lind"), ("We will meet again", "ola-berg")]


def test_the_country_after_the_name():
    assert [(p.slug, p.country) for p in find_people("Chancellor Katrin Vogel of Germany travelled to Warsaw.")] == [
        ("katrin-vogel", "DE")
    ]


def test_a_run_of_quotations_stops_at_someone_the_draft_does_not_know():
    text = (
        INTRO + "“We will sign,” Lind said. Analyst John Smith disagreed: “It will take years.” “I am sure,” she added."
    )
    people = find_people(text)
    mentions = find_mentions(text, {p.slug: p.mentions for p in people})
    quotations = attribute(text, find_quotations(text), mentions)
    assert [(q.speaker, q.outsider) for q in quotations] == [
        ("maria-lind", ""),
        (None, "said by Smith, whom the draft does not know as an official"),
        (None, ""),
    ]


def test_he_said_after_a_sentence_an_official_opens_is_that_officials():
    text = INTRO + "“Talks went well,” Lind said.\nBerg welcomed the visit. “We will meet again,” he said."
    assert quotes_of(text) == [("Talks went well", "maria-lind"), ("We will meet again", "ola-berg")]


@pytest.mark.parametrize(
    "line",
    [
        "“Gas is a climate problem,” said Lena Marx of the group Climate Action.",
        "A senior official said the talks were “not going to happen in public”.",
        "A joint statement said the two would “stand shoulder to shoulder”.",
        "“Manila is diversifying,” Carla Ramos, a security analyst, said.",
    ],
)
def test_a_quotation_said_by_someone_not_an_official_is_no_statement(line):
    text = INTRO + line
    people = find_people(text)
    mentions = find_mentions(text, {p.slug: p.mentions for p in people})
    quotations = attribute(text, find_quotations(text), mentions)
    assert [(q.speaker, bool(q.outsider)) for q in quotations] == [(None, True)]


def test_reported_speech_with_its_speaker():
    text = INTRO + "Following the talks, Lind said the two had discussed shipping routes.\nThe ice is thin, Berg said."
    assert reported_of(text) == [
        ("Following the talks, Lind said the two had discussed shipping routes", "maria-lind"),
        ("The ice is thin, Berg said", "ola-berg"),
    ]


@pytest.mark.parametrize(
    ("line", "reported"),
    [
        ("He said the talks had gone well.", ("He said the talks had gone well", "ola-berg")),
        ("Asked about quotas, a subject of dispute, Lind said Sweden would wait.", ("Asked about quotas, a subject of dispute, Lind said Sweden would wait", "maria-lind")),  # noqa: E501
        ("Norway's foreign minister, Ola Berg, urged Sweden to wait.", ("Norway's foreign minister, Ola Berg, urged Sweden to wait", "ola-berg")),  # noqa: E501
        ("Afterwards Lind says the two had agreed on quotas.", ("Afterwards Lind says the two had agreed on quotas", "maria-lind")),  # noqa: E501
        ("The Swedish minister said the two had agreed on quotas.", ("The Swedish minister said the two had agreed on quotas", "maria-lind")),  # noqa: E501
        ("Berg welcomed the visit but said the quotas would stay.", ("Berg welcomed the visit but said the quotas would stay", "ola-berg")),  # noqa: E501
    ],
)  # fmt: skip
def test_reported_speech_after_an_opening_phrase_a_pronoun_or_a_role(line, reported):
    text = "Swedish Foreign Minister Maria Lind met Norwegian Foreign Minister Ola Berg in Oslo.\nBerg spoke first.\n"
    people = find_people(text + line)
    mentions = find_mentions(text + line, {p.slug: p.mentions for p in people})
    roles = role_phrases({p.slug: p for p in people})
    found = find_reported(text + line, mentions, [], roles)
    assert [((text + line)[r.start : r.end], r.speaker) for r in found] == [reported]


def test_reported_speech_of_two_people_at_once_is_a_statement_of_each_but_agreeing_to_act_is_none():
    text = (
        INTRO
        + "Foreign Minister Maria Lind and Foreign Minister Ola Berg on Monday announced a new fisheries accord.\n"
        "Lind and Berg agreed to meet again in May."
    )
    sentence = "Foreign Minister Maria Lind and Foreign Minister Ola Berg on Monday announced a new fisheries accord"
    assert reported_of(text) == [(sentence, "maria-lind"), (sentence, "ola-berg")]


def test_a_visit_called_on_someone_is_not_reported_speech():
    assert reported_of(INTRO + "Lind also called on President Erik Holm at the palace.") == []


def test_a_sentence_that_introduces_a_quotation_is_not_reported_speech():
    assert reported_of(INTRO + "Berg said: “Talks went well.”") == []


# Officials --------------------------------------------------------------------------


def test_people_from_their_titles_with_the_country_before_or_after():
    text = (
        "Israel's defense minister, Benny Gantz, met US Defense Secretary Lloyd Austin.\n"
        "Maria Lind, Sweden's foreign minister, was there. So was King Abdullah II.\n"
    )
    assert [(p.slug, p.name, p.country, p.role) for p in find_people(text)] == [
        ("benny-gantz", "Benny Gantz", "IL", "Defense Minister"),
        ("lloyd-austin", "Lloyd Austin", "US", "Defense Secretary"),
        ("maria-lind", "Maria Lind", "SE", "Foreign Minister"),
        ("abdullah-ii", "Abdullah II", None, "King"),
    ]


def test_people_the_database_knows_keep_its_slug_name_and_country_and_a_namesake_gets_another_slug():
    known = [
        KnownOfficial("ola-berg-sr", "Ola Berg", "NO", "King"),
        KnownOfficial("maria-lind", "Maria Lind", "FI"),
        KnownOfficial("maria-lind-fi", "Maria Lind", "FI"),  # two people by that name: neither is chosen
    ]
    context = DraftContext(gazetteer=Gazetteer(known))
    text = "Swedish Foreign Minister Maria Lind met Foreign Minister Ola Berg in Oslo."
    draft = draft_article(text, Meta("Talks", datetime.date(2031, 5, 4)), context)
    assert [(p.slug, p.name, p.country, p.known) for p in draft.officials.values()] == [
        ("maria-lind-2", "Maria Lind", "SE", False),
        ("ola-berg-sr", "Ola Berg", "NO", True),
    ]


def test_a_topic_keeps_its_parent_only_when_the_parent_is_named_too():
    glossary = TopicGlossary(
        [
            GlossaryTopic("iran", "Iran", None),
            GlossaryTopic("iran-nuclear-program", "Iran's nuclear program", "iran", ("nuclear program",)),
            GlossaryTopic("regional-security", "Regional security", None),
            GlossaryTopic("arms-race", "Regional arms race", "regional-security", ("arms race",)),
        ]
    )
    found = find_topics("Iran and its nuclear program; a dangerous arms race.", glossary)
    assert [(t.slug, t.parent, t.mentions) for t in found.values()] == [
        ("iran", None, ["Iran"]),
        ("iran-nuclear-program", "iran", ["nuclear program"]),
        ("arms-race", None, ["arms race"]),
    ]


# The seed article ---------------------------------------------------------------------


@pytest.fixture
def seed_draft(db):
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
    text = SEED.read_text(encoding="utf-8")
    draft, yaml_text = draft_text(text, Meta("Austin in Israel", SEED_DATE), DraftContext.from_database())
    return text, draft, yaml_text


def test_the_seed_article_drafts_its_officials_visit_and_meeting(seed_draft):
    text, draft, _ = seed_draft
    assert [(p.slug, p.country, p.role, p.mentions) for p in draft.officials.values()] == [
        (
            "lloyd-austin",
            "US",
            "Defense Secretary",
            ["US Defense Secretary Lloyd Austin", "Lloyd Austin", "Secretary Austin", "Austin"],
        ),
        (
            "benny-gantz",
            "IL",
            "Defense Minister",
            ["Defense Minister Benny Gantz", "Benny Gantz", "Minister Gantz", "Gantz"],
        ),
        ("joe-biden", "US", "President", ["US President Joe Biden", "Joe Biden", "Biden"]),
        (
            "benjamin-netanyahu",
            "IL",
            "Prime Minister",
            ["Prime Minister Benjamin Netanyahu", "Benjamin Netanyahu", "Netanyahu"],
        ),
    ]
    visit = draft.visit
    assert (visit.slug, visit.visitors, visit.hosts, visit.host_country, visit.start, visit.end) == (
        "lloyd-austin-israel-2021-04",
        ["lloyd-austin"],
        ["benny-gantz"],
        "IL",
        datetime.date(2021, 4, 11),
        datetime.date(2021, 4, 12),
    )
    assert text[slice(*visit.evidence)] == "kicks off his two-day visit in Israel"
    [meeting] = visit.meetings
    assert (meeting.participants, meeting.date, meeting.place) == (
        ["lloyd-austin", "benny-gantz"],
        datetime.date(2021, 4, 11),
        "Military headquarters in Tel Aviv",
    )


def test_the_seed_article_drafts_every_statement_with_its_speaker(seed_draft):
    text, draft, _ = seed_draft
    assert [(s.kind, s.speaker, text[s.start : s.end][:30]) for s in draft.statements] == [
        ("indirect", "benny-gantz", "Following the meeting, Gantz s"),
        ("direct", "benny-gantz", "During our conversations I emp"),
        ("direct", "benny-gantz", "We will work closely with our "),
        ("indirect", "lloyd-austin", "Austin refrains from addressin"),
        ("direct", "lloyd-austin", "regional security challenges"),
        ("direct", "lloyd-austin", "I was tremendously pleased on "),
        ("direct", "lloyd-austin", "I appreciated hearing Minister"),
        ("indirect", "lloyd-austin", "The two defense chiefs say the"),
        ("indirect", "benny-gantz", "The two defense chiefs say the"),
        ("indirect", "lloyd-austin", "Austin also stressed the close"),
        ("direct", "lloyd-austin", "I reaffirmed to Minister Gantz"),
    ]
    assert draft.statements[4].topics == ["regional-security"]


def test_the_seed_draft_loads_and_marks_what_it_guessed(seed_draft, tmp_path):
    text, draft, yaml_text = seed_draft
    (tmp_path / "seed.txt").write_text(text, encoding="utf-8")
    (tmp_path / "seed.yaml").write_text(yaml_text, encoding="utf-8")
    result = load_file(tmp_path / "seed.yaml", dry_run=True)
    assert (result.ok, result.counts["statement"]["created"], result.counts["official"]["created"]) == (True, 11, 4)
    assert '    speaker: "benny-gantz"  # he says: the last speaker named' not in yaml_text
    assert '  - speaker: "benny-gantz"  # he says: the last speaker named' in yaml_text


# The command ----------------------------------------------------------------------------


def test_the_command_writes_the_yaml_beside_the_text_and_never_overwrites_without_force(db, tmp_path):
    article = tmp_path / "austin.txt"
    shutil.copy(SEED, article)
    out = io.StringIO()
    call_command("draft_annotations", str(article), "--published", "2021-04-11", "--title", "Austin", stdout=out)
    assert out.getvalue() == f"Wrote {tmp_path / 'austin.yaml'}: 4 officials, 0 topics, 1 meetings, 11 statements.\n"
    assert (tmp_path / "austin.yaml").read_text(encoding="utf-8").startswith("# Drafted by manage.py draft_annotations")
    (tmp_path / "austin.yaml").write_text("mine", encoding="utf-8")
    with pytest.raises(CommandError, match="austin.yaml exists: pass --force to overwrite it"):
        call_command("draft_annotations", str(article), "--published", "2021-04-11", stdout=io.StringIO())
    assert (tmp_path / "austin.yaml").read_text(encoding="utf-8") == "mine"
    call_command("draft_annotations", str(article), "--published", "2021-04-11", "--force", stdout=io.StringIO())
    assert load_file(tmp_path / "austin.yaml", dry_run=True).ok


def test_an_article_that_names_no_official_drafts_a_file_with_no_visit_that_loads(db, tmp_path):
    article = tmp_path / "weather.txt"
    article.write_text("Rain is expected in Oslo on Monday, forecasters said.\n", encoding="utf-8")
    call_command("draft_annotations", str(article), "--published", "2031-05-04", stdout=io.StringIO())
    yaml_text = article.with_suffix(".yaml").read_text(encoding="utf-8")
    assert "# unsure: no visit found: statements need a visit, so none is written" in yaml_text
    assert "visits:" not in yaml_text
    assert load_file(article.with_suffix(".yaml"), dry_run=True).ok


def test_drafting_an_article_takes_under_a_second(db):
    text = SEED.read_text(encoding="utf-8")
    context = DraftContext.from_database()
    draft_text(text, Meta("warm-up", SEED_DATE), context)
    began = time.perf_counter()
    draft_text(text, Meta("Austin", SEED_DATE), context)
    assert time.perf_counter() - began < 1.0


# Every folder of annotated articles, the hold-out included: a draft of any of them must load.
CORPUS = [settings.BASE_DIR / "tests" / "data", *(settings.BASE_DIR / "tests" / "data" / "articles").glob("*")]


@pytest.mark.parametrize(
    "txt",
    sorted(p for folder in CORPUS if folder.is_dir() for p in folder.glob("*.txt") if p.with_suffix(".yaml").exists()),
    ids=lambda p: p.stem,
)
def test_every_draft_of_the_corpus_passes_load_articles_dry_run(db, txt, tmp_path):
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
    from visits.loading.document import parse_document

    hand, _ = parse_document(txt.with_suffix(".yaml").read_text(encoding="utf-8"), txt.read_text(encoding="utf-8"))
    meta = Meta(hand.article.title, hand.article.published)
    target = tmp_path / txt.name
    shutil.copy(txt, target)
    call_command(
        "draft_annotations",
        str(target),
        "--published",
        str(meta.published),
        "--title",
        meta.title,
        stdout=io.StringIO(),
    )
    result = load_file(target.with_suffix(".yaml"), dry_run=True)
    assert [p.format(target.name) for p in result.errors] == []


# The New article page ----------------------------------------------------------------------

LIND = (settings.BASE_DIR / "tests" / "data" / "lind-norland.txt").read_text(encoding="utf-8")
LIND_META = {"title": "Lind opens visit to Norland", "published": "2031-05-04", "publisher": "The Example Herald"}


@pytest.fixture
def annotations(tmp_path, settings):
    settings.ANNOTATIONS_DIR = tmp_path / "annotations"
    return settings.ANNOTATIONS_DIR


def drafted_page(client):
    page = client.post(reverse("visits:article-new"), {"text": LIND, "language": "en", "draft": "1", **LIND_META})
    assert page.status_code == 200
    return page.content.decode()


def test_the_new_article_page_is_for_editors_only(client, db):
    address = reverse("visits:article-new")
    assert client.get(address)["Location"] == f"{reverse('admin:login')}?next={address}"
    client.force_login(staff_in("Viewers"))
    assert client.get(address).status_code == 403
    assert client.post(address, {"text": LIND, "draft": "1", **LIND_META}).status_code == 403
    client.force_login(staff_in("Editors"))
    assert client.get(address).status_code == 200


def test_an_editor_drafts_accepts_and_saves_an_article_which_is_loaded_and_written_as_files(editor_client, annotations):
    html = drafted_page(editor_client)
    data = form_data(html, "article-new")
    assert (data["officials-0-slug"], data["officials-1-slug"], data["officials-0-accept"]) == (
        ["maria-lind"],
        ["ola-berg"],
        ["on"],
    )
    assert (data["visit-visitors"], data["visit-hosts"], data["visit-host_country"]) == (
        ["maria-lind"],
        ["ola-berg"],
        ["NO"],
    )
    assert [data[f"statements-{n}-speaker"] for n in range(3)] == [["ola-berg"], ["maria-lind"], ["maria-lind"]]
    data.pop("statements-2-accept")  # "Lind said she would return ...": not a statement about this visit
    data["save"] = ["1"]
    saved = editor_client.post(reverse("visits:article-new"), data)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("visits:visit-detail", kwargs={"slug": "maria-lind-norway-2031-05"})
    article = Article.objects.get()
    assert (article.slug, article.title, article.publisher) == (
        "2031-05-04-lind-opens-visit-to-norland",
        "Lind opens visit to Norland",
        "The Example Herald",
    )
    assert [(s.speaker.slug, s.kind, s.quote[:20]) for s in article.statements.order_by("start")] == [
        ("ola-berg", "direct", "Our waters are share"),
        ("maria-lind", "indirect", "Lind said the two ha"),
    ]
    assert sorted(p.name for p in annotations.iterdir()) == [
        "2031-05-04-lind-opens-visit-to-norland.txt",
        "2031-05-04-lind-opens-visit-to-norland.yaml",
    ]
    assert (annotations / "2031-05-04-lind-opens-visit-to-norland.txt").read_text(encoding="utf-8") == LIND
    assert load_file(annotations / "2031-05-04-lind-opens-visit-to-norland.yaml", dry_run=True).ok


def test_a_save_the_loader_refuses_shows_its_errors_and_writes_nothing(editor_client, annotations):
    data = form_data(drafted_page(editor_client), "article-new")
    data.pop("officials-1-accept")  # Ola Berg rejected, but still the host, a participant and a speaker
    data["save"] = ["1"]
    page = editor_client.post(reverse("visits:article-new"), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "The loader refused the annotation, so nothing was saved" in html
    assert (
        "visits[0].hosts[0]: unknown official &#x27;ola-berg&#x27;: define it under `officials:` in this file" in html
    )
    assert (Article.objects.count(), annotations.exists()) == (0, False)


def test_an_accepted_statement_needs_a_speaker(editor_client, annotations):
    data = form_data(drafted_page(editor_client), "article-new")
    data["statements-0-speaker"] = [""]
    data["save"] = ["1"]
    page = editor_client.post(reverse("visits:article-new"), data)
    assert "Choose who said it, or untick it." in page.content.decode()
    assert Article.objects.count() == 0


# The bench's measures --------------------------------------------------------------------------

SCORED_TEXT = "“We agree,” Berg said. Lind said the talks went well. “Fine.” ‘Scare’ quotes."


def annotation(**fields):
    values = {
        "officials": {},
        "direct": [],
        "indirect": [],
        "topics": set(),
        "visit_dates": None,
        "host_country": None,
    }
    return Annotation(**(values | fields))


def span(text, fragment):
    start = SCORED_TEXT.index(fragment)
    return start, start + len(fragment)


def test_scoring_officials_match_by_slug_or_by_the_same_person():
    hand = annotation(officials={"ola-berg": "Ola Berg", "joseph-biden": "Joseph R. Biden", "maria-lind": "Maria Lind"})
    drafted = annotation(officials={"ola-berg": "Ola Berg", "joe-biden": "Joe Biden", "erik-holm": "Erik Holm"})
    count = score_officials(drafted, hand)
    assert (count.hits, count.drafted, count.hand, round(count.precision, 2), round(count.recall, 2)) == (
        2,
        3,
        3,
        0.67,
        0.67,
    )


def test_scoring_quotation_spans_ignore_the_punctuation_before_the_closing_mark_and_count_unsure_speakers():
    we_agree = span(SCORED_TEXT, "We agree")
    berg = {"ola-berg": "Ola Berg"}
    hand = annotation(officials=berg, direct=[(*we_agree, "ola-berg"), (*span(SCORED_TEXT, "Fine"), "ola-berg")])
    drafted = annotation(
        officials=berg,
        direct=[
            (we_agree[0], we_agree[1] + 1, "ola-berg"),  # "We agree," with its comma
            (*span(SCORED_TEXT, "Fine"), None),
            (*span(SCORED_TEXT, "Scare"), None),
        ],
    )
    spans = score_spans(SCORED_TEXT, drafted, hand)
    speakers = score_speakers(SCORED_TEXT, drafted, hand)
    assert (spans.hits, spans.drafted, spans.hand) == (2, 3, 2)
    assert (speakers.hits, speakers.drafted, speakers.hand) == (1, 1, 2)


def test_scoring_a_wrong_speaker_costs_precision_and_a_speaker_left_out_only_recall():
    hand = annotation(officials={"ola-berg": "Ola Berg"}, direct=[(*span(SCORED_TEXT, "We agree"), "ola-berg")])
    wrong = annotation(officials={"maria-lind": "Maria Lind"}, direct=[(*span(SCORED_TEXT, "We agree"), "maria-lind")])
    left_out = annotation(direct=[(*span(SCORED_TEXT, "We agree"), None)])
    wrong_count, left_count = score_speakers(SCORED_TEXT, wrong, hand), score_speakers(SCORED_TEXT, left_out, hand)
    assert (wrong_count.precision, wrong_count.recall) == (0.0, 0.0)
    assert (left_count.precision, left_count.recall, left_count.drafted) == (1.0, 0.0, 0)


def test_scoring_reported_speech_matches_spans_overlapping_by_half_with_the_same_speaker_once_each():
    said = span(SCORED_TEXT, "Lind said the talks went well")
    officials = {"maria-lind": "Maria Lind", "ola-berg": "Ola Berg"}
    hand = annotation(officials=officials, indirect=[(*said, "maria-lind")])
    drafted = annotation(
        officials=officials,
        indirect=[(said[0], said[1] - 10, "maria-lind"), (said[0] + 5, said[1], "maria-lind"), (*said, "ola-berg")],
    )
    count = score_reported(drafted, hand)
    assert (count.hits, count.drafted, count.hand) == (1, 3, 1)


def test_scoring_dates_and_host_country_are_exact_per_article():
    day = datetime.date(2031, 5, 4)
    hand = annotation(visit_dates=(day, day), host_country="NO")
    drafted = annotation(visit_dates=(day, day + datetime.timedelta(days=1)), host_country="NO")
    scores = score(SCORED_TEXT, drafted, hand)
    assert (scores["visit dates"].hits, scores["host country"].hits, scores["host country"].hand) == (0, 1, 1)


# Dates ------------------------------------------------------------------------------------------


def visit_days(text, published):
    published = datetime.date.fromisoformat(published)
    sentence_spans = sentences(text)

    def sentence_of(position):
        return containing(sentence_spans, position)

    dates = find_dates(text, published, sentence_of)
    start, end, _ = visit_dates(text, published, dates, sentence_spans[0], sentence_of)
    return str(start), str(end) if end else None


@pytest.mark.parametrize(
    ("text", "published", "days"),
    [
        # The dateline's date is the report's; "on Tuesday" is the day before a Wednesday.
        ("HANOI, March 12 (Asia Wire) – Han arrived in Hanoi on Tuesday for a three-day state visit.", "2031-03-12",
         ("2031-03-11", "2031-03-13")),
        ("Lind called on Monday for talks, on the second day of a visit to Paris.", "1994-03-21",
         ("1994-03-20", None)),
        ("Dos Santos urged Argentina on Thursday, on the second and last day of a visit.", "2031-06-19",
         ("2031-06-18", "2031-06-19")),
        ("Han wrapped up his three-day state visit to Vietnam on Thursday in Ho Chi Minh City.", "2031-03-13",
         ("2031-03-11", "2031-03-13")),
        ("Ríos arrived in Bogotá on Nov. 26 and stays until Thursday.", "2030-11-27", ("2030-11-26", "2030-11-28")),
        ("Lind opens a two-day visit to Norland.", "2031-05-04", ("2031-05-04", "2031-05-05")),
        ("Lind visited Oslo on Sunday.", "2031-05-04", ("2031-05-04", None)),
    ],
)  # fmt: skip
def test_the_visit_days_from_the_text_and_the_publication_date(text, published, days):
    assert visit_days(text, published) == days


def test_a_tampered_save_shows_the_form_again_and_writes_nothing(editor_client, annotations):
    data = form_data(drafted_page(editor_client), "article-new")
    data |= {"save": ["1"], "statements-0-start": ["x"], "officials-0-country": ["ZZ"], "visit-start": ["2031-02-31"]}
    page = editor_client.post(reverse("visits:article-new"), data)
    html = page.content.decode()
    assert (page.status_code, Article.objects.count(), annotations.exists()) == (200, 0, False)
    assert "&#x27;ZZ&#x27; is not an ISO 3166-1 alpha-2 country code" in html
    assert "Enter a whole number." in html
