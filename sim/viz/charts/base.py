"""What every chart shares: the `Chart` base (a kept figure, its background, blitting, the PNG frame), the
time window that widens by doubling, and a colour per actor."""

from __future__ import annotations

import io
import textwrap

import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from sim.model import ConflictModel

DPI = 80
WINDOW = 52  # rounds the time axes show at first (a year of weekly rounds); doubled as a run outgrows it
SIDE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
NEUTRAL = "#7f7f7f"


def _lighter(colour: str, amount: float) -> tuple[float, float, float]:
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def actor_colours(m: ConflictModel) -> list[str | tuple[float, float, float]]:
    """A colour per actor: its side's; each further actor on a side a lighter shade; no side: grey."""
    colours: list[str | tuple[float, float, float]] = []
    seen: dict[int, int] = {}  # side -> actors of it coloured so far
    for i in range(len(m.actor_ids)):
        k = int(m.side_of[i])
        if k < 0:
            colours.append(NEUTRAL)
            continue
        n = seen.get(k, 0)
        seen[k] = n + 1
        colours.append(_lighter(SIDE_COLOURS[k % len(SIDE_COLOURS)], min(0.6, 0.22 * n)))
    return colours


def short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


class Chart:
    """A figure kept for one model. `frame(model)` gives the PNG of what it shows now.

    Subclasses build the static figure in `__init__` (moving artists made with `animated=True`), say what
    their picture depends on in `state`, and move the artists in `refresh`, which returns True when the
    background itself changed (an axis widened)."""

    size = (6.0, 4.3)  # SolaraViz's grid cells are 390 px tall; the page caps images at 350 px

    def __init__(self, m: ConflictModel) -> None:
        self.figure = Figure(figsize=self.size, dpi=DPI, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.colours = actor_colours(m)
        self.max_rounds = m.max_rounds
        self.window = min(m.max_rounds, WINDOW)
        self.key: object = None
        self.png = b""
        self.background: object | None = None  # the canvas's saved pixels (an opaque matplotlib region)
        self.moving: list[Artist] | None = None

    def state(self, m: ConflictModel):
        raise NotImplementedError

    def refresh(self, m: ConflictModel) -> bool:
        raise NotImplementedError

    def frame(self, m: ConflictModel) -> bytes:
        key = self.state(m)
        if key == self.key:
            return self.png
        if self.refresh(m) or self.background is None:
            self.canvas.draw()  # the static parts; animated artists are skipped
            if self.figure.get_layout_engine() is not None:
                self.figure.set_layout_engine("none")  # laid out once: later frames keep the same geometry
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self.background)
        if self.moving is None:  # found once: findobj walks every tick of every axis, ~25 ms a frame
            self.moving = self.figure.findobj(lambda a: a.get_animated())
        for artist in self.moving:
            self.figure.draw_artist(artist)
        self.png = encode(self.canvas)
        self.key = key
        return self.png

    def widen(self, axes, last_round: int) -> bool:
        """Double the time window when the run outgrows it; True when the axes changed."""
        changed = self.background is None
        while last_round > self.window and self.window < self.max_rounds:
            self.window = min(self.max_rounds, 2 * self.window)
            changed = True
        if changed:
            for ax in axes:
                ax.set_xlim(0, max(self.window, 1))
        return changed


def encode(canvas: FigureCanvasAgg) -> bytes:
    """The canvas's pixels as a PNG; fast compression, since the frame is sent once and then replaced."""
    width, height = canvas.get_width_height()
    image = PIL.Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", compress_level=1)
    return out.getvalue()
