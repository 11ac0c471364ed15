"""Turn a database outage into a clear 503 page instead of a traceback."""

import logging

from django.db import InterfaceError, OperationalError
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
