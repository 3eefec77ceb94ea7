"""Personal data in Vietnamese text: phones, citizen IDs, emails, addresses, students.

Runs on the ORIGINAL text (normalisation would rewrite digits and separators), so
offsets are original offsets already. Official numbers (hotlines, switchboards,
1800/1900 service numbers, a school's office) are not personal data and are skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

__all__ = ["PersonalData", "find_personal_data", "find_personal_data_many", "exposure_score"]


@dataclass(frozen=True, slots=True)
class PersonalData:
    type: str  # phone | landline | citizen_id | email | address | student
    start: int
    end: int


_SEP = r"[ .\-]?"
# Mobile: 0 or +84/84, a 3/5/7/8/9 network digit, 8 more digits, any grouping (0912 345 678).
_MOBILE = re.compile(rf"(?<![\w+])(?:\+84|84|0){_SEP}[35789](?:{_SEP}\d){{8}}(?!\d)")
# Landline: 02x area code + 8 digits (11 digits in all), e.g. 024 3825 1234.
_LANDLINE = re.compile(rf"(?<![\w+])(?:\+84{_SEP}|0)2(?:{_SEP}\d){{9}}(?!\d)")
_UP = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_LOW = "a-zàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
_CITIZEN_ID = re.compile(r"(?<!\d)0\d{11}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_ADDRESS = re.compile(
    r"(?i)(?<!\w)(?:(?:số\s+nhà|nhà\s+số|sn)\s*\d+[\w/]*"
    rf"|\d+[a-z]?(?:/\d+[a-z]?)*\s+(?:đường|phố|ngõ|ngách|hẻm|kiệt)\s+\w+(?:\s+[{_UP}]\w*)*"
    r"|(?:ngõ|ngách|hẻm|kiệt)\s+\d+[\w/]*)"
    r"(?:[,\s]+(?:(?:đường|phố|phường|xã|quận|huyện|thôn|xóm|tổ|p\.|q\.)\s*[\wÀ-ỹ]+(?:\s+[A-ZÀ-Ỹ][\wà-ỹ]*)*))*"
)
_NAME = rf"[{_UP}][{_LOW}]+(?:\s+[{_UP}][{_LOW}]*){{1,4}}"
# A person's name, then within a few words a class ("lớp 7A3") or a school ("trường THCS …").
_STUDENT = re.compile(
    rf"{_NAME}[\s,\-–(]+(?:\S+\s+){{0,3}}?(?:lớp\s+\d{{1,2}}[A-Za-z]?\d{{0,2}}|trường\s+(?:THCS|THPT|TH|tiểu học|mầm non|trung học|PTTH)\b)",
)
# An adult named in their role ("Thầy Bùi Văn Nam, hiệu trưởng trường THCS…", "cô giáo Lan Anh lớp
# 7A2"): a post of the school, not a pupil exposed. The title is the name's first word (capitalised)
# or the words just before it. "Anh"/"Chị" are given names too, so they are not titles here.
_ADULT_TITLE = re.compile(
    r"(?i)(?:^|\s)(?:thầy|cô|cô giáo|thầy giáo|ông|bà|đồng chí|đ/c|hiệu trưởng|hiệu phó|phó hiệu trưởng|"
    r"giáo viên|gv|gvcn|giáo viên chủ nhiệm|tổng phụ trách|bí thư|chủ tịch)\s+$"
)
_OFFICIAL = re.compile(
    r"(?i)(hotline|tổng\s+đài|đường\s+dây\s+nóng|văn\s+phòng|phòng\s+(?:giáo\s+dục|đào\s+tạo|hành\s+chính)|"
    r"liên\s+hệ\s+(?:nhà\s+trường|ban\s+giám\s+hiệu|văn\s+phòng)|fax|tel|điện\s+thoại\s+(?:trường|nhà\s+trường|cơ\s+quan)|"
    r"cơ\s+quan|ủy\s+ban|công\s+an\s+(?:phường|xã|quận|huyện)|trực\s+ban|cskh|chăm\s+sóc\s+khách\s+hàng)"
)
_EXPOSE = re.compile(
    r"(?i)(của\s+(?:nó|nó\s+đây|con\s+bé|thằng|con|đứa|bạn\s+ấy|em\s+ấy)|nhà\s+nó|địa\s+chỉ\s+nhà|"
    r"sđt|số\s+điện\s+thoại|số\s+đt|info|thông\s+tin\s+(?:của|cá\s+nhân)|bóc\s+phốt|phốt|"
    r"cccd|căn\s+cước|cmnd|học\s+lớp|nhà\s+ở)"
)


# The one-word titles, which the name pattern takes in as a capitalised first word ("Thầy Bùi…").
_TITLE_WORDS = frozenset({"thầy", "cô", "ông", "bà", "gv"})


def _adult(text: str, start: int) -> bool:
    if text[start:].split(maxsplit=1)[0].lower() in _TITLE_WORDS:
        return True
    return _ADULT_TITLE.search(text[max(0, start - 30) : start]) is not None


def _official(text: str, start: int) -> bool:
    window = text[max(0, start - 60) : start]
    return _OFFICIAL.search(window) is not None


# Every pattern above needs a digit, an "@" or "trường" (student + school): one cheap
# search lets the ~90% of comments with none of them skip the six patterns.
_HINT = re.compile(r"[\d@]|trường")


def find_personal_data(text: str) -> list[PersonalData]:
    """Personal data in `text`, sorted by position; official numbers excluded."""
    if not text or not _HINT.search(text):
        return []
    found: list[PersonalData] = []
    # Disjoint accepted intervals, sorted: an overlap can only be with a neighbour.
    t_starts: list[int] = []
    t_ends: list[int] = []

    def add(kind: str, s: int, e: int) -> None:
        i = bisect_left(t_starts, s)
        if i > 0 and t_ends[i - 1] > s:
            return
        if i < len(t_starts) and t_starts[i] < e:
            return
        t_starts.insert(i, s)
        t_ends.insert(i, e)
        found.append(PersonalData(kind, s, e))

    for m in _CITIZEN_ID.finditer(text):
        add("citizen_id", m.start(), m.end())
    for m in _EMAIL.finditer(text):
        if not _official(text, m.start()):
            add("email", m.start(), m.end())
    for m in _MOBILE.finditer(text):
        if not _official(text, m.start()):
            add("phone", m.start(), m.end())
    for m in _LANDLINE.finditer(text):
        if not _official(text, m.start()):
            add("landline", m.start(), m.end())
    for m in _ADDRESS.finditer(text):
        add("address", m.start(), m.end())
    for m in _STUDENT.finditer(text):
        if not _official(text, m.start()) and not _adult(text, m.start()):
            add("student", m.start(), m.end())
    found.sort(key=lambda p: (p.start, p.end))
    return found


# A finer necessary condition, per pattern: a citizen ID, a mobile or a landline has 10
# digits or more, each within one character of the next; an email an "@"; an address a
# digit and one of its keywords (same case folding as _ADDRESS); a student "lớp" or "trường".
_NEED = re.compile(r"@|\d(?:\D?\d){9}|lớp|trường")
_ADDRESS_WORD = re.compile(r"(?i)sn|nhà|đường|phố|ngõ|ngách|hẻm|kiệt")
_DIGIT = re.compile(r"\d")


def find_personal_data_many(texts: list[str]) -> list[list[PersonalData]]:
    """`find_personal_data` of each text; the texts that cannot hold any of the patterns
    (≈ 99 % of comments) are ruled out by substring tests and the finer pre-check above."""
    out: list[list[PersonalData]] = []
    digit = _DIGIT.search
    for t in texts:
        if ("@" in t or "trường" in t or digit(t)) and (
            _NEED.search(t) or (digit(t) and _ADDRESS_WORD.search(t))
        ):
            out.append(find_personal_data(t))
        else:
            out.append([])
    return out


def exposure_score(text: str, items: list[PersonalData]) -> float:
    """How strongly the text exposes someone's personal data (0-1)."""
    if not items:
        return 0.0
    base = {"citizen_id": 0.9, "address": 0.7, "student": 0.7, "phone": 0.6, "landline": 0.5, "email": 0.5}
    miss = 1.0
    for it in items:
        miss *= 1.0 - base.get(it.type, 0.5)
    score = 1.0 - miss
    if _EXPOSE.search(text):
        score = 1.0 - (1.0 - score) * 0.3
    return score
