"""An official's counterparts as a picture: the official in the middle, the people met or visited around.

The layout is radial and deterministic: counterparts are placed clockwise
from the top, most visits and meetings first, so the same data always
gives the same picture (and a test can assert it). Each line's width grows
with the number of visits and meetings the two shared.
"""

import math
from dataclasses import dataclass

# SVG units; the picture sits in a page's side column (about 350 px), where a unit is about 0.7 px.
WIDTH = 560
HEIGHT = 400
RADIUS = 115  # of the circle the counterparts sit on
NODE = 7
CENTRE_NODE = 11
MAX_STROKE = 9


@dataclass
class Node:
    name: str
    label: str  # the name as drawn: short enough to fit beside the circle
    url: str
    count: int  # visits and meetings shared with the official at the centre
    x: float
    y: float
    stroke: float  # width of the line to the centre
    anchor: str  # the label's text-anchor: "start" right of the centre, "end" left, "middle" above/below
    label_x: float
    label_y: float


@dataclass
class Network:
    centre: str
    nodes: list
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def cx(self):
        return WIDTH / 2

    @property
    def cy(self):
        return HEIGHT / 2


SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
LABEL_CHARACTERS = 14


def short_label(name):
    """Return the name as drawn: whole if short, else the surname ("Benjamin Netanyahu" -> "Netanyahu")."""
    if len(name) <= LABEL_CHARACTERS:
        return name
    words = [word for word in name.replace(",", " ").split() if word.lower() not in SUFFIXES]
    return words[-1] if words else name


def radial(centre_name, counterparts):
    """Return the Network of `counterparts` [(name, url, count)], already ordered most first."""
    most = max((count for _, _, count in counterparts), default=0)
    cx, cy = WIDTH / 2, HEIGHT / 2
    nodes = []
    for index, (name, url, count) in enumerate(counterparts):
        angle = -math.pi / 2 + 2 * math.pi * index / len(counterparts)
        dx, dy = math.cos(angle), math.sin(angle)
        x, y = cx + RADIUS * dx, cy + RADIUS * dy
        if abs(dx) < 0.2:
            anchor, label_x, label_y = "middle", x, y + (-NODE - 7 if dy < 0 else NODE + 20)
        else:
            anchor = "start" if dx > 0 else "end"
            label_x, label_y = x + (NODE + 6) * (1 if dx > 0 else -1), y + 7
        stroke = round(1 + (MAX_STROKE - 1) * count / most, 1)
        label_x, label_y = round(label_x, 1), round(label_y, 1)
        nodes.append(
            Node(name, short_label(name), url, count, round(x, 1), round(y, 1), stroke, anchor, label_x, label_y)
        )
    return Network(centre_name, nodes)
