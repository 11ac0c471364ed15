from django.urls import path, register_converter

from . import feeds, views


class ExportFormat:
    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "fmt")

app_name = "visits"

urlpatterns = [
    path("", views.home, name="home"),
    path("visits/", views.visit_list, name="visit-list"),
    path("visits.<fmt:fmt>", views.visit_export, name="visit-export"),
    path("visits.atom", feeds.VisitFeed(), name="visit-feed"),
    path("visits/facets/<slug:name>/", views.visit_facet, name="visit-facet"),
    path("visits/<slug:slug>/", views.visit_detail, name="visit-detail"),
    path("officials/", views.official_list, name="official-list"),
    path("officials/suggest", views.official_suggestions, name="official-suggest"),
    path("officials/<slug:slug>/", views.official_detail, name="official-detail"),
    path("topics/", views.topic_list, name="topic-list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("statements/", views.statement_list, name="statement-list"),
    path("statements.<fmt:fmt>", views.statement_export, name="statement-export"),
    path("statements.atom", feeds.StatementFeed(), name="statement-feed"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/new", views.article_new, name="article-new"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
]
