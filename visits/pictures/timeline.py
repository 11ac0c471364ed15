"""The timeline: visits per year (or per month, when the dates or the visits span at most two years), as bars.

The counts are the year facet's (visits by the year they start, counted
with every filter but the dates) or the month facet's, both from one query
(`visits.facets.dated_rows`): the picture draws numbers the page computes
anyway. Each bar is a
link to the visit list narrowed to its year or month, the other filters
kept.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

# SVG units: the picture scales to its column, so only the proportions matter.
WIDTH = 1000
HEIGHT = 160
SMALL_HEIGHT = 90
GAP = 0.15  # of a slot, between two bars
# A range of dates touching at most this many years is drawn by month.
MONTHS_UP_TO_YEARS = 2


@dataclass
class Bar:
    label: str  # "1972", "Mar 2021"
    count: int
    url: str
    selected: bool
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


@dataclass
class Timeline:
    unit: str  # "year" or "month"
    bars: list  # every year or month of the span, those without visits too
    height: int
    ticks: list = field(default_factory=list)  # x of each decade's first year (or each January)
    width: int = WIDTH

    @property
    def counted(self):
        """The bars with visits: the rows of the table beside the picture."""
        return [bar for bar in self.bars if bar.count]

    @property
    def total(self):
        return sum(bar.count for bar in self.bars)

    @property
    def most(self):
        return max((bar.count for bar in self.bars), default=0)

    @property
    def svg_bars(self):
        """The bars as SVG, each counted bar a link: written here, not by a template loop over up to 160 bars,
        which was most of a first visit-list request's template time (`_timeline.html` shows what it holds)."""
        parts = []
        for bar in self.bars:
            if not bar.count:
                continue
            label = escape(f"{bar.label}: {bar.count} visit{'' if bar.count == 1 else 's'}")
            chosen = " selected" if bar.selected else ""
            parts.append(
                f'<a href="{escape(bar.url)}" class="bar{chosen}" data-label="{escape(bar.label)}" '
                f'data-count="{bar.count}" aria-label="{label}"><rect class="hit" x="{bar.x}" y="0" '
                f'width="{bar.width}" height="{self.height}"/><rect x="{bar.x}" y="{bar.y}" width="{bar.width}" '
                f'height="{bar.height}"/><title>{label}</title></a>'
            )
        return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped; numbers are our own)

    @property
    def first(self):
        return self.bars[0].label if self.bars else ""

    @property
    def last(self):
        return self.bars[-1].label if self.bars else ""


def month_span(date_from, date_to, years=()):
    """Return (first year, last year) to draw by month, or None when years suit better.

    By month when the dates asked for touch at most MONTHS_UP_TO_YEARS
    years, or, when no date is asked for, when the visits' `years` do.
    """
    if date_from and date_to:
        first, last = date_from.year, date_to.year
    elif date_from or date_to or not years:
        return None
    else:
        first, last = min(years), max(years)
    return (first, last) if last - first < MONTHS_UP_TO_YEARS else None


def layout(bars, height):
    """Place `bars` side by side across WIDTH, each as tall as its count against the largest (1 unit at least)."""
    most = max((bar.count for bar in bars), default=0)
    slot = WIDTH / max(len(bars), 1)
    for index, bar in enumerate(bars):
        bar.width = round(slot * (1 - GAP), 2)
        bar.x = round(index * slot + slot * GAP / 2, 2)
        bar.height = round(max(bar.count / most * (height - 4), 1), 1) if bar.count else 0
        bar.y = round(height - bar.height, 1)
    return slot


def by_year(rows, url_for, selected=None, small=False):
    """Return a Timeline of `rows` [(year, count)], every year from the first to the last.

    `url_for(year, is_selected)` gives a bar's link; `selected` is the year
    the dates asked for, if they are exactly one year.
    """
    counts = dict(rows)
    height = SMALL_HEIGHT if small else HEIGHT
    if not counts:
        return Timeline("year", [], height)
    years = range(min(counts), max(counts) + 1)
    bars = [Bar(str(year), counts.get(year, 0), url_for(year, year == selected), year == selected) for year in years]
    slot = layout(bars, height)
    ticks = [round(index * slot, 2) for index, year in enumerate(years) if year % 10 == 0]
    return Timeline("year", bars, height, ticks)


def by_month(rows, first_year, last_year, url_for, date_from, date_to, small=False):
    """Return a Timeline of `rows` [((year, month), count)], every month of first_year to last_year.

    A month is selected when the dates asked for are exactly that month (its link then removes them).
    """
    counts = dict(rows)
    bars = []
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            start = datetime.date(year, month, 1)
            end = datetime.date(year, month, calendar.monthrange(year, month)[1])
            selected = (date_from, date_to) == (start, end)
            label = f"{calendar.month_abbr[month]} {year}"
            bars.append(Bar(label, counts.get((year, month), 0), url_for(start, end, selected), selected))
    height = SMALL_HEIGHT if small else HEIGHT
    slot = layout(bars, height)
    ticks = [round(index * 12 * slot, 2) for index in range(last_year - first_year + 1)]
    return Timeline("month", bars, height, ticks)
