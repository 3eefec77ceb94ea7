"""Turn the seed text of the Cát Hải 2023 plan into src/cyberyouth/plans/data/plan-cat-hai-2023.json.

Run once when the seed changes: python scripts/seed_to_plan_json.py ../shared/seed/ke-hoach-311-cat-hai.txt
The metadata the text does not carry (number, date, who leads which task) is in META below.
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

ROMAN = re.compile(r"^(I|II|III|IV|V)\. (.+)$")
NUMBERED = re.compile(r"^(\d+)\. (.+)$")
LETTERED = re.compile(r"^([a-zđ])\) (.+)$")

META = {
    "programme": {
        "code": "311/QĐ-TTg",
        "title": "Giáo dục lý tưởng cách mạng, đạo đức, lối sống văn hóa cho thanh niên, thiếu niên, nhi đồng "
                 "trên không gian mạng giai đoạn 2022 - 2030",
        "decided_on": "2022-03-05", "issuer": "Thủ tướng Chính phủ", "start_year": 2022, "end_year": 2030,
    },
    "plan": {
        "owner_unit": "hp-cat-hai", "number": "Số: …/KH-UBND", "year": 2023, "issued_on": "2023-04-20",
        "place": "Cát Hải", "is_demo": True,
        "legal_bases": [
            "Quyết định số 311/QĐ-TTg ngày 05/3/2022 của Thủ tướng Chính phủ",
            "Quyết định số 1142/QĐ-LĐTBXH ngày 25/11/2022 của Bộ Lao động - Thương binh và Xã hội",
            "Kế hoạch số 300/KH-UBND ngày 30/12/2022 của Ủy ban nhân dân thành phố Hải Phòng",
            "Kế hoạch số 87/KH-UBND ngày 15/3/2023 của Ủy ban nhân dân thành phố Hải Phòng",
        ],
        "signer_authority": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Quang Vinh",
    },
    # Section V: the standing agency leads every task, the Youth Union co-ordinates, communes,
    # towns and schools carry the plan out; the Youth Union also carries out the campaigns.
    "assignments": {
        "lead": {"*": ["hp-cat-hai-nvldtbxh"]},
        "coordinate": {"*": ["hp-cat-hai-doan"]},
        "implement": {"*": "@implementers"},
    },
}


def parse(text: str) -> dict:
    lines = [unicodedata.normalize("NFC", l.strip()) for l in text.splitlines() if l.strip()]
    title_idx = lines.index("KẾ HOẠCH")
    title = lines[title_idx + 1]
    preamble = lines[title_idx + 2]
    sections, groups = [], []
    section = heading = None
    recipients, signature = [], []
    mode = "body"
    for line in lines[title_idx + 3:]:
        if line.startswith("Nơi nhận"):
            mode = "recipients"
            continue
        if mode == "recipients":
            if line.startswith("- "):
                recipients.append(line[2:].rstrip(";."))
                continue
            mode = "signature"
        if mode == "signature":
            signature.append(line)
            continue
        if m := ROMAN.match(line):
            section = {"number": m[1], "title": m[2], "body": []}
            sections.append(section)
            heading = None
            continue
        if (m := NUMBERED.match(line)) and section["number"] != "II":
            heading = {"heading": line, "items": [], "text": ""}
            section["body"].append(heading)
            if section["number"] == "III":
                groups.append({"number": int(m[1]), "title": m[2], "tasks": []})
            continue
        if (m := LETTERED.match(line)) and heading is not None:
            heading["items"].append({"label": m[1], "text": m[2]})
            if section["number"] == "III":
                groups[-1]["tasks"].append({"letter": m[1], "text": m[2]})
            continue
        if heading is not None and section["number"] != "II":
            heading["text"] = (heading["text"] + "\n" + line).strip()
        else:
            section["body"].append({"heading": "", "items": [], "text": line})
    return {"title": title, "preamble": preamble, "sections": sections, "task_groups": groups,
            "recipients": recipients, "signature": signature}


def main() -> None:
    seed = Path(sys.argv[1])
    parsed = parse(seed.read_text(encoding="utf-8"))
    data = {
        "programme": META["programme"],
        "plan": META["plan"] | {"title": parsed["title"], "preamble": parsed["preamble"],
                                "recipients": parsed["recipients"]},
        "sections": parsed["sections"],
        "task_groups": parsed["task_groups"],
        "assignments": META["assignments"],
    }
    out = Path(__file__).resolve().parent.parent / "src/cyberyouth/plans/data/plan-cat-hai-2023.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(data['sections'])} sections, {len(data['task_groups'])} task groups, "
          f"{sum(len(g['tasks']) for g in data['task_groups'])} tasks")


if __name__ == "__main__":
    main()
