"""Countries as articles name them: names, adjectives and capitals, to ISO 3166-1 alpha-2 codes (no database).

`find_countries(text)` returns every place the text names a country, with
its code: "Israel", "Israel's", "Israeli", "US", "U.S.", "American",
"Tel Aviv". Country names come from django-countries (the project's list,
its common-name overrides included) plus the short forms news reports use;
adjectives and cities are a table, because no library we may install holds
them. A word that is both a surname and a country adjective ("Jordan") is
still a country here: the drafter asks the reviewer when it matters.
"""

import re
from dataclasses import dataclass
from functools import cache

from django_countries import countries

# Short and common forms that django-countries does not list under that name.
NAMES = {
    "US": "US", "U.S.": "US", "USA": "US", "America": "US", "United States": "US",
    "UK": "GB", "U.K.": "GB", "Britain": "GB", "Great Britain": "GB", "England": "GB", "Scotland": "GB",
    "Russia": "RU", "South Korea": "KR", "North Korea": "KP", "Korea": "KR", "Iran": "IR", "Syria": "SY",
    "Vietnam": "VN", "Turkey": "TR", "Türkiye": "TR", "Czech Republic": "CZ", "Czechia": "CZ", "UAE": "AE",
    "United Arab Emirates": "AE", "Emirates": "AE", "Ivory Coast": "CI", "Taiwan": "TW", "Laos": "LA",
    "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ", "Moldova": "MD", "Palestine": "PS",
    "West Bank": "PS", "Gaza": "PS", "Holland": "NL", "Netherlands": "NL", "the Netherlands": "NL",
    "Vatican": "VA", "Holy See": "VA", "Kosovo": "XK", "Brunei": "BN", "Micronesia": "FM",
    "Congo": "CG", "DR Congo": "CD", "Democratic Republic of the Congo": "CD", "Macedonia": "MK",
    "North Macedonia": "MK", "Philippines": "PH", "Gambia": "GM", "Bahamas": "BS",
}  # fmt: skip

ADJECTIVES = {
    "American": "US", "Israeli": "IL", "British": "GB", "French": "FR", "German": "DE", "Chinese": "CN",
    "Japanese": "JP", "Indian": "IN", "Russian": "RU", "Turkish": "TR", "Egyptian": "EG", "Saudi": "SA",
    "Emirati": "AE", "Qatari": "QA", "Jordanian": "JO", "Iranian": "IR", "Iraqi": "IQ", "Syrian": "SY",
    "Lebanese": "LB", "Palestinian": "PS", "Ukrainian": "UA", "Polish": "PL", "Italian": "IT",
    "Spanish": "ES", "Portuguese": "PT", "Dutch": "NL", "Belgian": "BE", "Swedish": "SE",
    "Norwegian": "NO", "Danish": "DK", "Finnish": "FI", "Greek": "GR", "Cypriot": "CY",
    "South Korean": "KR", "North Korean": "KP", "Korean": "KR", "Australian": "AU", "Canadian": "CA",
    "Mexican": "MX", "Brazilian": "BR", "Argentine": "AR", "Argentinian": "AR", "Chilean": "CL",
    "Colombian": "CO", "Peruvian": "PE", "Venezuelan": "VE", "Cuban": "CU", "Kenyan": "KE",
    "Nigerian": "NG", "South African": "ZA", "Ethiopian": "ET", "Moroccan": "MA", "Algerian": "DZ",
    "Tunisian": "TN", "Libyan": "LY", "Pakistani": "PK", "Afghan": "AF", "Bangladeshi": "BD",
    "Indonesian": "ID", "Malaysian": "MY", "Singaporean": "SG", "Thai": "TH", "Vietnamese": "VN",
    "Filipino": "PH", "Philippine": "PH", "New Zealand": "NZ", "Swiss": "CH", "Austrian": "AT",
    "Czech": "CZ", "Hungarian": "HU", "Romanian": "RO", "Bulgarian": "BG", "Serbian": "RS",
    "Croatian": "HR", "Irish": "IE", "Icelandic": "IS", "Estonian": "EE", "Latvian": "LV",
    "Lithuanian": "LT", "Georgian": "GE", "Armenian": "AM", "Azerbaijani": "AZ", "Kazakh": "KZ",
    "Uzbek": "UZ", "Mongolian": "MN", "Taiwanese": "TW", "Bahraini": "BH", "Omani": "OM",
    "Kuwaiti": "KW", "Yemeni": "YE", "Sudanese": "SD", "Ghanaian": "GH", "Senegalese": "SN",
    "Rwandan": "RW", "Tanzanian": "TZ", "Ugandan": "UG", "Belarusian": "BY", "Moldovan": "MD",
    "Slovak": "SK", "Slovenian": "SI", "Luxembourgish": "LU", "Maltese": "MT", "Albanian": "AL",
    "Bosnian": "BA", "Montenegrin": "ME", "Macedonian": "MK", "Ecuadorian": "EC", "Uruguayan": "UY",
    "Paraguayan": "PY", "Bolivian": "BO", "Panamanian": "PA", "Costa Rican": "CR", "Guatemalan": "GT",
    "Honduran": "HN", "Salvadoran": "SV", "Nicaraguan": "NI", "Dominican": "DO", "Haitian": "HT",
    "Jamaican": "JM", "Nepali": "NP", "Nepalese": "NP", "Sri Lankan": "LK", "Burmese": "MM",
    "Cambodian": "KH", "Laotian": "LA", "Kyrgyz": "KG", "Tajik": "TJ", "Turkmen": "TM",
    "Zambian": "ZM", "Zimbabwean": "ZW", "Angolan": "AO", "Mozambican": "MZ", "Namibian": "NA",
    "Botswanan": "BW", "Malian": "ML", "Nigerien": "NE", "Chadian": "TD", "Cameroonian": "CM",
    "Congolese": "CD", "Somali": "SO", "Eritrean": "ER", "Djiboutian": "DJ", "Mauritanian": "MR",
    "Ivorian": "CI", "Beninese": "BJ", "Togolese": "TG", "Burkinabe": "BF", "Guinean": "GN",
    "Liberian": "LR", "Sierra Leonean": "SL", "Malagasy": "MG", "Mauritian": "MU", "Fijian": "FJ",
}  # fmt: skip

CAPITALS = {
    "Washington": "US", "New York": "US", "Jerusalem": "IL", "Tel Aviv": "IL", "London": "GB",
    "Paris": "FR", "Berlin": "DE", "Beijing": "CN", "Shanghai": "CN", "Tokyo": "JP", "New Delhi": "IN",
    "Delhi": "IN", "Moscow": "RU", "Ankara": "TR", "Istanbul": "TR", "Cairo": "EG", "Riyadh": "SA",
    "Jeddah": "SA", "Abu Dhabi": "AE", "Dubai": "AE", "Doha": "QA", "Amman": "JO", "Tehran": "IR",
    "Baghdad": "IQ", "Damascus": "SY", "Beirut": "LB", "Ramallah": "PS", "Kyiv": "UA", "Kiev": "UA",
    "Warsaw": "PL", "Rome": "IT", "Madrid": "ES", "Lisbon": "PT", "Amsterdam": "NL", "The Hague": "NL",
    "Brussels": "BE", "Stockholm": "SE", "Oslo": "NO", "Tromsø": "NO", "Copenhagen": "DK",
    "Helsinki": "FI", "Athens": "GR", "Nicosia": "CY", "Seoul": "KR", "Pyongyang": "KP",
    "Canberra": "AU", "Sydney": "AU", "Ottawa": "CA", "Mexico City": "MX", "Brasília": "BR",
    "Brasilia": "BR", "Buenos Aires": "AR", "Santiago": "CL", "Bogotá": "CO", "Bogota": "CO",
    "Lima": "PE", "Caracas": "VE", "Havana": "CU", "Nairobi": "KE", "Abuja": "NG", "Lagos": "NG",
    "Pretoria": "ZA", "Johannesburg": "ZA", "Cape Town": "ZA", "Addis Ababa": "ET", "Rabat": "MA",
    "Algiers": "DZ", "Tunis": "TN", "Tripoli": "LY", "Islamabad": "PK", "Kabul": "AF", "Dhaka": "BD",
    "Jakarta": "ID", "Kuala Lumpur": "MY", "Bangkok": "TH", "Hanoi": "VN", "Manila": "PH",
    "Wellington": "NZ", "Bern": "CH", "Geneva": "CH", "Vienna": "AT", "Prague": "CZ", "Budapest": "HU",
    "Bucharest": "RO", "Sofia": "BG", "Belgrade": "RS", "Zagreb": "HR", "Dublin": "IE",
    "Reykjavik": "IS", "Tallinn": "EE", "Riga": "LV", "Vilnius": "LT", "Tbilisi": "GE",
    "Yerevan": "AM", "Baku": "AZ", "Astana": "KZ", "Tashkent": "UZ", "Ulaanbaatar": "MN",
    "Taipei": "TW", "Manama": "BH", "Muscat": "OM", "Kuwait City": "KW", "Khartoum": "SD",
    "Accra": "GH", "Dakar": "SN", "Kigali": "RW", "Dodoma": "TZ", "Dar es Salaam": "TZ",
    "Kampala": "UG", "Minsk": "BY", "Chisinau": "MD", "Bratislava": "SK", "Ljubljana": "SI",
    "Luxembourg": "LU", "Valletta": "MT", "Tirana": "AL", "Sarajevo": "BA", "Podgorica": "ME",
    "Skopje": "MK", "Quito": "EC", "Montevideo": "UY", "Asunción": "PY", "La Paz": "BO",
    "Panama City": "PA", "San José": "CR", "Kathmandu": "NP", "Colombo": "LK", "Naypyidaw": "MM",
    "Phnom Penh": "KH", "Vientiane": "LA", "Singapore": "SG", "Hiroshima": "JP", "Osaka": "JP",
    "Mumbai": "IN", "Munich": "DE", "Milan": "IT", "Barcelona": "ES", "Haifa": "IL",
    "Luanda": "AO", "Maputo": "MZ", "Harare": "ZW", "Lusaka": "ZM", "Windhoek": "NA", "Gaborone": "BW",
    "Antananarivo": "MG", "Bamako": "ML", "Niamey": "NE", "Ouagadougou": "BF", "Conakry": "GN",
    "Freetown": "SL", "Monrovia": "LR", "Abidjan": "CI", "Yamoussoukro": "CI", "Lomé": "TG", "Cotonou": "BJ",
    "Yaoundé": "CM", "Libreville": "GA", "Kinshasa": "CD", "Brazzaville": "CG", "Juba": "SS", "Asmara": "ER",
    "Mogadishu": "SO", "Nouakchott": "MR", "Suva": "FJ", "Nuku'alofa": "TO", "Nukuʻalofa": "TO", "Apia": "WS",
    "Port Moresby": "PG", "Honiara": "SB", "Port Vila": "VU", "Thimphu": "BT", "Malé": "MV", "Bishkek": "KG",
    "Dushanbe": "TJ", "Ashgabat": "TM", "Bogor": "ID", "Bali": "ID", "Cartagena": "CO", "Medellín": "CO",
    "Puerto Montt": "CL", "Valparaíso": "CL", "Ho Chi Minh City": "VN", "Da Nang": "VN", "Kyoto": "JP",
    "Narita": "JP", "Busan": "KR", "Chennai": "IN", "Kolkata": "IN", "Bangalore": "IN", "Karachi": "PK",
    "Lahore": "PK", "Alexandria": "EG", "Marrakesh": "MA", "Casablanca": "MA", "Mombasa": "KE", "Arusha": "TZ",
    "Zanzibar": "TZ", "Melbourne": "AU", "Perth": "AU", "Auckland": "NZ", "Toronto": "CA", "Montreal": "CA",
    "Vancouver": "CA", "São Paulo": "BR", "Sao Paulo": "BR", "Rio de Janeiro": "BR", "Guadalajara": "MX",
    "Monterrey": "MX", "Frankfurt": "DE", "Hamburg": "DE", "Bonn": "DE", "Lyon": "FR", "Marseille": "FR",
    "Strasbourg": "FR", "Naples": "IT", "Venice": "IT", "Florence": "IT", "Seville": "ES", "Porto": "PT",
    "Rotterdam": "NL", "Antwerp": "BE", "Gothenburg": "SE", "Bergen": "NO", "Gdansk": "PL", "Krakow": "PL",
    "Kraków": "PL", "St Petersburg": "RU", "Vladivostok": "RU", "Odesa": "UA", "Lviv": "UA", "Kharkiv": "UA",
    "Thessaloniki": "GR", "Piraeus": "GR", "Izmir": "TR", "Antalya": "TR", "Basra": "IQ", "Erbil": "IQ",
    "Aleppo": "SY", "Isfahan": "IR", "Salalah": "OM", "Mecca": "SA", "Medina": "SA", "Dammam": "SA",
    "Sharjah": "AE", "Aktau": "KZ", "Almaty": "KZ", "Samarkand": "UZ", "Kano": "NG",
    "Calabar": "NG", "Addis": "ET", "Gdańsk": "PL", "Edinburgh": "GB", "Belfast": "GB", "Cardiff": "GB",
    "Manchester": "GB", "Zurich": "CH", "Zürich": "CH", "Davos": "CH", "Saint Petersburg": "RU",
}  # fmt: skip


@dataclass(frozen=True)
class CountryMention:
    start: int
    end: int
    code: str
    kind: str  # "name", "adjective" or "city"


@cache
def table():
    """Return {phrase: (code, kind)} of every country name, adjective and city known."""
    phrases = {}
    for code, name in countries:
        if len(code) == 2 and "," not in name and "(" not in name:
            phrases[name] = (code, "name")
    phrases |= {name: (code, "name") for name, code in NAMES.items()}
    phrases |= {word: (code, "adjective") for word, code in ADJECTIVES.items()}
    phrases |= {city: (code, "city") for city, code in CAPITALS.items()}
    return phrases


@cache
def pattern():
    phrases = sorted(table(), key=len, reverse=True)
    # A name ends at a word boundary; "U.S." ends in a full stop, so the boundary is "not a letter".
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w])")


def find_countries(text):
    """Return a CountryMention for each place `text` names a country, in order."""
    found = []
    for match in pattern().finditer(text):
        code, kind = table()[match.group()]
        found.append(CountryMention(match.start(), match.end(), code, kind))
    return found


def country_of(phrase):
    """Return the code of a country name, adjective or city written exactly as `phrase`, or None."""
    entry = table().get(phrase.strip())
    return entry[0] if entry else None
