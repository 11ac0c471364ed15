"""The admin: every record editable, validated by the loader's rules, with history.

Validation lives in the models' `clean()` and in `visits.rules` (shared with
the loader); after-save work (edit marks, re-anchoring, the refresh every
write ends in) in `visits.editing`. This module only wires them to the admin.
"""

import functools

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from . import editing
from .admin_forms import ArticleForm, GuardedForm, MentionForm, SplitForm, StatementForm, VisitForm
from .curation import merging
from .loading import unload_article
from .models import (
    Article,
    DuplicateCandidate,
    IdentityJudgement,
    Meeting,
    Mention,
    Merge,
    Official,
    SourceRecord,
    Statement,
    Topic,
    Visit,
    VisitOfficial,
    VisitReport,
)
from .people import positions_by_official

admin.site.site_header = "Diplomatic visits: editing"
admin.site.site_title = "Diplomatic visits"
admin.site.index_title = "Records"


class YearFilter(admin.SimpleListFilter):
    """Filter by the year of a date field named by `date_field`."""

    title = "year"
    parameter_name = "year"
    date_field = "start"

    def lookups(self, request, model_admin):
        years = (
            model_admin.model.objects.annotate(y=ExtractYear(self.date_field))
            .order_by("-y")
            .values_list("y", flat=True)
            .distinct()
        )
        return [(str(y), str(y)) for y in years if y]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.date_field}__year": int(self.value())})
        return queryset


class ArticleYearFilter(YearFilter):
    date_field = "published"


class StatementYearFilter(YearFilter):
    date_field = "article__published"

    def lookups(self, request, model_admin):
        years = Article.objects.annotate(y=ExtractYear("published")).order_by("-y").values_list("y", flat=True)
        return [(str(y), str(y)) for y in dict.fromkeys(years) if y]


def refreshing(view):
    """Wrap a ModelAdmin view so that whatever it writes ends in the refresh of what it touched."""

    @functools.wraps(view)
    def wrapper(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return view(self, request, *args, **kwargs)  # reads only
        with editing.edits() as edits:
            request.edits = edits
            return view(self, request, *args, **kwargs)

    return wrapper


class Guarded:
    """Adds the hidden `opened_state` of a GuardedForm to the fields shown to someone who may change the record."""

    form = GuardedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "opened_state" in flatten_fieldsets(fieldsets) or not self.has_change_permission(request, obj):
            return fieldsets
        name, options = fieldsets[-1]
        return [*fieldsets[:-1], (name, {**options, "fields": [*options["fields"], "opened_state"]})]


class GuardedInline(Guarded):
    extra = 0


class EditorAdmin(Guarded, SimpleHistoryAdmin):
    """Marks what editors change; every view that can write ends in `editing.edits`' refresh.

    The views are the admin's change and add form, delete page, change list
    (bulk actions) and django-simple-history's revert form: each tells
    `request.edits` what it is about to change and what it changed. A save
    that changes nothing marks nothing as edited.
    """

    readonly_fields = ("edited_at",)

    changeform_view = refreshing(SimpleHistoryAdmin.changeform_view)
    delete_view = refreshing(SimpleHistoryAdmin.delete_view)
    changelist_view = refreshing(SimpleHistoryAdmin.changelist_view)

    @refreshing
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's revert form checks only the view permission; saving needs the change one."""
        if request.method == "POST" and not self.has_change_permission(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change or form.has_changed():
            editing.mark_edited(obj)
        request.edits.touch(obj)  # what it touched before the change
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)  # the new and changed ones only
        for instance in instances:
            editing.mark_edited(instance)
            request.edits.touch(instance)
            instance.save()
        for instance in formset.deleted_objects:
            request.edits.touch(instance)
            instance.delete()
        formset.save_m2m()
        for instance in instances:
            request.edits.touch(instance)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request.edits.touch(form.instance)  # and after it, lists included

    def delete_model(self, request, obj):
        request.edits.touch(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


# Statements --------------------------------------------------------------


class StatementInline(GuardedInline, admin.StackedInline):
    model = Statement
    form = StatementForm
    autocomplete_fields = ["speaker", "topics", "visit", "meeting"]
    show_change_link = True


@admin.register(Statement)
class StatementAdmin(EditorAdmin):
    form = StatementForm
    list_display = ["short_quote", "speaker", "kind", "article_published", "visit", "edited_at"]
    list_select_related = ["speaker", "article", "visit"]
    list_filter = ["kind", ("speaker__country", admin.AllValuesFieldListFilter), "topics", StatementYearFilter]
    search_fields = ["quote", "speaker__name", "speaker__slug", "article__title"]
    autocomplete_fields = ["article", "visit", "meeting", "speaker", "topics"]
    date_hierarchy = "article__published"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__text")

    @admin.display(description="quote")
    def short_quote(self, obj):
        return obj.quote[:90] + ("…" if len(obj.quote) > 90 else "")

    @admin.display(description="published", ordering="article__published")
    def article_published(self, obj):
        return obj.article.published


# Meetings ----------------------------------------------------------------


class MeetingInline(GuardedInline, admin.StackedInline):
    model = Meeting
    fields = ["article", "date", "place", "participants", "topics"]
    autocomplete_fields = ["article", "participants", "topics"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(EditorAdmin):
    list_display = ["__str__", "visit", "date", "participant_names", "edited_at"]
    list_select_related = ["visit"]
    list_filter = [("participants", admin.RelatedOnlyFieldListFilter), "topics"]
    search_fields = ["place", "visit__slug", "participants__name"]
    autocomplete_fields = ["visit", "article", "participants", "topics"]
    date_hierarchy = "date"
    fields = ["visit", "article", "date", "place", "participants", "topics", "edited_at"]
    inlines = [StatementInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("participants")

    @admin.display(description="participants")
    def participant_names(self, obj):
        return ", ".join(o.name for o in obj.participants.all())


# Visits ------------------------------------------------------------------


class VisitReportInline(admin.TabularInline):
    model = VisitReport
    fields = ["article_link", "start", "end", "summary"]
    readonly_fields = ["article_link", "start", "end", "summary"]
    extra = 0
    can_delete = False
    verbose_name = "source article"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="article")
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article.title)


class SourceRecordInline(admin.TabularInline):
    """Imported records are the data set's words: shown, not edited (a re-import would undo it)."""

    model = SourceRecord
    fields = ["dataset", "record_id", "name", "start_text", "end_text", "locale", "remarks", "duplicate_of"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "data set record"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SourceRecord)
class SourceRecordAdmin(admin.ModelAdmin):
    list_display = ["__str__", "name", "country", "start_text", "end_text", "visit"]
    list_select_related = ["visit"]
    list_filter = ["dataset", "country"]
    search_fields = ["name", "remarks", "locale", "=record_id"]
    date_hierarchy = "start"
    readonly_fields = [f.name for f in SourceRecord._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the data set's own words: a re-import is what removes a record


@admin.register(Visit)
class VisitAdmin(EditorAdmin):
    form = VisitForm
    list_display = ["slug", "visitor_names", "host_country", "start", "end", "edited_at"]
    list_filter = ["host_country", ("visitors", admin.RelatedOnlyFieldListFilter), "topics", YearFilter]
    search_fields = ["slug", "summary", "visitors__name", "hosts__name"]
    autocomplete_fields = ["visitors", "hosts", "topics"]
    date_hierarchy = "start"
    inlines = [MeetingInline, VisitReportInline, SourceRecordInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_document", "search_vector").prefetch_related("visitors")

    @admin.display(description="visitors")
    def visitor_names(self, obj):
        return ", ".join(o.name for o in obj.visitors.all())


# Officials and topics -------------------------------------------------------


# What identity curation needs: merging and splitting change officials and record judgements and merges.
CURATION_PERMISSIONS = ("visits.change_official", "visits.add_identityjudgement", "visits.add_merge")


def may_curate(request):
    return request.user.has_perms(CURATION_PERMISSIONS)


class NeedsReviewFilter(admin.SimpleListFilter):
    """Officials whose offices may be two people's (visits.people.review_notes)."""

    title = "identity checks"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("flagged", "Flagged for review")]

    def queryset(self, request, queryset):
        if self.value() == "flagged":
            return queryset.exclude(review_notes=[])
        return queryset


@admin.register(Official)
class OfficialAdmin(EditorAdmin):
    list_display = ["name", "slug", "country", "offices", "review", "edited_at"]
    list_filter = [NeedsReviewFilter, "country"]
    search_fields = ["name", "slug"]
    readonly_fields = ("edited_at", "merged_into", "review")
    change_form_template = "admin/visits/official/change_form.html"

    @admin.display(description="identity checks")
    def review(self, obj):
        return "; ".join(obj.review_notes)

    def get_urls(self):
        split = self.admin_site.admin_view(require_http_methods(["GET", "POST"])(self.split_view))
        return [path("<path:object_id>/split/", split, name="visits_official_split"), *super().get_urls()]

    def render_change_form(self, request, context, *args, **kwargs):
        context["may_curate"] = may_curate(request)
        return super().render_change_form(request, context, *args, **kwargs)

    def split_view(self, request, object_id):
        """Make a new person of the visits, records and statements an editor chooses (merging.split)."""
        official = self.get_object(request, unquote(object_id))
        if official is None:
            raise Http404
        if not may_curate(request):
            raise PermissionDenied
        form = SplitForm(request.POST or None, official=official, initial={"name": official.name})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                new = merging.split(
                    official,
                    visits=data["visits"],
                    records=data["records"],
                    statements=data["statements"],
                    name=data["name"],
                    slug=data["slug"],
                    country=data["country"],
                    user=request.user,
                )
            except merging.CurationError as error:
                form.add_error(None, str(error))
            else:
                self.log_change(request, official, f"Split: {new.slug} made of what was chosen.")
                self.message_user(request, f"{new} now has what was chosen; {official} keeps the rest.")
                return redirect("admin:visits_official_change", new.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Split {official}",
            "opts": self.opts,
            "original": official,
            "form": form,
        }
        return TemplateResponse(request, "admin/visits/official/split.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("article_entries")

    @admin.display(description="offices held")
    def offices(self, obj):
        return ", ".join(dict.fromkeys(entry.role for entry in obj.article_entries.all()))

    def get_deleted_objects(self, objs, request):
        """Refuse, as protected, to delete officials anything names (`editing.references_to`): single and bulk."""
        deleted, counts, permissions_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected) + [phrase for official in objs for phrase in editing.references_to(official)]
        return deleted, counts, permissions_needed, protected


# Identity curation ------------------------------------------------------------


def person_summary(official, summaries):
    """Return an official's line in the review queue: name (linked), country, offices, years, visits."""
    offices, years, visits = summaries.get(official.pk, ("", "", 0))
    return format_html(
        '<a href="{}">{}</a> ({}) <a href="{}">page</a><br>{}{}{} visit{}',
        reverse("admin:visits_official_change", args=[official.pk]),
        official.name,
        official.country,
        official.get_absolute_url(),
        f"{offices}; " if offices else "",
        f"{years}; " if years else "",
        visits,
        "" if visits == 1 else "s",
    )


def summaries_of(official_ids):
    """Return {official id: (offices, years, visits)} in three queries, whatever the number of officials."""
    positions = positions_by_official(official_ids)
    visits = dict(
        VisitOfficial.objects.filter(official_id__in=official_ids)
        .values_list("official_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = {}
    for pk in official_ids:
        held = positions.get(pk, [])
        offices = ", ".join(dict.fromkeys(f"{slug} {country}".strip() for slug, country, _, _ in held if slug))
        years = f"{min(p[2] for p in held).year}-{max(p[3] for p in held).year}" if held else ""
        result[pk] = (offices, years, visits.get(pk, 0))
    return result


class CurationAdmin(admin.ModelAdmin):
    """The queue and the merges are made by curation, never typed in: no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_curate_permission(self, request):
        return may_curate(request)


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(CurationAdmin):
    """Possible duplicates (visits.curation.candidates, `manage.py find_duplicates`), judged by actions."""

    list_display = ["score", "left_person", "right_person", "why"]
    list_select_related = ["left", "right"]
    search_fields = ["left__name", "right__name"]
    actions = ["same_keep_left", "same_keep_right", "different", "unsure"]
    list_per_page = 50

    @admin.display(description="left: kept by the first action", ordering="left__name")
    def left_person(self, obj):
        return person_summary(obj.left, getattr(obj, "summaries", {}))

    @admin.display(description="right", ordering="right__name")
    def right_person(self, obj):
        return person_summary(obj.right, getattr(obj, "summaries", {}))

    @admin.display(description="why")
    def why(self, obj):
        return "; ".join(obj.reasons)

    def get_changelist_instance(self, request):
        """The page's pairs, each with the summaries of the page's people (three queries, not three per row)."""
        changelist = super().get_changelist_instance(request)
        candidates = list(changelist.result_list)  # evaluated once; the template reads these same objects
        summaries = summaries_of(list({pk for c in candidates for pk in (c.left_id, c.right_id)}))
        for candidate in candidates:
            candidate.summaries = summaries
        return changelist

    def judge(self, request, queryset, verdict, keep="left"):
        done = 0
        for candidate in queryset.select_related("left", "right"):
            try:
                merging.judge_candidate(candidate, verdict, keep=keep, user=request.user)
            except merging.CurationError as error:
                self.message_user(request, f"{candidate}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} pair(s) judged {verdict}.")

    @admin.action(description="Same person: merge the right into the left", permissions=["curate"])
    def same_keep_left(self, request, queryset):
        self.judge(request, queryset, IdentityJudgement.Verdict.SAME, keep="left")

    @admin.action(description="Same person: merge the left into the right", permissions=["curate"])
    def same_keep_right(self, request, queryset):
        self.judge(request, queryset, IdentityJudgement.Verdict.SAME, keep="right")

    @admin.action(description="Different people", permissions=["curate"])
    def different(self, request, queryset):
        self.judge(request, queryset, IdentityJudgement.Verdict.DIFFERENT)

    @admin.action(description="Unsure: leave them as they are", permissions=["curate"])
    def unsure(self, request, queryset):
        self.judge(request, queryset, IdentityJudgement.Verdict.UNSURE)


@admin.register(Merge)
class MergeAdmin(CurationAdmin):
    list_display = ["decided_at", "merged_link", "kept_link", "decided_by", "what_moved", "undone_at"]
    list_select_related = ["merged", "kept", "decided_by"]
    list_filter = [("undone_at", admin.EmptyFieldListFilter)]
    search_fields = ["merged__name", "kept__name"]
    actions = ["undo"]

    @admin.display(description="merged", ordering="merged__name")
    def merged_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:visits_official_change", args=[obj.merged_id]), obj.merged
        )

    @admin.display(description="into", ordering="kept__name")
    def kept_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:visits_official_change", args=[obj.kept_id]), obj.kept)

    @admin.display(description="what moved")
    def what_moved(self, obj):
        counts = []
        for name in merging.MOVED:  # in this order: PostgreSQL keeps JSON keys in its own
            value = obj.moved.get(name, [])
            n = len(value.get("moved", [])) if isinstance(value, dict) else len(value)
            if n:
                counts.append(f"{n} {name.replace('_', ' ')}")
        return ", ".join(counts)

    @admin.action(description="Undo the merge: put back what it moved", permissions=["curate"])
    def undo(self, request, queryset):
        done = 0
        for record in queryset.order_by("-decided_at", "-pk"):  # the latest first: an earlier may wait on it
            try:
                merging.undo(record, user=request.user)
            except merging.CurationError as error:
                self.message_user(request, f"{record}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} merge(s) undone.")


@admin.register(Topic)
class TopicAdmin(EditorAdmin):
    list_display = ["name", "slug", "parent", "visit_count", "edited_at"]
    ordering = ["name", "slug"]  # also the autocomplete's order, which is paginated
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(visit_count=Count("visit_links"))

    @admin.display(description="visits", ordering="visit_count")
    def visit_count(self, obj):
        return obj.visit_count


# Articles ----------------------------------------------------------------


class MentionInline(GuardedInline, admin.TabularInline):
    model = Mention
    form = MentionForm
    autocomplete_fields = ["official", "topic"]


@admin.register(Article)
class ArticleAdmin(EditorAdmin):
    form = ArticleForm
    list_display = ["title", "slug", "publisher", "published", "statement_count", "edited_at"]
    list_filter = ["language", "publisher", ArticleYearFilter]
    search_fields = ["title", "slug", "url", "publisher"]
    date_hierarchy = "published"
    inlines = [StatementInline, MentionInline]
    readonly_fields = ["source_path", "loaded_at", "edited_at", "visits_reported"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text").annotate(statement_count=Count("statements"))

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj):
        return obj.statement_count

    @admin.display(description="visits reported")
    def visits_reported(self, obj):
        reports = obj.visit_reports.select_related("visit")
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((r.visit.get_absolute_url(), r.visit.slug) for r in reports)
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        editing.apply_moved_spans(getattr(form, "moves", {}))

    def delete_model(self, request, obj):
        # Removing an article removes what it contributed (the format's rule 8).
        unload_article(obj.slug)
