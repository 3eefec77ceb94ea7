"""Small SVG charts drawn on the server (no internet, no JavaScript, cheap enough for every
dashboard view): a trend line per indicator against its milestones."""

from html import escape


def trend_svg(series, *, width: int = 320, height: int = 150, title: str = "") -> str:
    """Values by year (0–100 %) as a line with dots, milestones as dashed markers."""
    points = series.points
    years = [p.year for p in points] + [m.year for m in series.milestones]
    if not years:
        return ""
    y0, y1 = min(years), max(years)
    left, right, top, bottom = 30, 10, 10, 22
    w, h = width - left - right, height - top - bottom

    def x(year):
        return left + (w * (year - y0) / (y1 - y0) if y1 > y0 else w / 2)

    def y(value):
        return top + h * (1 - max(0.0, min(100.0, value)) / 100)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title or series.name)}" class="chart">']
    for v in (0, 50, 100):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">{v}</text>')
    for year in range(y0, y1 + 1):
        parts.append(f'<text x="{x(year):.1f}" y="{height - 6}" font-size="10" text-anchor="middle">{str(year)[2:]}</text>')
    for m in series.milestones:
        parts.append(f'<line x1="{x(m.year) - 8:.1f}" x2="{x(m.year) + 8:.1f}" y1="{y(m.value):.1f}" '
                     f'y2="{y(m.value):.1f}" stroke="#b45309" stroke-width="2" stroke-dasharray="3 2">'
                     f'<title>Mốc {escape(m.label)}</title></line>')
    known = [(p.year, p.value) for p in points if p.value is not None]
    if len(known) > 1:
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in known)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1d4ed8" stroke-width="2"/>')
    for yr, v in known:
        parts.append(f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3" fill="#1d4ed8"><title>{yr}: {v:.1f}%</title>'
                     f'</circle>')
    parts.append("</svg>")
    return "".join(parts)
