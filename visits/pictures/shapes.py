"""Country shapes for the world map: TopoJSON decoded, projected once, written as SVG paths.

Used only by `manage.py build_world_map`, which turns the vendored
world-atlas file (Natural Earth 1:110m, see data/world-atlas/VERSION.md)
into `world_110m.json`; pages read that file (`visits.pictures.worldmap`)
and never project anything at run time.
"""

import math

# The map's box in SVG units: wide enough for 1 decimal of precision to be
# finer than a pixel at 1280 px, small enough to keep the paths short.
WIDTH = 1000
# Natural Earth I's width-to-height ratio is about 1.92; Antarctica is left out.
SOUTH_LIMIT = -58.0


def decode_arcs(topology):
    """Return every arc of `topology` as a list of (longitude, latitude), quantisation and deltas undone."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    """Return the closed ring made of the arcs `indexes` (~i is arc i reversed), shared end points once."""
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry, arcs):
    """Return a geometry's polygons as lists of rings of (longitude, latitude)."""
    if geometry["type"] == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
    return []


def on_one_side(points):
    """Return the ring with every point on one side of the antimeridian.

    world-atlas leaves rings that cross 180° whole (Chukotka, Fiji), for a
    renderer that cuts them; drawn as they are they would streak across the
    map. The few points on the far side are pressed onto the 180° line, on
    the side where most of the ring lies: a sliver of Chukotka and a Fiji
    islet vanish, nothing else changes.
    """
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(points, points[1:], strict=False)):
        return points
    east = sum(longitude > 0 for longitude, _ in points) * 2 >= len(points)
    edge = 180.0 if east else -180.0
    return [(edge if (longitude < 0) == east else longitude, latitude) for longitude, latitude in points]


def natural_earth(longitude, latitude):
    """Natural Earth I projection (Šavrič, Jenny, Patterson, Jenny 2011) of degrees, in radians of the unit sphere."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def frame():
    """Return (scale, height, top): the projection's unit sphere fitted to WIDTH, from 84°N down to SOUTH_LIMIT."""
    left, _ = natural_earth(-180, 0)
    right, _ = natural_earth(180, 0)
    scale = WIDTH / (right - left)
    _, top = natural_earth(0, 84)
    _, bottom = natural_earth(0, SOUTH_LIMIT)
    return scale, math.ceil((top - bottom) * scale), top


def svg_path(rings, project):
    """Return SVG path data for `rings`: absolute start, relative steps of 0.1 unit, repeated points dropped."""
    parts = []
    for points in rings:
        steps = []
        last = None
        for longitude, latitude in points:
            x, y = project(longitude, latitude)
            point = (round(x * 10), round(y * 10))
            if point == last:
                continue
            if last is None:
                steps.append(f"M{fmt(point[0])} {fmt(point[1])}")
            else:
                steps.append(f"{fmt(point[0] - last[0])} {fmt(point[1] - last[1])}")
            last = point
        if len(steps) > 2:
            parts.append(steps[0] + "l" + " ".join(steps[1:]) + "z")
    return "".join(parts)


def fmt(tenths):
    """Tenths of a unit as the shortest decimal: 125 -> '12.5', -30 -> '-3', 4 -> '.4'."""
    text = f"{tenths / 10:.1f}".rstrip("0").rstrip(".")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text or "0"


def build(topology, code_of):
    """Return {"width", "height", "shapes": {alpha-2 code: path data}} for the countries of `topology`.

    `code_of(geometry)` gives a geometry's ISO 3166-1 alpha-2 code, or ""
    to leave it out (Antarctica). Geometries with the same code (a country
    and a part the atlas draws apart, e.g. Somaliland) are drawn as one.
    """
    arcs = decode_arcs(topology)
    scale, height, top = frame()

    def project(longitude, latitude):
        x, y = natural_earth(longitude, max(latitude, SOUTH_LIMIT))
        return x * scale + WIDTH / 2, (top - y) * scale

    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = code_of(geometry)
        if not code:
            continue
        rings = [on_one_side(r) for polygon in polygons(geometry, arcs) for r in polygon]
        path = svg_path(rings, project)
        if path:
            shapes[code] = shapes.get(code, "") + path
    return {"width": WIDTH, "height": height, "shapes": dict(sorted(shapes.items()))}
