"""The "New article" page's logic: a draft as forms, the reviewer's choices back to a file, loaded.

`Review(data)` holds the page's forms. Posted with "Draft", it drafts the
pasted text and offers each official, topic, the visit, each meeting and
each statement as a row with an accept box (statements whose speaker the
drafter was unsure of start unticked, with no speaker chosen). Posted with
"Save", it builds the annotation document from the accepted rows
(`reviewed_draft`), writes it with the drafter's writer, checks it with
the loader exactly as `load_articles --dry-run` would (the same messages,
shown on the page; nothing is written on error), then writes NAME.txt and
NAME.yaml into the annotations folder and loads them: the file stays the
source of truth. No HTTP here: the view only passes the POST data and
renders.
"""

import hashlib
import json
import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from .. import rules
from ..loading import load_file
from ..models import Article
from .draft import Draft, DraftContext, MeetingDraft, Meta, StatementDraft, VisitDraft, draft_article
from .officials import Person
from .topics import FoundTopic
from .writer import write_draft

# What a reviewer needs to be: staff with the right to add what an article creates (the Editors group has it).
PERMISSIONS = ["visits.add_article", "visits.add_visit", "visits.add_statement", "visits.add_official"]


def may_review(user):
    """Return True if `user` may draft and save articles here (staff with the Editors' add permissions)."""
    return user.is_active and user.is_staff and user.has_perms(PERMISSIONS)


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def validate_slug(value):
    if message := rules.slug_problem(value):
        raise ValidationError(message)


def validate_country(value):
    if message := rules.country_problem(value):
        raise ValidationError(message)


def json_list(value):
    try:
        items = json.loads(value or "[]")
    except ValueError:
        raise ValidationError("not a list") from None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValidationError("not a list of texts")
    return items


class ArticleForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), strip=False, label="Article text")
    title = forms.CharField(max_length=500)
    published = forms.DateField(help_text="YYYY-MM-DD")
    publisher = forms.CharField(max_length=200, required=False)
    url = forms.CharField(max_length=rules.URL_MAX_LENGTH, required=False, label="Address (URL)")
    author = forms.CharField(max_length=200, required=False)
    language = forms.CharField(max_length=16, initial="en")
    digest = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if not text.strip():
            raise ValidationError("Paste the article's text.")
        if message := rules.control_character_problem(text):
            raise ValidationError(message)
        return text

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and (message := rules.url_problem(url)):
            raise ValidationError(message)
        return url

    def meta(self):
        data = self.cleaned_data
        return Meta(data["title"], data["published"], data["publisher"], data["url"], data["author"], data["language"])


class OfficialRow(forms.Form):
    accept = forms.BooleanField(required=False, initial=True)
    slug = forms.CharField(widget=forms.HiddenInput, validators=[validate_slug])
    name = forms.CharField(max_length=200)
    country = forms.CharField(max_length=2, validators=[validate_country])
    role = forms.CharField(max_length=200)
    mentions = forms.CharField(widget=forms.HiddenInput, required=False)
    known = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def clean_mentions(self):
        return json_list(self.cleaned_data["mentions"])


class TopicRow(forms.Form):
    accept = forms.BooleanField(required=False, initial=True)
    slug = forms.CharField(widget=forms.HiddenInput, validators=[validate_slug])
    name = forms.CharField(widget=forms.HiddenInput)
    parent = forms.CharField(widget=forms.HiddenInput, required=False)
    mentions = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_mentions(self):
        return json_list(self.cleaned_data["mentions"])


class WithOfficials(forms.Form):
    """A row whose people are chosen among the article's officials (`officials`: [(slug, name)])."""

    def __init__(self, *args, officials=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.MultipleChoiceField | forms.ChoiceField) and hasattr(field, "people"):
                field.choices = ([("", "—")] if not field.people else []) + list(officials)


def people_field(multiple, **kwargs):
    field = (forms.MultipleChoiceField if multiple else forms.ChoiceField)(**kwargs)
    field.people = multiple
    return field


class VisitRow(WithOfficials):
    accept = forms.BooleanField(required=False, initial=True)
    slug = forms.CharField(max_length=200, validators=[validate_slug])
    visitors = people_field(True, widget=forms.CheckboxSelectMultiple)
    hosts = people_field(True, widget=forms.CheckboxSelectMultiple, required=False)
    host_country = forms.CharField(max_length=2, validators=[validate_country])
    start = forms.DateField()
    end = forms.DateField(required=False)
    places = forms.CharField(required=False, help_text="separated by ;")
    evidence_start = forms.IntegerField(widget=forms.HiddenInput, required=False)
    evidence_end = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MeetingRow(WithOfficials):
    accept = forms.BooleanField(required=False, initial=True)
    participants = people_field(True, widget=forms.CheckboxSelectMultiple, required=False)
    date = forms.DateField(required=False)
    place = forms.CharField(max_length=300, required=False)
    topics = forms.CharField(widget=forms.HiddenInput, required=False)
    evidence_start = forms.IntegerField(widget=forms.HiddenInput)
    evidence_end = forms.IntegerField(widget=forms.HiddenInput)

    def clean_topics(self):
        return json_list(self.cleaned_data["topics"])


class StatementRow(WithOfficials):
    accept = forms.BooleanField(required=False, initial=True)
    speaker = people_field(False, required=False)
    kind = forms.ChoiceField(choices=[("direct", "direct"), ("indirect", "indirect")], widget=forms.HiddenInput)
    start = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    meeting = forms.IntegerField(widget=forms.HiddenInput, required=False)
    topics = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_topics(self):
        return json_list(self.cleaned_data["topics"])

    def clean(self):
        data = super().clean()
        if data.get("accept") and not data.get("speaker"):
            self.add_error("speaker", "Choose who said it, or untick it.")
        return data


OfficialRows = forms.formset_factory(OfficialRow, extra=0)
TopicRows = forms.formset_factory(TopicRow, extra=0)
MeetingRows = forms.formset_factory(MeetingRow, extra=0)
StatementRows = forms.formset_factory(StatementRow, extra=0)


class Review:
    """The page's forms: the article, and once drafted, a row per drafted item."""

    def __init__(self, data=None, context=None):
        self.article = ArticleForm(data)
        self.drafted = False
        self.problems = []  # the loader's messages, when saving failed
        self.rows = None
        if data is None or not self.article.is_valid():
            return
        text = self.article.cleaned_data["text"]
        if "save" in data and self.article.cleaned_data["digest"] == digest(text):
            self.bind(data)
        else:
            self.draft(text, context or DraftContext.from_database())

    # Drafting ---------------------------------------------------------------

    def draft(self, text, context):
        """Draft the text and offer every item as an unbound row."""
        draft = draft_article(text, self.article.meta(), context)
        self.text, self.drafted = text, True
        self.draft_result = draft
        data = self.article.data.copy()
        data["digest"] = digest(text)
        self.article = ArticleForm(data)
        self.article.is_valid()
        officials = [(slug, person.name) for slug, person in draft.officials.items()]
        self.notes = {slug: person.notes for slug, person in draft.officials.items()}
        self.officials = OfficialRows(
            prefix="officials", initial=[official_initial(p) for p in draft.officials.values()]
        )
        self.topics = TopicRows(prefix="topics", initial=[topic_initial(t) for t in draft.topics.values()])
        visit = draft.visit
        self.visit = VisitRow(prefix="visit", officials=officials, initial=visit_initial(visit) if visit else None)
        self.has_visit = visit is not None
        self.meetings = MeetingRows(
            prefix="meetings",
            initial=[meeting_initial(m) for m in visit.meetings] if visit else [],
            form_kwargs={"officials": officials},
        )
        self.statements = StatementRows(
            prefix="statements",
            initial=[statement_initial(s) for s in draft.statements],
            form_kwargs={"officials": officials},
        )
        self.page_notes = draft.notes + (visit.notes if visit else [])

    def bind(self, data):
        """Bind the rows to what the reviewer posted."""
        self.text, self.drafted = self.article.cleaned_data["text"], True
        self.officials = OfficialRows(data, prefix="officials")
        officials = [
            (form["slug"].value(), form["name"].value() or form["slug"].value()) for form in self.officials.forms
        ]
        self.notes = {}
        self.topics = TopicRows(data, prefix="topics")
        self.visit = VisitRow(data, prefix="visit", officials=officials)
        self.has_visit = True
        self.meetings = MeetingRows(data, prefix="meetings", form_kwargs={"officials": officials})
        self.statements = StatementRows(data, prefix="statements", form_kwargs={"officials": officials})
        self.page_notes = []

    # Saving -------------------------------------------------------------------

    def is_valid(self):
        if not (self.drafted and self.article.is_bound and self.article.is_valid()):
            return False
        forms_valid = [self.officials.is_valid(), self.topics.is_valid(), self.meetings.is_valid()]
        forms_valid.append(self.statements.is_valid())
        forms_valid.append(self.visit.is_valid() or not self.visit_accepted())
        return all(forms_valid) and self.officials.is_bound

    def visit_accepted(self):
        return self.visit.is_bound and self.visit["accept"].value() in (True, "on", "true", "True")

    def save(self, directory):
        """Check, write and load the reviewed article; return the visit's address, or None (see `problems`)."""
        draft = reviewed_draft(
            self.text,
            self.article.meta(),
            self.officials.cleaned_data,
            self.topics.cleaned_data,
            self.visit.cleaned_data if self.visit_accepted() else None,
            self.meetings.cleaned_data,
            self.statements.cleaned_data,
        )
        stem = article_stem(draft.meta)
        self.problems = save_article(Path(directory), stem, draft)
        if self.problems:
            return None
        if draft.visit:
            from django.urls import reverse

            return reverse("visits:visit-detail", kwargs={"slug": draft.visit.slug})
        return Article.objects.get(slug=stem).get_absolute_url()

    def rows_with_notes(self):
        """The official rows, each with the drafter's notes about it."""
        return [(form, self.notes.get(form["slug"].value(), [])) for form in self.officials.forms]

    def statement_rows(self):
        """The statement rows, each with its quoted text and the drafter's note."""
        rows = []
        for form in self.statements.forms:
            try:
                start, end = int(form["start"].value()), int(form["end"].value())
            except (TypeError, ValueError):
                start = end = 0  # a tampered row: its errors say so
            note = form.initial.get("note", "")
            rows.append((form, self.text[start:end], note))
        return rows


def official_initial(person):
    return {
        "accept": True,
        "slug": person.slug,
        "name": person.name,
        "country": person.country,
        "role": person.role,
        "mentions": json.dumps(person.mentions, ensure_ascii=False),
        "known": person.known,
    }


def topic_initial(topic):
    return {
        "accept": True,
        "slug": topic.slug,
        "name": topic.name,
        "parent": topic.parent or "",
        "mentions": json.dumps(topic.mentions, ensure_ascii=False),
    }


def visit_initial(visit):
    return {
        "accept": True,
        "slug": visit.slug,
        "visitors": visit.visitors,
        "hosts": visit.hosts,
        "host_country": visit.host_country,
        "start": visit.start,
        "end": visit.end,
        "places": "; ".join(visit.places),
        "evidence_start": visit.evidence[0] if visit.evidence else None,
        "evidence_end": visit.evidence[1] if visit.evidence else None,
    }


def meeting_initial(meeting):
    return {
        "accept": True,
        "participants": meeting.participants,
        "date": meeting.date,
        "place": meeting.place,
        "topics": json.dumps(meeting.topics),
        "evidence_start": meeting.evidence[0],
        "evidence_end": meeting.evidence[1],
    }


def statement_initial(statement):
    note = statement.unsure
    if statement.candidate:
        note += f" (perhaps {statement.candidate})"
    return {
        "accept": bool(statement.speaker),
        "speaker": statement.speaker or "",
        "kind": statement.kind,
        "start": statement.start,
        "end": statement.end,
        "meeting": statement.meeting,
        "topics": json.dumps(statement.topics),
        "note": note or statement.evidence,
    }


def reviewed_draft(text, meta, officials, topics, visit, meetings, statements):
    """Return the Draft of the accepted rows (cleaned data of each formset; `visit` None when rejected)."""
    people = {
        row["slug"]: Person(
            row["slug"],
            row["name"].strip(),
            rules.country_code(row["country"]),
            row["role"].strip(),
            known=row["known"],
            mentions=row["mentions"] or [row["name"].strip()],
            evidence="the reviewer",
        )
        for row in officials
        if row.get("accept")
    }
    found_topics = {
        row["slug"]: FoundTopic(row["slug"], row["name"], row["parent"] or None, row["mentions"])
        for row in topics
        if row.get("accept")
    }
    for topic in found_topics.values():
        if topic.parent not in found_topics:
            topic.parent = None  # a rejected parent: the loader keeps the one the database knows
    kept_statements = [
        StatementDraft(row["kind"], row["start"], row["end"], row["speaker"], "accepted", topics=row["topics"])
        for row in statements
        if row.get("accept")
    ]
    for statement in kept_statements:
        statement.topics = [slug for slug in statement.topics if slug in found_topics]
    draft_visit = None
    if visit:
        kept_meetings, numbers = [], {}
        for index, row in enumerate(meetings):
            if row.get("accept"):
                numbers[index] = len(kept_meetings)
                kept_meetings.append(
                    MeetingDraft(
                        row["participants"],
                        row["place"].strip(),
                        row["date"],
                        (row["evidence_start"], row["evidence_end"]),
                        topics=[slug for slug in row["topics"] if slug in found_topics],
                    )
                )
        for statement, row in zip(kept_statements, [r for r in statements if r.get("accept")], strict=True):
            statement.meeting = numbers.get(row["meeting"])
        evidence = (visit["evidence_start"], visit["evidence_end"]) if visit["evidence_start"] is not None else None
        draft_visit = VisitDraft(
            visit["slug"],
            visit["visitors"],
            visit["hosts"],
            rules.country_code(visit["host_country"]),
            visit["start"],
            visit["end"],
            [place.strip() for place in visit["places"].split(";") if place.strip()],
            evidence,
            topics=sorted(found_topics),
            meetings=kept_meetings,
        )
    else:
        kept_statements = []  # a statement belongs to a visit
    return Draft(text, meta, people, found_topics, draft_visit, kept_statements)


def article_stem(meta):
    """Return the file stem (and the article's address) for an article: its date and title, as a slug."""
    return f"{meta.published:%Y-%m-%d}-{slugify(meta.title)[:60].strip('-') or 'article'}"


def save_article(directory, stem, draft):
    """Check, write and load STEM.txt + STEM.yaml in `directory`; return the problems ([] when loaded)."""
    yaml_text = write_draft(draft, reviewed=True)
    if (directory / f"{stem}.yaml").exists() or (directory / f"{stem}.txt").exists():
        return [f"{directory / stem}.yaml exists already: change the title or the date"]
    if Article.objects.filter(slug=stem).exists():
        return [f"an article with the address {stem} is loaded already: change the title or the date"]
    if draft.meta.url and Article.objects.filter(url=draft.meta.url).exists():
        return [f"an article with the address (URL) {draft.meta.url} is loaded already"]
    with tempfile.TemporaryDirectory() as scratch:
        problems = write_and_load(Path(scratch), stem, draft.text, yaml_text, dry_run=True)
    if problems:
        return problems
    directory.mkdir(parents=True, exist_ok=True)
    problems = write_and_load(directory, stem, draft.text, yaml_text, dry_run=False)
    if problems:
        for suffix in (".txt", ".yaml"):
            (directory / f"{stem}{suffix}").unlink(missing_ok=True)
    return problems


def write_and_load(directory, stem, text, yaml_text, *, dry_run):
    """Write the pair and load it as `load_articles` does; return its errors as the command prints them."""
    (directory / f"{stem}.txt").write_text(text, encoding="utf-8")
    path = directory / f"{stem}.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    result = load_file(path, dry_run=dry_run)
    return [problem.format(f"{stem}.yaml") for problem in result.errors]
