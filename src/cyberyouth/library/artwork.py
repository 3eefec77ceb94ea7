"""Small pictures and e-books drawn with Pillow for the demo's library products (a generator,
not a model): an infographic as PNG, a few-page e-book or photo exhibition as PDF — real files
that pass the one upload check, made offline, with a font that has every Vietnamese letter."""

import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PALETTES = [((11, 93, 143), (232, 241, 248)), ((179, 38, 30), (253, 236, 234)), ((31, 122, 62), (231, 245, 236)),
            ((163, 97, 0), (255, 244, 214))]


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans (shipped with matplotlib, a dependency): every Vietnamese letter, no download."""
    try:
        import matplotlib

        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), size)
    except (ImportError, OSError):
        return ImageFont.load_default()


def _page(title: str, points: list[str], footer: str, *, palette: int, size=(800, 1100)) -> Image.Image:
    ink, paper = PALETTES[palette % len(PALETTES)]
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, size[0], 190], fill=ink)
    y = 34
    for line in textwrap.wrap(title, 30)[:3]:
        draw.text((40, y), line, font=_font(40, bold=True), fill="white")
        y += 50
    y = 230
    for n, point in enumerate(points, start=1):
        draw.ellipse([40, y, 100, y + 60], fill=ink)
        draw.text((70, y + 30), str(n), font=_font(30, bold=True), fill="white", anchor="mm")
        for i, line in enumerate(textwrap.wrap(point, 38)[:4]):
            draw.text((125, y + 4 + i * 34), line, font=_font(27), fill=(29, 39, 51))
        y += max(100, 34 * min(4, len(textwrap.wrap(point, 38))) + 36)
    draw.line([40, size[1] - 80, size[0] - 40, size[1] - 80], fill=ink, width=3)
    draw.text((40, size[1] - 62), footer, font=_font(22), fill=(91, 102, 117))
    return image


def infographic_png(title: str, points: list[str], footer: str, *, palette: int = 0) -> bytes:
    buf = io.BytesIO()
    _page(title, points, footer, palette=palette).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def booklet_pdf(pages: list[tuple[str, list[str]]], footer: str, *, palette: int = 0) -> bytes:
    images = [_page(title, points, f"{footer} — trang {n}/{len(pages)}", palette=palette)
              for n, (title, points) in enumerate(pages, start=1)]
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=100)
    return buf.getvalue()
