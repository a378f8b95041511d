"""The page's figures as PNG frames: one matplotlib Figure per chart and per model, kept and updated in place.

A chart draws its static parts (axes, ticks, labels, legends) once into a background, and each round only
puts its moving artists (lines, markers, bars) back on that background (matplotlib's blitting) and encodes
the pixels as a PNG. Time axes span the whole run from the start (`clock.max_rounds`, or a window that
doubles for very long runs), so the background stays valid while the lines grow; it is drawn again only
when an axis has to widen. A chart whose inputs did not change in a round returns its previous frame.
Figures are drawn on their own Agg canvas, never through pyplot, so no global backend state is touched.

base (`Chart`, the blitting and PNG encoding, actor colours) <- network, positions, series (rungs, oil),
control: one chart each, or two small ones of the same kind.
"""
