"""A chart drawn on the server (an SVG string, no internet, no JavaScript): a question's answers
as horizontal bars; a hidden figure is drawn as no bar with its "< 5" label."""

from html import escape


def bars_svg(cells, *, title: str, width: int = 340) -> str:
    if not cells:
        return ""
    row, label_w, left = 26, 0, 8
    height = row * len(cells) + 8
    bar_left = 150
    bar_w = width - bar_left - 56
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart survey-bars">']
    for i, cell in enumerate(cells):
        y = 4 + i * row
        label = cell.label if len(cell.label) <= 26 else cell.label[:25] + "…"
        parts.append(f'<text x="{left + label_w}" y="{y + 16}" font-size="11">{escape(label)}</text>')
        if cell.share is not None:
            w = max(1.0, bar_w * cell.share)
            parts.append(f'<rect x="{bar_left}" y="{y + 4}" width="{w:.1f}" height="16" fill="#2f6f9f" rx="2"/>'
                         f'<text x="{bar_left + w + 4:.1f}" y="{y + 16}" font-size="11">{round(cell.share * 100)} %</text>')
        else:
            parts.append(f'<text x="{bar_left}" y="{y + 16}" font-size="11" fill="#5b6675">{escape(str(cell.figure))}</text>')
    parts.append("</svg>")
    return "".join(parts)
