"""The Decree 30/2020/NĐ-CP (Appendix I) layout, as a small builder over python-docx.

Nothing here knows about plans or indicators: callers describe a document (header block,
type and summary, headings, paragraphs, tables, pictures, recipients, signature) and get a
DOCX that an office clerk would recognise. What the Decree fixes:

- A4; margins top/bottom 20 mm, left 30 mm, right 15 mm (inside 20–25 / 30–35 / 15–20);
- Times New Roman, black; body 13–14 pt (we use 13 pt with 6 pt spacing, justified,
  first line indented 1 cm);
- top left: the parent body in capitals (12–13 pt), the issuing body in bold capitals
  (12–13 pt), a short rule under it, then "Số: …/…" (13 pt);
- top right: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" bold (12–13 pt), the motto
  "Độc lập - Tự do - Hạnh phúc" bold (13–14 pt) with a rule as long as the motto under it,
  then "<place>, ngày … tháng … năm …" in italics (13–14 pt);
- the document type in bold capitals and its summary in bold, centred, with a short rule;
  an official letter (công văn) has no type: its summary "V/v …" stands under the number
  (12–13 pt), and "Kính gửi:" (14 pt) opens the body;
- "Nơi nhận:" bold italic 12 pt with its list in 11 pt at the bottom left, the signature
  block (authority, title, space to sign, name) in bold at the bottom right;
- page numbers centred at the top from page 2 (different first page + a PAGE field).
"""

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
# The header table: left column (bodies, number) and right column (national title, date).
LEFT_COL_CM = 7.4
RIGHT_COL_CM = 9.1
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text or ""))


def upper_vi(text: str) -> str:
    # str.upper() handles Vietnamese letters (đ → Đ, ơ → Ơ …) once the text is NFC.
    return nfc(text).upper()


def place_and_date(place: str, on: date | None) -> str:
    """"Cát Hải, ngày 05 tháng 3 năm 2026": day below 10 and months 1–2 with a leading zero
    (Decree 30, Appendix I, point 5), or blanks for the clerk when the date is not known."""
    if on is None:
        return f"{place}, ngày      tháng      năm 20    "
    day = f"{on.day:02d}"
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {day} tháng {month} năm {on.year}"


@dataclass
class Header:
    issuing_body: str
    number: str  # "Số: 12/BC-VHXH" or "Số:      /BC-VHXH" (the clerk fills the number)
    place: str
    on: date | None
    parent_body: str = ""  # empty for a People's Committee, which has no body above it in the header


@dataclass
class Signature:
    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH" or "KT. TRƯỞNG PHÒNG"; may be empty
    title: str = ""  # "PHÓ CHỦ TỊCH", "TRƯỞNG PHÒNG"
    name: str = ""


@dataclass
class Column:
    title: str
    width_cm: float
    align: str = "left"  # left | center | right


@dataclass
class TableSpec:
    columns: list[Column]
    rows: list[list]
    bold_rows: set[int] = field(default_factory=set)  # e.g. the total row
    caption: str = ""
    note: str = ""


def _set_run_font(run, *, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    run.font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic


def _spacing(paragraph, *, before: float = 0, after: float = 0, line: float | None = None) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def _rule(paragraph, *, width_cm: float, column_cm: float) -> None:
    """A thin horizontal rule of `width_cm`, centred in a column of `column_cm`: the bottom
    border of an empty, indented, 1-pt paragraph. It survives Word, LibreOffice and PDF."""
    indent = max(0.0, (column_cm - width_cm) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(indent)
    fmt.right_indent = Cm(indent)
    _spacing(paragraph, before=0, after=0)
    fmt.line_spacing = Pt(1)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)
    run = paragraph.add_run("")
    _set_run_font(run, size=1)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _grid_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _fixed_widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))


def _cell_margins(table, *, left_cm: float = 0.1, right_cm: float = 0.1) -> None:
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge, value in (("left", left_cm), ("right", right_cm)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(Cm(value).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _page_field(paragraph, *, size: float) -> None:
    """The PAGE field: Word and LibreOffice fill in the number of each page."""
    def fld(kind):
        run = paragraph.add_run()
        _set_run_font(run, size=size)
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld("begin")
    run = paragraph.add_run()
    _set_run_font(run, size=size)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    fld("separate")
    shown = paragraph.add_run("2")
    _set_run_font(shown, size=size)
    fld("end")


class OfficialDocument:
    """One administrative document in the Decree 30 layout.

    Usage: ``doc = OfficialDocument(header=…, doc_type="BÁO CÁO", summary="…")`` (an official
    letter: ``doc_type=""``, ``summary`` = what it is about, then ``doc.addressed_to([…])``), then
    ``doc.heading("I. …")``, ``doc.paragraph("…")``, ``doc.table(TableSpec(…))``,
    ``doc.picture(png_bytes, …)``, ``doc.closing(recipients=[…], signature=Signature(…))``,
    ``doc.save(path_or_stream)``.
    """

    def __init__(self, *, header: Header, doc_type: str, summary: str, title: str = ""):
        self.header = header
        self.doc_type = upper_vi(doc_type)
        self.summary = nfc(summary)
        self.document = Document()
        self._setup_styles()
        self._setup_page()
        core = self.document.core_properties
        core.title = title or f"{doc_type} {summary}"[:250]
        core.author = nfc(header.issuing_body)[:250]
        core.language = "vi-VN"
        self._header_block()
        if self.doc_type:
            self._type_and_summary()

    # ------------------------------------------------------------------ setup

    def _setup_styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        normal.font.color.rgb = RGBColor(0, 0, 0)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        rpr.append(lang)
        fmt = normal.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0

    def _setup_page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        # Page numbers from page 2: the first page's header is empty.
        section.different_first_page_header_footer = True
        header_par = section.header.paragraphs[0]
        header_par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(header_par, size=BODY_PT)
        first = section.first_page_header.paragraphs[0]
        first.text = ""

    @property
    def text_width_cm(self) -> float:
        return (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10

    # ------------------------------------------------------------------ the header block

    def _cell_par(self, cell, text: str, *, size: float, bold=False, italic=False, first=False, before=0.0):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, before=before, after=0)
        if text:
            run = paragraph.add_run(nfc(text))
            _set_run_font(run, size=size, bold=bold, italic=italic)
        return paragraph

    def _header_block(self) -> None:
        h = self.header
        table = self.document.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        _cell_margins(table, left_cm=0.0, right_cm=0.0)
        _fixed_widths(table, [LEFT_COL_CM, RIGHT_COL_CM])
        left, right = table.rows[0].cells
        issuing = upper_vi(h.issuing_body)
        if h.parent_body:
            self._cell_par(left, upper_vi(h.parent_body), size=12, first=True)
            last = self._cell_par(left, issuing, size=12, bold=True)
        else:
            last = self._cell_par(left, issuing, size=12, bold=True, first=True)
        # The rule under the issuing body: a third to a half of its line.
        longest = max(len(line) for line in issuing.split("\n"))
        _rule(left.add_paragraph(), width_cm=min(LEFT_COL_CM * 0.5, max(2.0, 0.12 * longest)),
              column_cm=LEFT_COL_CM)
        del last
        self._cell_par(right, NATIONAL_TITLE, size=12, bold=True, first=True)
        self._cell_par(right, MOTTO, size=13.5, bold=True)
        # The rule under the motto is as long as the motto itself (about 6.2 cm at 13.5 pt).
        _rule(right.add_paragraph(), width_cm=6.2, column_cm=RIGHT_COL_CM)
        num_cell, date_cell = table.rows[1].cells
        self._cell_par(num_cell, h.number, size=13, first=True, before=6)
        if not self.doc_type and self.summary:  # công văn: "V/v …" under the number
            for line in [x.strip() for x in self.summary.split("\n") if x.strip()]:
                self._cell_par(num_cell, line if line.startswith("V/v") else f"V/v {line}", size=12)
        self._cell_par(date_cell, place_and_date(h.place, h.on), size=13.5, italic=True, first=True, before=6)

    def _type_and_summary(self) -> None:
        p = self.document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(p, before=18, after=0)
        _set_run_font(p.add_run(self.doc_type), size=14, bold=True)
        p.paragraph_format.keep_with_next = True
        lines = [line.strip() for line in self.summary.split("\n") if line.strip()]
        for line in lines:
            s = self.document.add_paragraph()
            s.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(s, before=0, after=0)
            _set_run_font(s.add_run(line), size=14, bold=True)
            s.paragraph_format.keep_with_next = True
        _rule(self.document.add_paragraph(), width_cm=4.0, column_cm=self.text_width_cm)
        spacer = self.document.add_paragraph()
        _spacing(spacer, before=0, after=6)

    def addressed_to(self, recipients: list[str]) -> None:
        """"Kính gửi: …" centred for one addressee; a dash list under it for several."""
        names = [nfc(r).strip() for r in recipients if nfc(r).strip()]
        p = self.document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(p, before=12, after=6)
        _set_run_font(p.add_run("Kính gửi: " + (names[0] if len(names) == 1 else "")), size=14)
        if len(names) > 1:
            for i, name in enumerate(names):
                q = self.document.add_paragraph()
                q.paragraph_format.left_indent = Cm(4)
                _spacing(q, before=0, after=0)
                _set_run_font(q.add_run(f"- {name}{'.' if i == len(names) - 1 else ';'}"), size=14)

    # ------------------------------------------------------------------ body

    def _body_par(self, *, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before: float = 6):
        p = self.document.add_paragraph()
        p.alignment = align
        _spacing(p, before=before, after=0, line=1.1)
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        return p

    def heading(self, text: str, *, level: int = 1) -> None:
        """Level 1: "I. KẾT QUẢ …" (bold); level 2: "1. …" (bold); level 3: "a) …" (italic)."""
        p = self._body_par()
        p.paragraph_format.keep_with_next = True
        _set_run_font(p.add_run(nfc(text)), size=BODY_PT, bold=level <= 2, italic=level == 3)

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False, indent: bool = True,
                  center: bool = False) -> None:
        for chunk in [c for c in nfc(text).split("\n") if c.strip()] or [""]:
            p = self._body_par(indent=indent and not center,
                               align=WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY)
            _set_run_font(p.add_run(chunk), size=BODY_PT, bold=bold, italic=italic)

    def rich(self, parts: list[tuple[str, str]]) -> None:
        """One paragraph of (style, text) parts, style among "", "b", "i", "bi"."""
        p = self._body_par()
        for style, text in parts:
            _set_run_font(p.add_run(nfc(text)), size=BODY_PT, bold="b" in style, italic="i" in style)

    def item(self, label: str, text: str, *, justify: bool = True) -> None:
        """A lettered point: "a) …" or a dash "- …" (not justified when it carries long addresses)."""
        p = self._body_par(align=WD_ALIGN_PARAGRAPH.JUSTIFY if justify else WD_ALIGN_PARAGRAPH.LEFT)
        prefix = f"{label}) " if label and label not in {"-", "+"} else (f"{label} " if label else "")
        _set_run_font(p.add_run(prefix + nfc(text)), size=BODY_PT)

    def table(self, spec: TableSpec) -> None:
        if spec.caption:
            c = self._body_par(indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, before=8)
            c.paragraph_format.keep_with_next = True
            _set_run_font(c.add_run(nfc(spec.caption)), size=BODY_PT, bold=True)
        table = self.document.add_table(rows=1 + len(spec.rows), cols=len(spec.columns))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _grid_borders(table)
        _cell_margins(table, left_cm=0.1, right_cm=0.1)
        _fixed_widths(table, [c.width_cm for c in spec.columns])
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                  "right": WD_ALIGN_PARAGRAPH.RIGHT}
        head = table.rows[0]
        _repeat_header(head)
        for cell, column in zip(head.cells, spec.columns):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(p, before=2, after=2)
            _set_run_font(p.add_run(nfc(column.title)), size=TABLE_PT, bold=True)
        for index, values in enumerate(spec.rows):
            row = table.rows[index + 1]
            _cant_split(row)
            for cell, column, value in zip(row.cells, spec.columns, values):
                p = cell.paragraphs[0]
                p.alignment = aligns[column.align]
                _spacing(p, before=2, after=2)
                _set_run_font(p.add_run(nfc("" if value is None else value)), size=TABLE_PT,
                              bold=index in spec.bold_rows)
        if spec.note:
            n = self._body_par(indent=False, before=2)
            _set_run_font(n.add_run(nfc(spec.note)), size=TABLE_PT, italic=True)
        self.document.add_paragraph()

    def picture(self, png: bytes, *, width_cm: float = 15.0, caption: str = "") -> None:
        p = self.document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(p, before=6, after=0)
        p.paragraph_format.keep_with_next = bool(caption)
        p.add_run().add_picture(io.BytesIO(png), width=Cm(min(width_cm, self.text_width_cm)))
        if caption:
            c = self.document.add_paragraph()
            c.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(c, before=2, after=6)
            _set_run_font(c.add_run(nfc(caption)), size=12, italic=True)

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # ------------------------------------------------------------------ the end

    def closing(self, *, recipients: list[str], signature: Signature) -> None:
        """"Nơi nhận" at the bottom left and the signature block at the bottom right."""
        spacer = self.document.add_paragraph()
        _spacing(spacer, before=0, after=0)
        table = self.document.add_table(rows=1, cols=2)
        _no_borders(table)
        _cell_margins(table, left_cm=0.0, right_cm=0.0)
        width = self.text_width_cm
        _fixed_widths(table, [width * 0.47, width * 0.53])
        _cant_split(table.rows[0])
        left, right = table.rows[0].cells
        p = left.paragraphs[0]
        _spacing(p, before=6, after=0)
        _set_run_font(p.add_run("Nơi nhận:"), size=12, bold=True, italic=True)
        items = [nfc(r).strip().rstrip(";.") for r in recipients if nfc(r).strip()]
        for i, r in enumerate(items):
            q = left.add_paragraph()
            _spacing(q, before=0, after=0)
            end = "." if i == len(items) - 1 else ";"
            _set_run_font(q.add_run(f"- {r}{end}"), size=11)
        first = True
        for line in [x for x in nfc(signature.authority).split("\n") if x.strip()] + (
                [nfc(signature.title)] if signature.title else []):
            self._cell_par(right, upper_vi(line), size=13.5, bold=True, first=first, before=6 if first else 0)
            first = False
        if first:  # no authority or title: keep the signature paragraph in place
            self._cell_par(right, "", size=13.5, first=True)
        # Space for the signature and the seal (Decree 30: the name under it, bold).
        for _ in range(4):
            self._cell_par(right, "", size=13.5)
        self._cell_par(right, signature.name, size=13.5, bold=True)

    def signatures(self, *, left: Signature, right: Signature) -> None:
        """Two signatures side by side, each "(Ký, ghi rõ họ tên)" with room to sign above the
        name — as a biên bản is signed (the secretary left, the chair right)."""
        table = self.document.add_table(rows=1, cols=2)
        _no_borders(table)
        _fixed_widths(table, [self.text_width_cm / 2, self.text_width_cm / 2])
        _cant_split(table.rows[0])
        for cell, sig in zip(table.rows[0].cells, (left, right)):
            self._cell_par(cell, upper_vi(sig.title), size=13.5, bold=True, first=True, before=12)
            self._cell_par(cell, "(Ký, ghi rõ họ tên)", size=13, italic=True)
            for _ in range(4):
                self._cell_par(cell, "", size=13.5)
            self._cell_par(cell, sig.name, size=13.5, bold=True)

    # ------------------------------------------------------------------ output

    def save(self, target) -> None:
        self.document.save(target)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


class Certificate:
    """A certificate of merit (Giấy khen) on landscape A4, in the same type as the documents:
    the national title and motto, the authority that awards it, "GIẤY KHEN", the person or
    collective, the citation; at the bottom left the decision and the register number, at the
    bottom right the place and date and the signature block. Usage: ``Certificate(…).to_bytes()``."""

    def __init__(self, *, authority: str, recipient: str, detail: str, citation: str, place: str, on: date | None,
                 signature: Signature, decision_ref: str, book_ref: str, title: str = "GIẤY KHEN"):
        self.document = Document()
        normal = self.document.styles["Normal"]
        normal.font.name = FONT
        normal.font.color.rgb = RGBColor(0, 0, 0)
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Mm(20))
        self.width_cm = (297 - 40) / 10
        core = self.document.core_properties
        core.title = nfc(f"{title} — {recipient}")[:250]
        core.author = nfc(authority)[:250]
        core.language = "vi-VN"
        self._line(NATIONAL_TITLE, size=13, bold=True)
        self._line(MOTTO, size=14, bold=True)
        _rule(self.document.add_paragraph(), width_cm=6.2, column_cm=self.width_cm)
        self._line(upper_vi(authority), size=15, bold=True, before=18)
        self._line("TẶNG", size=16, bold=True, before=12)
        self._line(upper_vi(title), size=30, bold=True, before=0)
        self._line(recipient, size=20, bold=True, before=14)
        if detail:
            self._line(detail, size=14, before=4)
        self._line(citation, size=15, italic=True, before=14)
        table = self.document.add_table(rows=1, cols=2)
        _no_borders(table)
        _fixed_widths(table, [self.width_cm * 0.45, self.width_cm * 0.55])
        left, right = table.rows[0].cells
        first = True
        for text in (decision_ref, book_ref):
            for line in [x for x in nfc(text).split("\n") if x.strip()]:
                p = left.paragraphs[0] if first else left.add_paragraph()
                first = False
                _spacing(p, before=30 if p is left.paragraphs[0] else 0)
                _set_run_font(p.add_run(line), size=12)
        p = right.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(p, before=30)
        _set_run_font(p.add_run(place_and_date(place, on)), size=14, italic=True)
        for line in [x for x in nfc(signature.authority).split("\n") if x.strip()] + (
                [signature.title] if signature.title else []):
            q = right.add_paragraph()
            q.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_run_font(q.add_run(upper_vi(line)), size=14, bold=True)
        for _ in range(4):
            right.add_paragraph()
        q = right.add_paragraph()
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_run_font(q.add_run(nfc(signature.name)), size=14, bold=True)

    def _line(self, text: str, *, size: float, bold: bool = False, italic: bool = False, before: float = 0) -> None:
        p = self.document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(p, before=before, after=0, line=1.1)
        _set_run_font(p.add_run(nfc(text)), size=size, bold=bold, italic=italic)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
