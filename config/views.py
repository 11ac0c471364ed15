"""Operational endpoints, outside the visits app."""

from django.db import DatabaseError, connection
from django.http import JsonResponse


def healthz(request):
    """200 when the database answers a query, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
