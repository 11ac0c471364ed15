"""`manage.py build_world_map`: project the vendored Natural Earth shapes once into the map's SVG paths.

Reads visits/pictures/data/world-atlas/countries-110m.json (TopoJSON; ids
are ISO 3166-1 numeric codes) and writes visits/pictures/world_110m.json,
which is committed: pages never project at run time. Run it again only to
change the projection or the vendored world-atlas version.
"""

import json

from django.core.management.base import BaseCommand
from django_countries import countries

from visits.pictures import shapes, worldmap

# The three shapes world-atlas gives without an id. Kosovo has the code the
# importer uses (XK); the two others are drawn as part of the state the
# United Nations recognises there, whose code visits carry.
UNNUMBERED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
LEFT_OUT = {"AQ"}  # Antarctica: no visits, and a fifth of the map's height


def code_of(geometry):
    if "id" not in geometry:
        return UNNUMBERED.get(geometry.get("properties", {}).get("name"), "")
    code = countries.alpha2(int(geometry["id"]))
    return "" if code in LEFT_OUT else code


class Command(BaseCommand):
    help = "Project world-atlas's countries-110m.json into SVG paths keyed by ISO alpha-2 code."

    def handle(self, *args, **options):
        topology = json.loads(worldmap.SOURCE.read_text())
        result = shapes.build(topology, code_of)
        worldmap.SHAPES.write_text(json.dumps(result, separators=(",", ":")) + "\n")
        size = worldmap.SHAPES.stat().st_size
        self.stdout.write(f"Wrote {len(result['shapes'])} countries to {worldmap.SHAPES} ({size:,} bytes).")
