"""The world map: each country shaded by its number of visits, a link that adds it to the filter.

Shapes are today's borders (Natural Earth 1:110m, projected once by
`manage.py build_world_map` into world_110m.json). A country the map cannot
show, a state that no longer exists (the Soviet Union, Yugoslavia, the GDR)
or one too small for this scale (Singapore, Malta), is listed beside it
with its count and the same link.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_countries.data import COUNTRIES as ISO_COUNTRIES

from ..country_names import country_name

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "data" / "world-atlas" / "countries-110m.json"
SHAPES = HERE / "world_110m.json"
LEVELS = 5  # shades of the colour scale, classes map-1 .. map-5 in site.css

# Which side of a visit the map counts, and the filter its links add.
MODES = {
    "host": ("host_country", "Host countries", "visits hosted"),
    "visitor": ("visitor_country", "Visitors' countries", "visits by its officials"),
}


@functools.cache
def shapes():
    """Return {"width", "height", "shapes": {code: path data}}, read once per process."""
    return json.loads(SHAPES.read_text())


@dataclass
class Place:
    code: str
    name: str
    count: int
    level: int  # 0 (no visits) to LEVELS
    url: str  # "" when there is nothing to narrow to
    selected: bool
    path: str = ""


@dataclass
class WorldMap:
    mode: str
    filter_name: str
    width: int
    height: int
    drawn: list  # every shape, counted or not
    beside: list  # counted places without a shape, most visits first
    legend: list  # [(level, lowest count, highest count)] for the levels in use

    @property
    def counted(self):
        """Every place with visits, most first: the rows of the table beside the picture."""
        places = [place for place in self.drawn if place.count] + self.beside
        return sorted(places, key=lambda place: (-place.count, place.name))

    @property
    def historical(self):
        """The places beside the map that are states no longer in ISO 3166-1 (the Soviet Union, the GDR)."""
        return [place for place in self.beside if place.code not in ISO_COUNTRIES]

    @property
    def small(self):
        """The places beside the map that exist today but are too small for its scale (Singapore, Malta)."""
        return [place for place in self.beside if place.code in ISO_COUNTRIES]

    @property
    def total(self):
        return sum(place.count for place in self.counted)

    @property
    def svg_shapes(self):
        """The map's shapes as SVG, each counted country a link: written here, not by a template loop, because
        the 174 shapes' loop was a third of a first visit-list request (`_world_map.html` shows what it holds)."""
        parts = []
        for place in self.drawn:
            if not place.url:
                parts.append(f'<path class="map-0" d="{place.path}"/>')
                continue
            label = escape(f"{place.name}: {place.count} visit{'' if place.count == 1 else 's'}")
            chosen = " selected" if place.selected else ""
            parts.append(
                f'<a href="{escape(place.url)}" data-code="{escape(place.code)}" data-count="{place.count}" '
                f'aria-label="{label}"><path class="map-{place.level}{chosen}" d="{place.path}"><title>{label}</title>'
                "</path></a>"
            )
        return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped, path data is our own file)


def level(count, most):
    """Return the shade of `count` on a logarithmic scale from 1 to `most`: 0 for none, 1 to LEVELS otherwise.

    Logarithmic because visits are skewed: the United States hosts 3,000,
    Malta 4; on a linear scale every country but one would look empty.
    """
    if count <= 0:
        return 0
    ratio = math.log(count) / math.log(most) if most > 1 else 1
    return 1 + round((LEVELS - 1) * ratio)


def world_map(rows, mode, url_for, selected=()):
    """Return the WorldMap of `rows` [(code, count)] in `mode` ("host" or "visitor").

    `url_for(code)` gives a country's link; `selected` are the codes the
    filter already holds (shown outlined).
    """
    data = shapes()
    counts = {str(code): n for code, n in rows if code}
    most = max(counts.values(), default=0)

    def place(code, path=""):
        count = counts.get(code, 0)
        chosen = code in selected
        url = url_for(code) if count or chosen else ""
        return Place(code, country_name(code) or code, count, level(count, most), url, chosen, path)

    drawn = [place(code, path) for code, path in data["shapes"].items()]
    drawn.sort(key=lambda p: p.selected)  # the selected outlines are drawn last, over their neighbours
    beside = sorted((place(code) for code in counts if code not in data["shapes"]), key=lambda p: (-p.count, p.name))
    spans = {}
    for count in counts.values():
        low, high = spans.get(level(count, most), (count, count))
        spans[level(count, most)] = (min(low, count), max(high, count))
    legend = [(shade, *spans[shade]) for shade in sorted(spans)]
    return WorldMap(mode, MODES[mode][0], data["width"], data["height"], drawn, beside, legend)
