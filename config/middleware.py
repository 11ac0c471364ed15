"""Answer what a view cannot: a database outage (503) and a query string too long to parse (400)."""

import logging

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import QueryDict
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable: %s", exception)
            response = TemplateResponse(request, "503.html", status=503)
            response["Retry-After"] = "30"
            return response.render()
        return None


class QueryStringLimitMiddleware:
    """Answer 400 with a page that says why, when the query string has more parameters than Django parses.

    Django raises TooManyFieldsSent wherever request.GET is first read: in a
    view that is a 500, and with DEBUG on the debug page reads it again and
    fails too. Reading it here, first, turns it into one clear answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET  # noqa: B018 - parsed now, with Django's limit on the number of parameters
        except TooManyFieldsSent:
            request.GET = QueryDict()
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            message = f"This address has more than {limit:,} parameters; no page takes that many. Remove some."
            return TemplateResponse(request, "400.html", {"message": message}, status=400).render()
        return self.get_response(request)
