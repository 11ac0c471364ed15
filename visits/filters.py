"""FilterSets for the list pages and exports: every GET value goes through a form field."""

import django_filters
from django import forms
from django.conf import settings
from django_countries import countries

from .models import ArticleOfficial, Official, SourceRecordOfficial, Statement, Topic, Visit, VisitOffice
from .queries import MAX_QUERY_LENGTH, is_postgresql


class LimitedValues:
    """A repeated parameter takes at most MAX_VALUES_PER_FILTER values: checking more costs a query no one needs."""

    def clean(self, value):
        limit = settings.MAX_VALUES_PER_FILTER
        if value and len(value) > limit:
            raise forms.ValidationError(
                f"at most {limit} values of one filter at once (this address gives {len(value)})", code="too_many"
            )
        return super().clean(value)


class CountryCodesField(LimitedValues, forms.MultipleChoiceField):
    """ISO 3166-1 alpha-2 codes, case-insensitive (`il` is `IL`)."""

    default_error_messages = {"invalid_choice": "%(value)s is not a known country code."}
    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        # No choices list: copying ~250 countries into every form cost more than the whole query.
        kwargs["choices"] = ()
        super().__init__(**kwargs)

    def valid_value(self, value):
        return value in countries

    def to_python(self, value):
        # An empty value ("Any country" in a select) is no value.
        return [code.strip().upper()[:8] for code in super().to_python(value) if code.strip()]


class CountryCodesFilter(django_filters.MultipleChoiceFilter):
    field_class = CountryCodesField


class OfficesField(LimitedValues, forms.MultipleChoiceField):
    """Offices by their slug in visits.offices' vocabulary (`?office=secretary-of-state`); repeats are OR."""

    default_error_messages = {"invalid_choice": "%(value)s is not an office any visitor held."}
    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        kwargs["choices"] = ()
        super().__init__(**kwargs)

    def validate(self, value):
        forms.Field.validate(self, value)  # "required" only: the offices held are asked of the database
        held = set(VisitOffice.objects.filter(office_slug__in=value).values_list("office_slug", flat=True))
        for slug in value:
            if slug not in held:
                raise forms.ValidationError(self.error_messages["invalid_choice"], params={"value": slug})

    def to_python(self, value):
        return [slug.strip().lower()[:200] for slug in super().to_python(value) if slug.strip()]


class OfficesFilter(django_filters.MultipleChoiceFilter):
    field_class = OfficesField


class SlugChoicesField(LimitedValues, django_filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        """The chosen rows; an official merged into another is the one they were merged into."""
        chosen = super().clean(value)
        if self.queryset.model is not Official or not any(o.merged_into_id for o in chosen):
            return chosen
        canonical = {o.pk: o for o in chosen if not o.merged_into_id}
        for official in chosen:
            while official.merged_into_id:
                official = Official.objects.get(pk=official.merged_into_id)
            canonical.setdefault(official.pk, official)
        return list(canonical.values())


class SlugChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Officials or topics named by slug in the URL (`?official=lloyd-austin`); repeats are OR."""

    field_class = SlugChoicesField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.MultipleHiddenInput)
        super().__init__(*args, **kwargs)


class HeldOfficesField(OfficesField):
    """Offices by slug, any official held (by article or record), for the officials list."""

    default_error_messages = {"invalid_choice": "%(value)s is not an office anyone held."}

    def validate(self, value):
        forms.Field.validate(self, value)
        held = set()
        for model in (ArticleOfficial, SourceRecordOfficial):
            rows = model.objects.filter(office_slug__in=value).order_by().values_list("office_slug", flat=True)
            held |= set(rows.distinct())
        for slug in value:
            if slug not in held:
                raise forms.ValidationError(self.error_messages["invalid_choice"], params={"value": slug})


class OfficialSearchForm(forms.Form):
    """The officials list: find people by name or office, narrow by country and office, sort."""

    SORTS = [("", "Best match, then name"), ("name", "Name"), ("visits", "Most visits")]

    q = forms.CharField(
        label="Name or office",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. Blinken, de Gaulle, Secretary of State"}),
    )
    country = CountryCodesField(label="Country", required=False)
    office = HeldOfficesField(label="Office", required=False)
    sort = forms.ChoiceField(label="Sort", choices=SORTS, required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False, widget=forms.HiddenInput)


class FacetSearchForm(forms.Form):
    """The search box of a facet's page of all options (`fq`) and its page number."""

    fq = forms.CharField(label="Find", required=False, max_length=MAX_QUERY_LENGTH)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)


class DateRangeForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the range is before its start.")
        return data


class ListFilterSet(django_filters.FilterSet):
    """Shared behaviour: date range, free text, page number, and filtering with one filter left out."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words, names, places"}),
    )
    date_from = django_filters.DateFilter(
        label="From", method="filter_dates", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="To", method="filter_dates", widget=forms.DateInput(attrs={"type": "date"})
    )
    page = django_filters.NumberFilter(method="keep", min_value=1, max_value=100_000, widget=forms.HiddenInput)

    def keep(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_queryset_without(self, queryset, *left_out):
        """Return `queryset` filtered by every valid filter except those named in `left_out`."""
        for name, value in self.form.cleaned_data.items():
            if name not in left_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def cache_key(self):
        """The valid filters in a canonical form (without page and sort): what decides counts."""
        key = []
        for name, value in sorted(self.form.cleaned_data.items()):
            if name in ("page", "sort"):
                continue
            if isinstance(value, list) or hasattr(value, "model"):  # codes, or the chosen officials or topics
                value = sorted(str(getattr(item, "slug", item)) for item in value)
            key.append((name, str(value)))
        return tuple(key)

    @property
    def page_number(self):
        return int(self.form.cleaned_data.get("page") or 1)


class VisitFilterSet(ListFilterSet):
    country = CountryCodesFilter(method="filter_country", label="Country (host or visitor)")
    host_country = CountryCodesFilter(method="filter_host_country", label="Host country")
    visitor_country = CountryCodesFilter(method="filter_visitor_country", label="Visitor's country")
    official = SlugChoiceFilter(queryset=Official.objects.all(), method="filter_official", label="Official")
    topic = SlugChoiceFilter(queryset=Topic.objects.all(), method="filter_topic", label="Topic")
    office = OfficesFilter(method="filter_office", label="Visitor's office")
    sort = django_filters.ChoiceFilter(
        choices=[("-date", "Newest first"), ("date", "Oldest first"), ("relevance", "Best match")],
        method="keep",
        empty_label=None,
        label="Sort",
    )

    class Meta:
        model = Visit
        fields = []
        form = DateRangeForm

    def filter_country(self, queryset, name, value):
        return queryset.involving_countries(value) if value else queryset

    def filter_host_country(self, queryset, name, value):
        return queryset.hosted_by_countries(value) if value else queryset

    def filter_visitor_country(self, queryset, name, value):
        return queryset.with_visitors_from(value) if value else queryset

    def filter_official(self, queryset, name, value):
        return queryset.involving_officials(value) if value else queryset

    def filter_topic(self, queryset, name, value):
        return queryset.about_topics(value) if value else queryset

    def filter_office(self, queryset, name, value):
        return queryset.with_visitors_holding(value) if value else queryset

    def filter_dates(self, queryset, name, value):
        return queryset.overlapping(**{name: value})

    def sort_queryset(self, queryset):
        """Order as asked: by date (default newest first), or, when searching, by rank if asked."""
        sort = self.form.cleaned_data.get("sort") or "-date"
        if sort == "relevance" and self.form.cleaned_data.get("q"):
            if is_postgresql():
                return queryset.order_by("-rank", "-start", "slug")
            sort = "-date"
        if sort == "date":
            return queryset.order_by("start", "end", "slug")
        return queryset.order_by("-start", "-end", "slug")

    @property
    def qs(self):
        return self.sort_queryset(super().qs)


class StatementFilterSet(ListFilterSet):
    official = SlugChoiceFilter(queryset=Official.objects.all(), method="filter_official", label="Speaker")
    topic = SlugChoiceFilter(queryset=Topic.objects.all(), method="filter_topic", label="Topic")
    country = CountryCodesFilter(method="filter_country", label="Speaker's country")
    kind = django_filters.ChoiceFilter(choices=[("direct", "Direct quotation"), ("indirect", "Reported speech")])

    class Meta:
        model = Statement
        fields = []
        form = DateRangeForm

    def filter_official(self, queryset, name, value):
        return queryset.by_officials(value) if value else queryset

    def filter_topic(self, queryset, name, value):
        return queryset.about_topics(value) if value else queryset

    def filter_country(self, queryset, name, value):
        return queryset.by_speakers_from(value) if value else queryset

    def filter_dates(self, queryset, name, value):
        return queryset.between(**{name: value})

    @property
    def qs(self):
        return super().qs.order_by("-article__published", "article_id", "start", "pk")


class MapForm(forms.Form):
    """Which side of a visit the world map counts (`?map=visitor`); anything else is the host's side."""

    map = forms.ChoiceField(choices=[("host", "Host countries"), ("visitor", "Visitors' countries")], required=False)


def map_mode(params):
    """Return "host" or "visitor": the map's side as the query string asks, the host's by default."""
    form = MapForm(params)
    return (form.cleaned_data["map"] if form.is_valid() else "") or "host"
