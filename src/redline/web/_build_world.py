"""Build ``static/world.svg``, the country outlines under the dashboard's event map.

Source: Natural Earth 1:110m "Admin 0 - Countries" (public domain, naturalearthdata.com), in
the copy geopandas 0.14.4 shipped as ``geopandas/datasets/naturalearth_lowres`` (a shapefile;
geopandas dropped it in 1.0). The dashboard draws it offline, so it is kept in the package as
one small SVG rather than fetched as map tiles.

Projection: equirectangular, x = (lon + 180) * 10, y = (90 - lat) * 10, rounded to whole
units (0.1 degree, about 11 km at the equator: finer than the 110m data). Antarctica is left
out; the map's viewBox shows latitudes 84 N to 60 S. The dashboard places event points with
the same formula (:func:`redline.web.charts.project`).

Run by hand when the outlines need rebuilding (needs the ``pyshp`` package, not a redline
dependency)::

    python -m redline.web._build_world PATH/naturalearth_lowres.shp
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).parent / "static" / "world.svg"
SCALE = 10


def _ring(points: list[tuple[float, float]]) -> str:
    """One closed ring as an SVG path: an absolute move, then relative integer steps."""
    xy = [(round((lon + 180) * SCALE), round((90 - lat) * SCALE)) for lon, lat in points]
    out: list[tuple[int, int]] = []
    for p in xy:
        if not out or p != out[-1]:
            out.append(p)
    if len(out) < 3:
        return ""
    parts = [f"M{out[0][0]} {out[0][1]}"]
    steps = []
    for (x0, y0), (x1, y1) in zip(out, out[1:], strict=False):
        steps.append(f"{x1 - x0} {y1 - y0}")
    parts.append("l" + " ".join(steps) + "z")
    return "".join(parts)


def build(shp: str | Path) -> str:
    """The SVG text of every country but Antarctica, one ``<path>`` each."""
    import shapefile  # pyshp

    reader = shapefile.Reader(str(shp))
    names = [f[0] for f in reader.fields[1:]]
    paths = []
    for rec in reader.shapeRecords():
        row = dict(zip(names, rec.record, strict=True))
        if row["iso_a3"] == "ATA":
            continue
        pts, parts = rec.shape.points, [*rec.shape.parts, len(rec.shape.points)]
        d = "".join(_ring(pts[a:b]) for a, b in zip(parts, parts[1:], strict=False))
        if d:
            paths.append(f'<path id="{row["iso_a3"]}" d="{d}"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3600 1800" width="3600" '
        'height="1800">\n'
        "<!-- Natural Earth 1:110m Admin 0 countries (public domain), equirectangular, "
        "x=(lon+180)*10, y=(90-lat)*10; built by redline/web/_build_world.py -->\n"
        '<g fill="#d9dde3" stroke="#ffffff" stroke-width="3" stroke-linejoin="round">\n'
        + "\n".join(paths) + "\n</g>\n</svg>\n"
    )


if __name__ == "__main__":
    OUT.write_text(build(sys.argv[1]), encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes")  # noqa: T201 - a build script's one report
