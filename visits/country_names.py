"""Country names by code, looked up once per code and language.

django-countries' `countries.name()` translates on every call; the world map
and the country facet name about 250 countries a page, which took a tenth of
a first visit-list request at 100,000 visits.
"""

import functools

from django.utils.translation import get_language
from django_countries import countries


def country_name(code):
    """The country's display name (the settings' overrides included), or "" for an unknown code."""
    return _name(str(code), get_language())


@functools.lru_cache(maxsize=2048)
def _name(code, language):
    return countries.name(code)
