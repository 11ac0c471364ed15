"""The Office of the Historian's country ids -> ISO 3166-1 alpha-2 codes.

The data names countries by lowercase ids (`japan`, `korea-south`,
`german-democratic-republic`), not codes. `country_code(id, on_date)` maps
one, in this order:

1. `PERIODS`: ids that stood for different states at different times
   (`russia` is the Soviet Union until 26 December 1991). The record's start
   date picks the state as it was then.
2. `EXCEPTIONS`: ids django-countries cannot resolve by name.
3. django-countries' own name lookup on the id read as words
   (`saudi-arabia` -> "saudi arabia" -> SA), which also knows former names
   (`swaziland` -> SZ) and is kept current upstream.

An id none of these resolves is unmapped: the importer skips its records and
names the id in its summary.

Historical states are kept honest: a record is coded for the state that
existed on its date, never silently for a successor. A state that no longer
exists gets its own code, added to django-countries by the setting
`COUNTRIES_OVERRIDE` (config/settings.py, kept equal to `HISTORICAL_STATES`
by a test): the ISO 3166-3 former alpha-2 code where ISO never gave it to
another country (SU, YU, DD, AN), else a code from the user-assigned range
(XA-XZ). A state that only changed its name, or grew by union and carried on
in law (Dahomey -> Benin, Ceylon -> Sri Lanka, Malaya -> Malaysia,
Tanganyika -> Tanzania, the German Reich -> Germany), keeps its present code.
"""

from datetime import date
from functools import cache

from django_countries import countries

# Codes for states that no longer exist, or that ISO 3166-1 does not list.
HISTORICAL_STATES = {
    "SU": "Soviet Union",  # ISO 3166-3 SUHH, withdrawn 1992
    "YU": "Yugoslavia",  # ISO 3166-3 YUCS: the SFR (to 1992) and the FR of Yugoslavia (1992-2003)
    "DD": "German Democratic Republic",  # ISO 3166-3 DDDE, withdrawn 1990
    "AN": "Netherlands Antilles",  # ISO 3166-3 ANHH, withdrawn 2011
    # ISO's CS meant Czechoslovakia (to 1993), then Serbia and Montenegro
    # (2003-2006): one code for two states, so each gets a user-assigned one.
    "XC": "Czechoslovakia",
    "XS": "Serbia and Montenegro",
    "XH": "Hawaii (Kingdom and Republic)",  # independent until annexed by the U.S. on 12 August 1898
    "XK": "Kosovo",  # the user-assigned code the EU, the IMF and most datasets use
    # ISO 3166-3 RHZW: Southern Rhodesia, (unrecognised) Rhodesia and Zimbabwe Rhodesia, until Zimbabwe's
    # independence on 18 April 1980. RH was never given to another country.
    "RH": "Rhodesia",
}

# Names django-countries gives that are not the common English ones a reader looks for (Nauru, not
# "Naoero"). Added to COUNTRIES_OVERRIDE with the historical states.
COMMON_NAMES = {
    "NR": "Nauru",
    "BS": "Bahamas",
    "US": "United States",
    "FK": "Falkland Islands",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
}

# Ids django-countries' name lookup does not resolve (or, for `korea`, must not guess).
EXCEPTIONS = {
    "antigua-barbuda": "AG",
    "bosnia-herzegovina": "BA",
    "burma": "MM",
    "cape-verde": "CV",
    "congo-democratic-republic": "CD",
    "congo-kinshasa": "CD",
    "congo-republic": "CG",
    "cote-divoire": "CI",
    "guinea-bissau": "GW",
    "korea-north": "KP",
    "korea-south": "KR",
    "palestinian-authority": "PS",
    "saint-kitts-nevis": "KN",
    "saint-vincent-grenadines": "VC",
    "somoa": "WS",  # a misspelling of Samoa in the data
    "timor-leste": "TL",
    "turkiye": "TR",
    "west-bank": "PS",
}

# {id: [(until, code), ..., (None, code)]}: `code` applies to dates before
# `until`. A code of None means no state fits that date.
PERIODS = {
    # Russia before the Union (30 December 1922) and after it (26 December 1991); the Soviet Union between.
    "russia": [(date(1922, 12, 30), "RU"), (date(1991, 12, 26), "SU"), (None, "RU")],
    "ussr": [(date(1922, 12, 30), None), (date(1991, 12, 26), "SU"), (None, None)],
    "soviet-union": [(date(1922, 12, 30), None), (date(1991, 12, 26), "SU"), (None, None)],
    "yugoslavia": [(date(2003, 2, 4), "YU"), (date(2006, 6, 5), "XS"), (None, None)],
    "serbia-montenegro": [(date(2003, 2, 4), "YU"), (date(2006, 6, 5), "XS"), (None, None)],
    "serbia": [(date(2003, 2, 4), "YU"), (date(2006, 6, 5), "XS"), (None, "RS")],
    "montenegro": [(date(2003, 2, 4), "YU"), (date(2006, 6, 3), "XS"), (None, "ME")],
    # Under UN administration inside Yugoslavia, then Serbia and Montenegro,
    # then Serbia, until its declaration of independence.
    "kosovo": [(date(2003, 2, 4), "YU"), (date(2006, 6, 5), "XS"), (date(2008, 2, 17), "RS"), (None, "XK")],
    "czechoslovakia": [(date(1993, 1, 1), "XC"), (None, None)],
    "german-democratic-republic": [(date(1990, 10, 3), "DD"), (None, None)],
    "netherlands-antilles": [(date(2010, 10, 10), "AN"), (None, None)],
    "hawaii": [(date(1898, 8, 12), "XH"), (None, "US")],
    # Rhodesia, and briefly Zimbabwe Rhodesia, until independence as Zimbabwe.
    "zimbabwe": [(date(1980, 4, 18), "RH"), (None, "ZW")],
    # The data's one `korea` record is South Korea (2017); before 1948 no state fits.
    "korea": [(date(1948, 8, 15), None), (None, "KR")],
}
# Needing no entry: `china` is China (CN) before 1 October 1949 as after it, since CN is the code
# of the country the records mean ("China", on the mainland); TW is the data's own `taiwan`, the island.
# And because ISO's own history agrees: `vietnam` before 1976
# is the Republic of Viet Nam, which held VN; `yemen` before 1990 is the
# Yemen Arab Republic, which held YE; `germany` 1949-1990 is the Federal Republic (DE).


def country_code(country_id, on_date=None):
    """Return the ISO 3166-1 alpha-2 code for a data country id on a date, or None."""
    country_id = (country_id or "").strip().lower()
    if not country_id:
        return None
    if country_id in PERIODS:
        for until, code in PERIODS[country_id]:
            if until is None or (on_date is not None and on_date < until):
                return code
        return None
    return EXCEPTIONS.get(country_id) or library_code(country_id)


@cache
def library_code(country_id):
    """Return the code django-countries finds for the id read as a name, or None."""
    code = countries.by_name(country_id.replace("-", " "))
    return code or None
