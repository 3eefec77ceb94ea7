"""A format reader and writer: the question bank as the XLSX template, Moodle XML and GIFT.

Pure computation over bytes and text, no database: `read(data, name)` gives every question of a
file or raises `BankFileErrors` with every fault found, each by row (XLSX) or by question
(Moodle XML, GIFT), so that a service can refuse the whole file and write nothing. `write_*`
give the same formats back, so an export imports again unchanged.
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from cyberyouth.errors import DomainError
from cyberyouth.lib.text import nfc

MAX_QUESTIONS = 2_000
MAX_BYTES = 5 * 1024 * 1024
MAX_OPTIONS = 8
TRUE_LABEL, FALSE_LABEL = "Đúng", "Sai"
KIND_LABELS = {"single": "Một đáp án", "multiple": "Nhiều đáp án", "truefalse": "Đúng/Sai"}
DIFFICULTY_LABELS = {1: "Dễ", 2: "Trung bình", 3: "Khó"}
DIFFICULTY_TAG = "độ khó: "
SOURCE_MARK = "Nguồn: "


@dataclass
class ParsedQuestion:
    kind: str
    text: str
    options: list[tuple[str, bool]]
    explanation: str = ""
    source: str = ""
    difficulty: int = 2
    tags: list[str] = field(default_factory=list)
    where: str = ""


@dataclass(frozen=True)
class Fault:
    where: str  # "dòng 7", "câu 3 (“Ai đọc Tuyên ngôn…”)"
    reason: str

    def as_dict(self) -> dict:
        return {"where": self.where, "reason": self.reason}


class BankFileErrors(DomainError):
    """Every fault of a question file; nothing of it is imported."""

    def __init__(self, faults: list[Fault]):
        self.faults = faults
        first = faults[0]
        more = f" (và {len(faults) - 1} lỗi khác)" if len(faults) > 1 else ""
        super().__init__(f"Tệp có lỗi, chưa nhập câu nào. {first.where}: {first.reason}{more}", field="file",
                         code="invalid_file")

    def as_list(self) -> list[dict]:
        return [f.as_dict() for f in self.faults]


def _fail(reason: str, where: str = "tệp") -> None:
    raise BankFileErrors([Fault(where, reason)])


def check(q: ParsedQuestion) -> list[str]:
    """What is wrong with a question, in words for the person who wrote it."""
    problems = []
    if not q.text:
        problems.append("Thiếu nội dung câu hỏi.")
    elif len(q.text) > 2000:
        problems.append("Câu hỏi dài quá 2.000 ký tự.")
    texts = [t for t, _ in q.options]
    right = sum(1 for _, c in q.options if c)
    if q.kind == "truefalse":
        if texts != [TRUE_LABEL, FALSE_LABEL] or right != 1:
            problems.append("Câu Đúng/Sai cần đúng một đáp án: Đúng hoặc Sai.")
    else:
        if len(texts) < 2:
            problems.append("Cần ít nhất 2 phương án.")
        if len(texts) > MAX_OPTIONS:
            problems.append(f"Nhiều nhất {MAX_OPTIONS} phương án.")
        if any(not t for t in texts):
            problems.append("Có phương án để trống.")
        if any(len(t) > 500 for t in texts):
            problems.append("Có phương án dài quá 500 ký tự.")
        if len({t.casefold() for t in texts}) != len(texts):
            problems.append("Có hai phương án giống nhau.")
        if q.kind == "single" and right != 1:
            problems.append(f"Câu một đáp án cần đúng 1 phương án đúng (tệp có {right}).")
        if q.kind == "multiple" and right < 1:
            problems.append("Câu nhiều đáp án cần ít nhất 1 phương án đúng.")
    if q.difficulty not in DIFFICULTY_LABELS:
        problems.append("Độ khó phải là Dễ, Trung bình hoặc Khó.")
    if any(len(t) > 80 for t in q.tags):
        problems.append("Tên chủ đề dài quá 80 ký tự.")
    if len(q.source) > 300:
        problems.append("Nguồn dài quá 300 ký tự.")
    return problems


def _where(q: ParsedQuestion) -> str:
    return q.where


def _finish(questions: list[ParsedQuestion], faults: list[Fault]) -> list[ParsedQuestion]:
    for q in questions:
        faults.extend(Fault(_where(q), p) for p in check(q))
    if len(questions) > MAX_QUESTIONS:
        faults.append(Fault("tệp", f"Tệp có hơn {MAX_QUESTIONS} câu; chia thành nhiều tệp nhỏ hơn."))
    if not questions and not faults:
        faults.append(Fault("tệp", "Tệp không có câu hỏi nào."))
    if faults:
        raise BankFileErrors(faults)
    return questions


def read(data: bytes, name: str) -> list[ParsedQuestion]:
    """The questions of an uploaded file, by its extension: .xlsx, .xml (Moodle XML), .gift/.txt."""
    if len(data) > MAX_BYTES:
        _fail(f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); tối đa {MAX_BYTES // 1048576} MB.")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(data)
    if lower.endswith(".xml"):
        return read_moodle_xml(data)
    if lower.endswith((".gift", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            _fail("Tệp GIFT phải được lưu với bảng mã UTF-8.")
        return read_gift(text)
    _fail("Chỉ nhận tệp .xlsx (mẫu của hệ thống), .xml (Moodle XML) hoặc .gift/.txt (GIFT).")
    return []


# ---------------------------------------------------------------- XLSX

SHEET = "Câu hỏi"
COLUMNS = ["Chủ đề", "Độ khó", "Loại", "Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D",
           "Phương án E", "Phương án F", "Đáp án đúng", "Giải thích", "Nguồn"]
LETTERS = "ABCDEF"
_MERGE = re.compile(rb"<mergeCell[^>]*ref=\"([A-Z]+[0-9]+)")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _kind_from(label: str) -> str | None:
    key = label.casefold().replace(" ", "")
    for kind, text in KIND_LABELS.items():
        if key in (text.casefold().replace(" ", ""), kind):
            return kind
    return {"đúng-sai": "truefalse", "đúngsai": "truefalse"}.get(key)


def _difficulty_from(label: str) -> int | None:
    key = label.casefold().strip()
    for number, text in DIFFICULTY_LABELS.items():
        if key in (text.casefold(), str(number)):
            return number
    return None


def read_xlsx(data: bytes) -> list[ParsedQuestion]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from cyberyouth.uploads import check_zip

    if not data.startswith(b"PK"):
        _fail("Không đọc được tệp: cần tệp Excel .xlsx theo mẫu.")
    try:
        check_zip(data, max_unpacked=25 * 1024 * 1024)
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet_xml = {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")}
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except DomainError as exc:
        _fail(exc.message)
    except Exception:  # noqa: BLE001 — openpyxl and zipfile raise many kinds on a file that is not a workbook
        _fail("Không đọc được tệp: cần tệp Excel .xlsx theo mẫu.")
    if SHEET not in wb.sheetnames:
        _fail(f"Thiếu trang “{SHEET}”: hãy dùng mẫu tải từ hệ thống.")
    index = wb.sheetnames.index(SHEET) + 1
    merged = _MERGE.search(sheet_xml.get(f"xl/worksheets/sheet{index}.xml", b""))
    if merged:
        _fail("Tệp có ô gộp: bỏ gộp ô rồi tải lên lại.", where=f"ô {merged.group(1).decode()}")
    questions: list[ParsedQuestion] = []
    faults: list[Fault] = []
    for r, cells in enumerate(wb[SHEET].iter_rows(max_col=len(COLUMNS)), start=1):
        if r > MAX_QUESTIONS + 1:
            _fail(f"Tệp có hơn {MAX_QUESTIONS} câu; chia thành nhiều tệp nhỏ hơn.", where=f"dòng {r}")
        cells = list(cells) + [None] * (len(COLUMNS) - len(cells))
        values = [getattr(c, "value", None) for c in cells]
        if r == 1:
            header = [_cell_text(v) for v in values]
            if header != COLUMNS:
                bad = next(i for i, (a, b) in enumerate(zip(header, COLUMNS)) if a != b)
                _fail(f"Tiêu đề cột phải là “{COLUMNS[bad]}”; không sửa dòng 1 của mẫu.",
                      where=f"ô {get_column_letter(bad + 1)}1")
            continue
        if all(v in (None, "") for v in values):
            continue
        where = f"dòng {r}"
        formula = next((i for i, c in enumerate(cells) if getattr(c, "data_type", "") == "f"
                        or (isinstance(getattr(c, "value", None), str) and c.value.startswith("="))), None)
        if formula is not None:
            faults.append(Fault(f"{where}, ô {get_column_letter(formula + 1)}{r}",
                                "Ô có công thức: chỉ ghi giá trị (dán “chỉ giá trị”)."))
            continue
        v = dict(zip(COLUMNS, (_cell_text(x) for x in values), strict=True))
        kind = _kind_from(v["Loại"]) if v["Loại"] else "single"
        if kind is None:
            faults.append(Fault(where, f"Loại “{v['Loại']}” không rõ: ghi Một đáp án, Nhiều đáp án hoặc Đúng/Sai."))
            continue
        difficulty = _difficulty_from(v["Độ khó"]) if v["Độ khó"] else 2
        if difficulty is None:
            faults.append(Fault(where, f"Độ khó “{v['Độ khó']}” không rõ: ghi Dễ, Trung bình hoặc Khó."))
            continue
        answer = v["Đáp án đúng"]
        if kind == "truefalse":
            key = answer.casefold()
            if key not in (TRUE_LABEL.casefold(), FALSE_LABEL.casefold()):
                faults.append(Fault(where, "Câu Đúng/Sai: cột “Đáp án đúng” ghi Đúng hoặc Sai."))
                continue
            options = [(TRUE_LABEL, key == TRUE_LABEL.casefold()), (FALSE_LABEL, key == FALSE_LABEL.casefold())]
        else:
            texts = [v[f"Phương án {letter}"] for letter in LETTERS]
            while texts and not texts[-1]:
                texts.pop()
            right = {x.strip().upper() for x in re.split(r"[,;\s]+", answer) if x.strip()}
            unknown = right - set(LETTERS[:len(texts)])
            if not right or unknown:
                faults.append(Fault(where, "Cột “Đáp án đúng” ghi chữ cái của phương án đúng (ví dụ B, hoặc A,C)"
                                    + (f"; “{', '.join(sorted(unknown))}” không có phương án." if unknown else ".")))
                continue
            options = [(t, LETTERS[i] in right) for i, t in enumerate(texts)]
        tags = [t.strip() for t in v["Chủ đề"].split(";") if t.strip()]
        questions.append(ParsedQuestion(kind=kind, text=v["Câu hỏi"], options=options, explanation=v["Giải thích"],
                                        source=v["Nguồn"], difficulty=difficulty, tags=tags, where=where))
    return _finish(questions, faults)


def write_xlsx(questions: list[ParsedQuestion]) -> bytes:
    """The template (empty) or an export: one question per row, with a guide sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for q in questions:
        if q.kind == "truefalse":
            texts, answer = [""] * 6, TRUE_LABEL if q.options[0][1] else FALSE_LABEL
        else:
            texts = [t for t, _ in q.options] + [""] * (6 - len(q.options))
            answer = ",".join(LETTERS[i] for i, (_, c) in enumerate(q.options) if c)
        ws.append(["; ".join(q.tags), DIFFICULTY_LABELS[q.difficulty], KIND_LABELS[q.kind], q.text, *texts[:6], answer,
                   q.explanation, q.source])
    for letter, width in zip("ABCDEFGHIJKLM", (24, 12, 14, 60, 28, 28, 28, 28, 20, 20, 12, 50, 30)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide = wb.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng của trang “Câu hỏi” là một câu. Không sửa dòng tiêu đề, không gộp ô, không dùng công thức.",
        "Loại: Một đáp án, Nhiều đáp án, hoặc Đúng/Sai (để trống = Một đáp án).",
        "Độ khó: Dễ, Trung bình, Khó (để trống = Trung bình).",
        "Chủ đề: một hoặc nhiều chủ đề, cách nhau bằng dấu chấm phẩy.",
        "Đáp án đúng: chữ cái của phương án đúng (B), nhiều đáp án thì A,C; câu Đúng/Sai ghi Đúng hoặc Sai.",
        "Tệp có bất kỳ lỗi nào thì không câu nào được nhập; sửa theo danh sách lỗi rồi tải lên lại.",
        "Câu hỏi mới cần một người khác duyệt trước khi được đưa vào đề thi.",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- Moodle XML

_TAG = re.compile(r"<[^>]+>")


def _plain(text: str | None) -> str:
    """Moodle's text is often HTML: keep the words."""
    if not text:
        return ""
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
    return nfc(html.unescape(_TAG.sub("", text))).strip()


def _text_of(node) -> str:
    if node is None:
        return ""
    inner = node.find("text")
    return _plain(inner.text if inner is not None else node.text)


def _split_source(feedback: str) -> tuple[str, str]:
    lines = feedback.rstrip().split("\n")
    if lines and lines[-1].startswith(SOURCE_MARK):
        return "\n".join(lines[:-1]).strip(), lines[-1][len(SOURCE_MARK):].strip()
    return feedback, ""


def _meta_tags(tags: list[str]) -> tuple[list[str], int]:
    difficulty, topics = 2, []
    for t in tags:
        if t.casefold().startswith(DIFFICULTY_TAG):
            difficulty = _difficulty_from(t[len(DIFFICULTY_TAG):]) or 0
        else:
            topics.append(t)
    return topics, difficulty


def read_moodle_xml(data: bytes) -> list[ParsedQuestion]:
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        _fail("Tệp XML có khai báo DOCTYPE/ENTITY: không mở (tệp Moodle XML không có phần này).")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        _fail(f"XML hỏng, không đọc được (dòng {line}, cột {column}).")
    if root.tag != "quiz":
        _fail("Không phải tệp Moodle XML (thẻ gốc phải là <quiz>).")
    questions: list[ParsedQuestion] = []
    faults: list[Fault] = []
    category = ""
    number = 0
    for node in root.findall("question"):
        qtype = node.get("type", "")
        if qtype == "category":
            path = _text_of(node.find("category"))
            parts = [p for p in path.split("/") if p and not p.startswith("$") and p != "top"]
            category = parts[-1] if parts else ""
            continue
        number += 1
        name = _text_of(node.find("name"))
        where = f"câu {number}" + (f" (“{name[:40]}”)" if name else "")
        text = _text_of(node.find("questiontext"))
        explanation, source = _split_source(_text_of(node.find("generalfeedback")))
        tags, difficulty = _meta_tags([_plain(t.findtext("text")) for t in node.findall("tags/tag")])
        if category and category not in tags:
            tags.insert(0, category)
        answers = []
        for a in node.findall("answer"):
            try:
                fraction = float(a.get("fraction", "0"))
            except ValueError:
                faults.append(Fault(where, f"Điểm “{a.get('fraction')}” của một phương án không phải số."))
                fraction = 0.0
            answers.append((_text_of(a), fraction))
        if qtype == "truefalse":
            right = next((t for t, f in answers if f > 0), "").casefold()
            if right not in ("true", "false"):
                faults.append(Fault(where, "Câu Đúng/Sai phải có đáp án “true” hoặc “false” được 100 điểm."))
                continue
            options = [(TRUE_LABEL, right == "true"), (FALSE_LABEL, right == "false")]
            kind = "truefalse"
        elif qtype == "multichoice":
            single = (node.findtext("single") or "true").strip().lower() in ("true", "1")
            kind = "single" if single else "multiple"
            options = [(t, f > 0) for t, f in answers]
        else:
            faults.append(Fault(where, f"Loại câu hỏi “{qtype}” chưa hỗ trợ (chỉ nhận multichoice, truefalse)."))
            continue
        questions.append(ParsedQuestion(kind=kind, text=text, options=options, explanation=explanation,
                                        source=source, difficulty=difficulty, tags=tags, where=where))
    return _finish(questions, faults)


def write_moodle_xml(questions: list[ParsedQuestion]) -> bytes:
    root = ET.Element("quiz")
    for n, q in enumerate(questions, start=1):
        node = ET.SubElement(root, "question", type="truefalse" if q.kind == "truefalse" else "multichoice")
        ET.SubElement(ET.SubElement(node, "name"), "text").text = f"{n:04d} {q.text[:60]}"
        qt = ET.SubElement(node, "questiontext", format="plain_text")
        ET.SubElement(qt, "text").text = q.text
        feedback = q.explanation + (f"\n{SOURCE_MARK}{q.source}" if q.source else "")
        ET.SubElement(ET.SubElement(node, "generalfeedback", format="plain_text"), "text").text = feedback
        if q.kind == "truefalse":
            for label, value in (("true", q.options[0][1]), ("false", q.options[1][1])):
                answer = ET.SubElement(node, "answer", fraction="100" if value else "0", format="moodle_auto_format")
                ET.SubElement(answer, "text").text = label
        else:
            ET.SubElement(node, "single").text = "true" if q.kind == "single" else "false"
            ET.SubElement(node, "shuffleanswers").text = "1"
            right = sum(1 for _, c in q.options if c) or 1
            for text, correct in q.options:
                fraction = "100" if correct and q.kind == "single" else (
                    f"{100 / right:.5f}".rstrip("0").rstrip(".") if correct else
                    ("0" if q.kind == "single" else "-100"))
                answer = ET.SubElement(node, "answer", fraction=fraction, format="plain_text")
                ET.SubElement(answer, "text").text = text
        tags = ET.SubElement(node, "tags")
        for t in [*q.tags, DIFFICULTY_TAG + DIFFICULTY_LABELS[q.difficulty]]:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = t
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


# ---------------------------------------------------------------- GIFT

_SPECIAL = "~=#{}:"


def _gift_unescape(text: str) -> str:
    return re.sub(r"\\([~=#{}:n\\])", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _gift_escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Split `text` at unescaped characters of `marks`: [(mark, piece)] (first mark is '')."""
    parts, current, mark, i = [], [], "", 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if ch in marks:
            parts.append((mark, "".join(current)))
            current, mark = [], ch
        else:
            current.append(ch)
        i += 1
    parts.append((mark, "".join(current)))
    return parts


def _find_unescaped(text: str, ch: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == ch:
            return i
        i += 1
    return -1


def read_gift(text: str) -> list[ParsedQuestion]:
    text = nfc(text).replace("\r\n", "\n")
    questions: list[ParsedQuestion] = []
    faults: list[Fault] = []
    category = ""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip().startswith("//"):
            meta = line.strip()[2:].strip()
            if meta.casefold().startswith(DIFFICULTY_TAG) or meta.casefold().startswith("chủ đề:"):
                current.append(line)  # our own metadata comments belong to the next question
                start = start or n
            continue
        if not line.strip():
            if current:
                blocks.append((start, current))
                current = []
            start = 0
            continue
        start = start or n
        current.append(line)
    if current:
        blocks.append((start, current))
    number = 0
    for line_no, lines in blocks:
        meta = [ln.strip()[2:].strip() for ln in lines if ln.strip().startswith("//")]
        body = "\n".join(ln for ln in lines if not ln.strip().startswith("//")).strip()
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            path = body.split(":", 1)[1].strip()
            parts = [p for p in path.split("/") if p and not p.startswith("$") and p != "top"]
            category = parts[-1] if parts else ""
            continue
        number += 1
        title = ""
        if body.startswith("::"):
            end = body.find("::", 2)
            if end > 0:
                title, body = body[2:end].strip(), body[end + 2:].strip()
        where = f"câu {number} (dòng {line_no})" + (f" “{title[:40]}”" if title else "")
        body = re.sub(r"^\[(html|moodle|plain|markdown)\]", "", body)
        open_at = _find_unescaped(body, "{")
        close_at = _find_unescaped(body, "}", open_at + 1) if open_at >= 0 else -1
        if open_at < 0 or close_at < 0:
            faults.append(Fault(where, "Thiếu phần đáp án trong ngoặc nhọn { }."))
            continue
        stem = _plain(_gift_unescape((body[:open_at] + " " + body[close_at + 1:]).strip()))
        inner = body[open_at + 1:close_at].strip()
        general = ""
        gf = inner.find("####")
        if gf >= 0:
            inner, general = inner[:gf].strip(), _gift_unescape(inner[gf + 4:]).strip()
        explanation, source = _split_source(_plain(general))
        tags, difficulty = _meta_tags([m for m in meta if m.casefold().startswith(DIFFICULTY_TAG)])
        tags += [t.strip() for m in meta if m.casefold().startswith("chủ đề:")
                 for t in m.split(":", 1)[1].split(";") if t.strip()]
        if category and category not in tags:
            tags.insert(0, category)
        key = inner.split("#", 1)[0].strip().upper()
        if key in ("T", "TRUE", "F", "FALSE"):
            right = key.startswith("T")
            questions.append(ParsedQuestion(kind="truefalse", text=stem,
                                            options=[(TRUE_LABEL, right), (FALSE_LABEL, not right)],
                                            explanation=explanation, source=source, difficulty=difficulty, tags=tags,
                                            where=where))
            continue
        if "->" in inner:
            faults.append(Fault(where, "Câu ghép đôi chưa hỗ trợ (chỉ nhận một đáp án, nhiều đáp án, Đúng/Sai)."))
            continue
        pieces = [(mark, piece) for mark, piece in _split_unescaped(inner, "=~") if mark]
        if not pieces:
            faults.append(Fault(where, "Câu tự luận hoặc điền số chưa hỗ trợ (cần phương án bắt đầu bằng = hoặc ~)."))
            continue
        if all(mark == "=" for mark, _ in pieces) and not any(p.strip().startswith("%") for _, p in pieces):
            faults.append(Fault(where, "Câu điền đáp án ngắn chưa hỗ trợ (cần ít nhất một phương án sai ~)."))
            continue
        options: list[tuple[str, bool]] = []
        weighted = False
        for mark, piece in pieces:
            piece = _split_unescaped(piece, "#")[0][1].strip()  # drop per-answer feedback
            weight = None
            m = re.match(r"^%(-?\d+(?:\.\d+)?)%", piece)
            if m:
                weight, piece = float(m.group(1)), piece[m.end():].strip()
                weighted = True
            correct = (weight > 0) if weight is not None else (mark == "=")
            options.append((_plain(_gift_unescape(piece)), correct))
        right = sum(1 for _, c in options if c)
        kind = "multiple" if weighted and right > 1 else ("multiple" if right > 1 else "single")
        questions.append(ParsedQuestion(kind=kind, text=stem, options=options, explanation=explanation,
                                        source=source, difficulty=difficulty, tags=tags, where=where))
    return _finish(questions, faults)


def write_gift(questions: list[ParsedQuestion]) -> str:
    out = ["// Ngân hàng câu hỏi — định dạng GIFT (Moodle). Mỗi câu cách nhau một dòng trống.", ""]
    for n, q in enumerate(questions, start=1):
        out.append(f"// {DIFFICULTY_TAG}{DIFFICULTY_LABELS[q.difficulty]}")
        if q.tags:
            out.append("// chủ đề: " + "; ".join(q.tags))
        feedback = q.explanation + (f"\n{SOURCE_MARK}{q.source}" if q.source else "")
        tail = f" ####{_gift_escape(feedback)}" if feedback else ""
        if q.kind == "truefalse":
            answers = "T" if q.options[0][1] else "F"
        elif q.kind == "single":
            answers = " ".join(("=" if c else "~") + _gift_escape(t) for t, c in q.options)
        else:
            right = sum(1 for _, c in q.options if c) or 1
            share = f"{100 / right:.5f}".rstrip("0").rstrip(".")
            answers = " ".join(f"~%{share if c else '-100'}%{_gift_escape(t)}" for t, c in q.options)
        out.append(f"::Q{n:04d}:: {_gift_escape(q.text)} {{{answers}{tail}}}")
        out.append("")
    return "\n".join(out)
