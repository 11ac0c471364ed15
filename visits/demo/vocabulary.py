"""The demo's words: names, roles, places, topics and the sentences articles are built from.

Mentions are found by the loader as whole words, case-sensitively. Topic
phrases are lowercase and official names capitalised; none of the fixed text
here contains a topic phrase (tests/test_demo.py checks), so every name in an
article is exactly where the planner put it and recorded it.
"""

import datetime
from string import Formatter

# Every demo slug starts with this and every article title with TITLE_PREFIX, so demo rows are never taken
# for real ones, and `delete_demo_data` removes them without touching anything else.
DEMO_PREFIX = "demo-"
TITLE_PREFIX = "[Synthetic] "
MAX_OFFICIALS = 5000
HOST_COUNTRIES = 200
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)


TOPIC_TREE = {
    "energy security": [
        "oil supplies",
        "gas pipelines",
        "nuclear power",
        "solar power",
        "wind farms",
        "electricity grids",
        "hydrogen",
    ],
    "trade": [
        "tariffs",
        "export controls",
        "customs procedures",
        "free trade agreements",
        "farm exports",
        "shipping lanes",
        "steel quotas",
    ],
    "defence": [
        "arms sales",
        "joint exercises",
        "missile defence",
        "naval patrols",
        "officer exchanges",
        "defence industry",
        "peacekeeping",
    ],
    "climate": [
        "emissions targets",
        "climate finance",
        "forest protection",
        "flood barriers",
        "carbon markets",
        "adaptation plans",
        "clean transport",
    ],
    "public health": [
        "vaccines",
        "pandemic preparedness",
        "medical supplies",
        "clinical trials",
        "hospital funding",
        "drug pricing",
        "disease surveillance",
    ],
    "migration": [
        "border management",
        "refugee protection",
        "labour mobility",
        "student visas",
        "asylum procedures",
        "return agreements",
        "diaspora ties",
    ],
    "technology": [
        "semiconductors",
        "artificial intelligence",
        "cybersecurity",
        "telecommunications",
        "space launches",
        "digital standards",
        "data protection",
    ],
    "economy": [
        "debt relief",
        "development aid",
        "infrastructure loans",
        "currency swaps",
        "tax treaties",
        "sovereign funds",
        "tourism",
    ],
    "regional security": [
        "border disputes",
        "counterterrorism",
        "maritime security",
        "ceasefire talks",
        "nuclear non-proliferation",
        "sanctions",
        "arms control",
    ],
    "education": [
        "university exchanges",
        "scholarships",
        "language teaching",
        "cultural heritage",
        "film coproduction",
        "sports diplomacy",
        "museum loans",
    ],
}
# A grandchild is its parent's phrase and one of these: 10 x 7 x 6 = 420, so 500 topics in all.
TOPIC_ASPECTS = ["financing", "regulation", "research", "standards", "partnerships", "workforce"]

# fmt: off
FIRST_NAMES = [
    "Aarav", "Abebe", "Adaeze", "Ahmad", "Aiko", "Alejandro", "Amara", "Anders", "Anya", "Arjun", "Astrid", "Aziz",
    "Beatriz", "Bogdan", "Camila", "Chen", "Chiara", "Dalia", "Dmitri", "Elif", "Emeka", "Erik", "Farah", "Felipe",
    "Freya", "Giorgos", "Hana", "Hamid", "Ingrid", "Ioana", "Isabela", "Jakub", "Jamila", "Joaquin", "Kai",
    "Kamala", "Kenji", "Kofi", "Lars", "Leila", "Lucia", "Luka", "Magnus", "Malik", "Mariam", "Mateo", "Mei",
    "Mikael", "Nadia", "Naveen", "Nia", "Nikolai", "Noor", "Olga", "Omar", "Oren", "Paolo", "Priya", "Rafael",
    "Rania", "Renata", "Rohan", "Sakura", "Samir", "Sana", "Sergei", "Signe", "Soraya", "Tariq", "Thandiwe",
    "Tomasz", "Valeria", "Vikram", "Wanjiru", "Yara", "Yusuf", "Zainab", "Zoltan", "Zofia", "Ines", "Hugo"
]
LAST_NAMES = [
    "Abara", "Adeyemi", "Almeida", "Andersen", "Arslan", "Bakker", "Banerjee", "Barros", "Berglund", "Bianchi",
    "Brandt", "Castillo", "Chowdhury", "Costa", "Dahl", "Demir", "Dimitrov", "Dubois", "Eriksen", "Esposito",
    "Farouk", "Ferreira", "Fischer", "Fontaine", "Gallo", "Garcia", "Haddad", "Halvorsen", "Hashemi", "Horvat",
    "Ibrahim", "Iwata", "Jansen", "Jovanovic", "Kader", "Kamau", "Karlsson", "Kaya", "Kim", "Kowalski", "Kruger",
    "Kumar", "Lambert", "Larsen", "Lindqvist", "Lopes", "Lund", "Mahmoud", "Marin", "Markovic", "Mendes", "Meyer",
    "Moreau", "Mwangi", "Nakamura", "Navarro", "Nielsen", "Novak", "Nowak", "Obi", "Okafor", "Olsen", "Ortiz",
    "Osei", "Ozturk", "Papadopoulos", "Park", "Pereira", "Petrov", "Popescu", "Quispe", "Rahman", "Ramos", "Reyes",
    "Rossi", "Ruiz", "Saito", "Salazar", "Santos", "Schmidt", "Sato", "Sharma", "Silva", "Sokolov", "Sorensen",
    "Suzuki", "Tanaka", "Tembo", "Torres", "Uddin", "Valdez", "Varga", "Vasquez", "Vogel", "Wagner", "Wang",
    "Weber", "Yamamoto", "Yilmaz", "Zhou", "Zielinski", "Ncube", "Haugen", "Lindgren", "Moretti", "Ferrari",
    "Kovacs", "Szabo", "Takahashi", "Oyelaran", "Mensah", "Achterberg"
]
# fmt: on
ROLES = [
    "Foreign Minister",
    "Deputy Foreign Minister",
    "Defence Minister",
    "Prime Minister",
    "President",
    "Vice President",
    "Finance Minister",
    "Trade Minister",
    "Interior Minister",
    "Energy Minister",
    "Health Minister",
    "Ambassador",
    "National Security Adviser",
    "Minister of State",
]
# fmt: off
CITY_STARTS = [
    "Vel", "Mar", "Tor", "Kas", "Lun", "Bra", "Or", "Zel", "Hav", "Dun", "Pel", "Ser", "Ald", "Cor", "Fen", "Gar",
    "Ist", "Jor", "Nev", "Ost", "Ril", "Sab", "Tav", "Ulm", "Vor", "Wes"
]
CITY_ENDS = [
    "ana", "ovia", "mont", "stad", "grad", "port", "ville", "ora", "enza", "holm", "bury", "abad", "polis", "ingen",
    "ica", "aro", "esk", "uth"
]
# fmt: on
PUBLISHERS = ["Synthetic Wire", "The Demo Courier", "Example Daily News", "Placeholder Press Agency"]
AUTHORS = ["", "Demo Desk", "A. Example", "Synthetic Staff"]
MEETING_PLACES = [
    "the foreign ministry in {city}",
    "the presidential palace in {city}",
    "a government guest house in {city}",
    "the parliament building in {city}",
    "the {city} conference centre",
    "the prime minister's office in {city}",
    "a hotel in central {city}",
    "the national library in {city}",
]
LEAD_TAILS = [
    "the first visit at this level in several years",
    "at the invitation of the host government",
    "as part of a regional tour",
    "weeks after the two governments restored regular contacts",
    "in a trip announced only the day before",
]
FILLERS = [
    "The visit had been announced {n} days in advance by the government in {city}.",
    "Diplomats in {city} described the atmosphere of the talks as {adj}.",
    "It was the {ordinal} visit at this level since {year}.",
    "Both delegations included senior advisers and technical experts.",
    "Newspapers in {city} gave the visit prominent coverage on their front pages.",
    "The two governments last held talks at this level in {year}.",
    "Police closed several streets in {city} to traffic while the motorcade passed.",
    "A joint declaration was expected to be signed before the end of the visit.",
    "Analysts said the visit signalled a warmer relationship between the two governments.",
    "Officials said a follow-up meeting of experts would take place in {month}.",
    "Protesters gathered briefly outside the venue but dispersed peacefully.",
    "The delegation was also due to meet members of parliament and business leaders.",
    "Observers noted that the programme of the visit had been changed at short notice.",
    "The last comparable visit, in {year}, had ended without a joint statement.",
    "Government spokespeople declined to give further details of the discussions.",
    "Officials in {country} said the visit had been in preparation since {month}.",
    "The foreign ministry in {city} published a short list of the agreements reached.",
    "Television stations in {country} broadcast the arrival ceremony live.",
    "Several ministers had cut short other engagements to attend the talks.",
    "Opposition politicians in {city} called for the outcome of the talks to be made public.",
    "Aides said the schedule left little time for anything beyond the formal sessions.",
    "A similar round of talks in {year} had been postponed twice.",
    "The embassy in {city} hosted a reception for the delegation on the first evening.",
    "Commentators in {country} were divided over what the visit would achieve.",
    "The two sides exchanged gifts at the end of the first day.",
]
FILLER_FIELDS = {template: [name for _, name, _, _ in Formatter().parse(template) if name] for template in FILLERS}
ADJECTIVES = ["cordial", "constructive", "frank", "businesslike", "warm", "productive", "tense at times"]
OPENERS = [
    "We",
    "Our two countries",
    "Both of our governments",
    "Our delegations",
    "My government and I",
    "Together we",
    "Our partners and we",
    "We and our hosts",
]
VERBS = [
    "agreed to deepen our cooperation on",
    "made real progress on",
    "see new opportunities in",
    "have a shared interest in",
    "will work more closely on",
    "remain fully committed to progress on",
    "had a frank exchange of views on",
    "want concrete results on",
    "have agreed on a joint plan for",
    "discussed in detail our positions on",
    "will set up a working group on",
    "will continue our dialogue on",
]
CLOSERS = [
    "in the months ahead",
    "before the end of the year",
    "because it matters to our citizens",
    "as close partners",
    "with a clear timetable",
    "at every level of government",
    "in a spirit of mutual respect",
    "without further delay",
    "for the benefit of both our peoples",
    "over the next two years",
    "on the basis of our shared values",
    "step by step",
]
REPORTED_VERBS = [
    "agreed to deepen cooperation on",
    "made progress on",
    "reached an understanding on",
    "agreed to continue talks on",
    "exchanged views on",
    "set out a joint plan for",
    "identified new projects in",
    "narrowed their differences on",
]
# fmt: off
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December"
]
# fmt: on
ORDINALS = ["first", "second", "third", "fourth", "fifth"]
DURATIONS = ["one", "two", "three", "four", "five"]


def fixed_phrases():
    """Return every fixed piece of article text, for the test that no topic phrase hides in it."""
    return [
        *MEETING_PLACES,
        *LEAD_TAILS,
        *FILLERS,
        *ADJECTIVES,
        *OPENERS,
        *VERBS,
        *CLOSERS,
        *REPORTED_VERBS,
        "began a two-day visit to",
        "The visitors were received by",
        "According to officials, the agenda covered",
        "In the first meeting of the visit, held at",
        "discussed",
        "said.",
        "said",
        "told reporters:",
        "added.",
        "said the two sides had",
        "At a press conference before the delegation left",
        "both sides answered questions from reporters.",
        "Synthetic demo visit:",
        "spent",
        "days in",
        "and held",
        "meetings.",
    ]
