"""A text filter: a survey's free text with personal data taken out BEFORE it is stored.

`safety.pii` finds phones, citizen IDs, e-mails, addresses and "a name + a class or school";
an answer sheet also must not name anyone on its own ("Nguyễn Văn An lớp em hay…"), so a
capitalised run of two to four words led by a common Vietnamese family name is taken out too.
What is taken out becomes "[đã ẩn]"; the original is never kept anywhere.
"""

import re

from cyberyouth.lib.text import nfc
from cyberyouth.safety.pii import find_personal_data

MASK = "[đã ẩn]"
# The family names of about 90 % of Vietnamese people (and the demo's “Mẫu”, “Thử”).
FAMILY_NAMES = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào Đoàn Lương "
                "Trịnh Mai Cao Lưu Tạ Chu Quách Hà Vương Tô Thái Lâm Triệu Kiều Mẫu Thử").split()
_UP = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_LOW = "a-zàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
_NAME = re.compile(rf"(?<![\w])(?:{'|'.join(FAMILY_NAMES)})(?:\s+[{_UP}][{_LOW}]*){{1,3}}(?![\w])")


def redact(text: str) -> tuple[str, int]:
    """(`text` with personal data masked, how many pieces were masked)."""
    text = nfc(text)
    spans = [(p.start, p.end) for p in find_personal_data(text)]
    spans += [(m.start(), m.end()) for m in _NAME.finditer(text)]
    if not spans:
        return text, 0
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return "".join(out), len(merged)
