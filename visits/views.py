"""Thin views: read the request, call the page's selector (`visits.selectors`), render."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_countries import countries

from . import downloads, selectors
from .addresses import Ambiguous, Moved
from .caching import current_version
from .drafting.review import Review, may_review
from .facets import FACET_PAGES
from .filters import FacetSearchForm, OfficialSearchForm, StatementFilterSet, VisitFilterSet, map_mode
from .models import Statement, Visit


def moved(request, target):
    """A permanent redirect to `target`'s page, keeping the query string."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(target.get_absolute_url() + (f"?{query}" if query else ""))


def home(request):
    return render(request, "visits/home.html", selectors.home(current_version(request)))


def visit_list(request):
    filterset = VisitFilterSet(request.GET, queryset=Visit.objects.all())
    context = {"filterset": filterset, "page": None, "page_error": None, "facets": None, "chips": []}
    if filterset.is_valid():
        context |= selectors.visit_list(filterset, request.GET, current_version(request), map_mode(request.GET))
    return render(request, "visits/visit_list.html", context)


def visit_facet(request, name):
    """Every option of one facet of the visit list (`name`), for the visit list's filters in the query string."""
    if name not in FACET_PAGES:
        raise Http404("No such facet.")
    params = request.GET.copy()
    search = FacetSearchForm({key: params.pop(key)[-1] for key in ("fq", "page") if key in params})
    filterset = VisitFilterSet(params, queryset=Visit.objects.all())
    context = {"name": name, "title": FACET_PAGES[name], "filterset": filterset, "search": search, "params": params}
    context |= {"page": None, "options": []}
    if filterset.is_valid() and search.is_valid():
        context |= selectors.facet_page(filterset, params, name, search, current_version(request))
    return render(request, "visits/facet_page.html", context)


def visit_detail(request, slug):
    try:
        context = selectors.visit_detail(slug)
    except Moved as move:
        return moved(request, move.target)
    return render(request, "visits/visit_detail.html", context)


def official_list(request):
    context = selectors.official_list(OfficialSearchForm(request.GET), current_version(request))
    return render(request, "visits/official_list.html", context)


def official_suggestions(request):
    """The people a few typed letters may mean, as JSON for the suggestion box (static/visits/suggest.js)."""
    query = request.GET.get("q", "")[:200]
    return JsonResponse({"q": query, "results": selectors.suggestions(query, current_version(request))})


def official_detail(request, slug):
    try:
        official = selectors.official(slug)
    except Moved as move:
        return moved(request, move.target)
    except Ambiguous as choice:
        return render(request, "visits/official_choice.html", {"slug": slug, "people": choice.people}, status=300)
    topics = request.GET.getlist("topic")
    filterset = StatementFilterSet(
        {"official": [official.slug], **({"topic": topics} if topics else {})}, queryset=Statement.objects.all()
    )
    statements = filterset.qs if filterset.is_valid() else Statement.objects.none()
    version = current_version(request)
    context = {
        "official": official,
        "data_version": version,
        "topic_filter": filterset.form["topic"].value() if filterset.is_bound else [],
        "topic_errors": filterset.errors.get("topic"),
        **selectors.official_detail(official, statements, version),
    }
    return render(request, "visits/official_detail.html", context)


def topic_list(request):
    return render(request, "visits/topic_list.html", selectors.topic_tree(current_version(request)))


def topic_detail(request, slug):
    topic = selectors.topic(slug)
    version = current_version(request)
    context = {"topic": topic, "data_version": version, **selectors.topic_detail(topic, version)}
    return render(request, "visits/topic_detail.html", context)


def country_list(request):
    return render(request, "visits/country_list.html", selectors.country_list())


def country_detail(request, code):
    code = code.upper()
    if code not in countries:
        raise Http404("No such country code.")
    context = selectors.country_detail(code, current_version(request), map_mode(request.GET))
    return render(request, "visits/country_detail.html", context)


def statement_list(request):
    filterset = StatementFilterSet(request.GET, queryset=Statement.objects.all())
    context = {"filterset": filterset, "page": None, "page_error": None}
    if filterset.is_valid():
        context |= selectors.statement_list(filterset, current_version(request))
    return render(request, "visits/statement_list.html", context)


def article_list(request):
    return render(request, "visits/article_list.html", selectors.article_list(request.GET.get("page")))


def article_detail(request, slug):
    return render(request, "visits/article_detail.html", selectors.article_detail(slug))


def visit_export(request, fmt):
    filterset = VisitFilterSet(request.GET, queryset=Visit.objects.all())
    if not filterset.is_valid():
        return downloads.invalid(filterset)
    return downloads.visits(request, filterset.qs, fmt)


def statement_export(request, fmt):
    filterset = StatementFilterSet(request.GET, queryset=Statement.objects.all())
    if not filterset.is_valid():
        return downloads.invalid(filterset)
    return downloads.statements(request, filterset.qs, fmt)


def article_new(request):
    """New article: paste a text, review its draft, save it as a file and load it (Editors only)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not may_review(request.user):
        raise PermissionDenied
    review = Review(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "save" in request.POST and review.is_valid():
        address = review.save(settings.ANNOTATIONS_DIR)
        if address:
            return redirect(address)
    return render(request, "visits/article_new.html", {"review": review})
