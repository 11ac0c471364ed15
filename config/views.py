"""Operational endpoints, outside the visits app."""

from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static


def healthz(request):
    """200 when the database answers a query, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def favicon(request):
    """Browsers ask for /favicon.ico on pages without an icon link (the admin's)."""
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return HttpResponsePermanentRedirect(static("visits/favicon.svg"))
