"""`cyberyouth bench training [--members N] [--rows N]` — matching the "Thanh niên Việt Nam" app's
completion export against the register of new Union members, in memory (no database).

A synthetic register of N members (default 100,000: Vietnamese names, birth dates, codes) and an
export of as many rows: 60 % carry the member code; 40 % do not and give the name as people type
it — without diacritics, in capitals, with doubled spaces, in decomposed Unicode — and the birth
date; 2 % of those have a typo in the name, and 3 % of all rows are people not in the register.
Times `services.match_members` (folding every name, code then name + birth date) on one core;
baseline in the same run: an exact dictionary lookup by code of the same rows (the least any
matcher must do). Prints the match rate by method and what is left for a person.
Goal (issue 17): < 10 s for 100,000 × 100,000. Writes bench/results/training.json.
"""

import argparse
import json
import os
import random
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

MORE_MIDDLE = ["Bảo", "Gia", "Khánh", "Kim", "Mạnh", "Phương", "Tuấn", "Xuân", "Diệu", "Hữu", "Công", "Như"]


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def synthetic(members: int, rows: int, seed: int = 17):
    from cyberyouth.training.demo import GIVEN, MIDDLE, SURNAMES
    from cyberyouth.training.models import UnionMember
    from cyberyouth.training.tables import name_key

    rng = random.Random(seed)
    middles = MIDDLE + MORE_MIDDLE
    SURNAMES = SURNAMES + ["Trịnh", "Lý", "Mai", "Tô", "Dương", "Hồ", "Lương", "Tạ"]  # noqa: N806
    register = []
    for i in range(members):
        name = f"{rng.choice(SURNAMES)} {rng.choice(middles)} {rng.choice(middles)} {rng.choice(GIVEN)}"
        register.append(UnionMember(member_code=f"DV{i:07d}", full_name=name, name_key=name_key(name),
                                    birth_date=date(2006, 1, 1) + timedelta(days=rng.randrange(1500)),
                                    admitted_on=date(2025, 3, 26)))
    export, truth = [], []
    for _ in range(rows):
        if rng.random() < 0.03:
            export.append({"code": "", "name": "Người Ngoài Danh Sách", "birth_date": date(2000, 1, 1)})
            truth.append(None)
            continue
        m = register[rng.randrange(members)]
        if rng.random() < 0.6:
            export.append({"code": m.member_code, "name": m.full_name, "birth_date": None})
        else:
            name = rng.choice([_strip(m.full_name), m.full_name.upper(), m.full_name.replace(" ", "  "),
                               unicodedata.normalize("NFD", m.full_name)])
            if rng.random() < 0.02:
                name = name[:-1] + ("x" if name[-1] != "x" else "y")
            export.append({"code": "", "name": name, "birth_date": m.birth_date})
        truth.append(m)
    return register, export, truth


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cyberyouth bench training")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    opts = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    import django

    django.setup()
    from cyberyouth.training.services import match_members

    register, export, truth = synthetic(opts.members, opts.rows)
    start = time.perf_counter()
    by_code = {m.member_code: m for m in register}
    baseline_hits = sum(1 for r in export if r["code"] in by_code)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    matched = match_members(export, register)
    elapsed = time.perf_counter() - start

    methods = {"code": 0, "name_birth": 0, "": 0}
    wrong = 0
    for (member, method), expected in zip(matched, truth, strict=True):
        methods[method] += 1
        if member is not None and member is not expected:
            wrong += 1
    findable = sum(1 for t in truth if t is not None)
    result = {
        "members": opts.members, "rows": opts.rows, "seconds": round(elapsed, 3),
        "baseline_code_lookup_seconds": round(baseline, 3), "ratio_to_baseline": round(elapsed / max(baseline, 1e-9), 1),
        "matched_by_code": methods["code"], "matched_by_name_and_birth_date": methods["name_birth"],
        "left_for_a_person": methods[""], "wrong_matches": wrong, "baseline_code_hits": baseline_hits,
        "match_rate_of_findable": round((methods["code"] + methods["name_birth"]) / max(findable, 1), 4),
        "goal_seconds": 10, "goal_met": elapsed < 10,
    }
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "training.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if opts.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"matching {opts.rows:,} rows against {opts.members:,} members: {elapsed:.2f} s "
              f"(code lookup alone {baseline:.3f} s; ×{result['ratio_to_baseline']}) — goal < 10 s: "
              f"{'met' if result['goal_met'] else 'NOT met'}")
        print(f"  by code {methods['code']:,}, by name + birth date {methods['name_birth']:,}, "
              f"left for a person {methods['']:,}, wrong {wrong}; "
              f"match rate of rows whose person is in the register {result['match_rate_of_findable']:.1%}")
    return 0 if result["goal_met"] and wrong == 0 else 1
