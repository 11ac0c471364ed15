"""Property-based tests: whatever a crawler or an annotator sends, no traceback."""

import io
import re
import string

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils.html import escape, strip_tags
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from visits.highlighting import Span, highlight
from visits.loading.document import parse_document
from visits.spans import whole_word_occurrences

LIST_URLS = [
    "/visits/",
    "/statements/",
    "/visits.csv",
    "/visits.json",
    "/statements.csv",
    "/statements.json",
    "/visits.atom",
    "/statements.atom",
    "/countries/IL/",
    "/officials/lloyd-austin/",
    "/officials/",
]
PARAMETERS = [
    "country",
    "host_country",
    "visitor_country",
    "official",
    "topic",
    "date_from",
    "date_to",
    "q",
    "sort",
    "page",
    "kind",
    "map",
    "unknown",
]

hostile_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "IL",
            "il",
            "lloyd-austin",
            "iran",
            "2021-04-11",
            "2021-02-31",
            "-1",
            "0",
            "99999999999999999999",
            "%00",
            "\x00",
            "<script>",
            "\x01\x1b",
            "visitor",
            "' OR 1=1 --",
            "x" * 5000,
            "１",
            "NaN",
            "date",
            "-date",
        ]
    ),
)
query_strings = st.lists(st.tuples(st.sampled_from(PARAMETERS), hostile_text), max_size=6)


@pytest.fixture(scope="module")
def seeded_db(django_db_setup, django_db_blocker):
    """The seed, loaded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
        call_command("load_articles", str(settings.BASE_DIR / "seeds"), stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(LIST_URLS), params=query_strings)
def test_arbitrary_query_strings_never_give_a_server_error(client, seeded_db, url, params):
    response = client.get(url, params)
    assert response.status_code in (200, 400)
    if response.streaming:
        b"".join(response.streaming_content)


VALID_YAML = (settings.BASE_DIR / "seeds" / "austin-israel-2021-04.yaml").read_text()
ARTICLE_TEXT = (settings.BASE_DIR / "seeds" / "austin-israel-2021-04.txt").read_text()


@hypothesis_settings(max_examples=200, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(VALID_YAML)))
def test_a_truncated_annotation_never_ends_in_a_traceback(cut):
    document, problems = parse_document(VALID_YAML[:cut], ARTICLE_TEXT)
    assert document is not None or [p for p in problems if not p.warning]
    for problem in problems:
        assert problem.format("x.yaml").startswith("x.yaml")


yaml_ish = st.text(alphabet=string.printable + "“”’—éあ\x00\t", max_size=400)


@hypothesis_settings(max_examples=300, deadline=None)
@given(text=yaml_ish)
def test_arbitrary_yaml_documents_never_end_in_a_traceback(text):
    document, problems = parse_document("format: visit-report/1\n" + text, ARTICLE_TEXT)
    assert document is not None or [p for p in problems if not p.warning]


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(list("ab <>&\"'\n") + ["<script>", "😀", "\x00", "&amp;"]), max_size=40).map("".join),
    cuts=st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), max_size=6),
)
def test_highlighted_text_is_always_the_escaped_text_plus_markup(text, cuts):
    spans = [Span(a, b, "statement statement-direct", f"s-{i}", title="<b>") for i, (a, b) in enumerate(cuts) if a < b]
    html = str(highlight(text, spans))
    assert strip_tags(html) == escape(text)
    assert "<script>" not in html


# Few letters, so that names often occur, overlap and touch other words.
WORDISH = st.text(alphabet="ab _-é1.", max_size=40)


@given(text=WORDISH, name=WORDISH.filter(bool))
def test_whole_word_occurrences_are_what_the_lookaround_regex_finds(text, name):
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")

    found = list(whole_word_occurrences(text, name))

    assert found == [match.span() for match in pattern.finditer(text)]
