from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("visits.urls")),
]
