"""`cyberyouth bench budget [--units N]` — reading a province's budget workbook: N units × 7 task
groups × 8 amounts (default 2,000 units: 14,000 rows, 112,000 amounts), written as Vietnamese
write them ("1.250.000", "1 250 000", "1,250,000", "1.250.000 đ", numbers).

Times, in memory (no database), streaming the sheet through `uploads.bounded_rows` and reading
every amount with `lib.money.parse_vnd` — the work of `budget.xlsx.upload` before it saves.
Baseline in the same run: streaming the same sheet and calling `int()` on the digits alone (the
least any reader must do). Writes bench/results/budget.json.
"""

import argparse
import io
import json
import os
import random
import time
from pathlib import Path


def workbook(units: int, seed: int = 4) -> tuple[bytes, int]:
    from openpyxl import Workbook

    from cyberyouth.budget.xlsx import CODES, GUIDE, SHEET
    from cyberyouth.lib.money import format_vnd

    rng = random.Random(seed)
    wb = Workbook()
    wb.active.title = GUIDE
    wb.active["B2"] = 2025
    ws = wb.create_sheet(SHEET)
    ws.append(CODES)
    ws.append(CODES)
    total = 0
    styles = [lambda n: format_vnd(n), lambda n: format_vnd(n).replace(".", " "), lambda n: format_vnd(n).replace(".", ","),
              lambda n: format_vnd(n) + " đ", lambda n: n, lambda n: None]
    for u in range(units):
        for g in range(1, 8):
            row = [f"truong-{u:05d}", f"Trường số {u}", g]
            for _ in range(8):
                amount = rng.randrange(0, 50_000) * 1000
                value = rng.choice(styles)(amount)
                total += amount if value is not None else 0
                row.append(value)
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), total


def _read(data: bytes, parse) -> tuple[int, int]:
    from cyberyouth.budget.xlsx import SHEET
    from cyberyouth.uploads import CellBudget, bounded_rows, open_workbook

    wb = open_workbook(data)
    total = cells = 0
    for r, values in bounded_rows(wb[SHEET], max_rows=20_000, max_cols=11, budget=CellBudget()):
        if r < 3:
            continue
        for v in values[3:]:
            n = parse(v)
            if n:
                total += n
            cells += 1
    wb.close()
    return total, cells


def _digits(value) -> int | None:
    if value is None or value == "":
        return None
    return int("".join(ch for ch in str(value) if ch.isdigit()) or 0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cyberyouth bench budget")
    parser.add_argument("--units", type=int, default=2_000)
    parser.add_argument("--json", action="store_true")
    opts = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
    import django

    django.setup()
    from cyberyouth.lib.money import parse_vnd

    data, expected = workbook(opts.units)
    start = time.perf_counter()
    base_total, _ = _read(data, _digits)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    total, cells = _read(data, parse_vnd)
    elapsed = time.perf_counter() - start
    result = {"units": opts.units, "rows": opts.units * 7, "amounts": cells, "file_bytes": len(data),
              "seconds": round(elapsed, 3), "baseline_int_of_digits_seconds": round(baseline, 3),
              "ratio_to_baseline": round(elapsed / max(baseline, 1e-9), 2),
              "amounts_per_second": round(cells / max(elapsed, 1e-9)), "sum_correct": total == expected == base_total}
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "budget.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if opts.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"reading {cells:,} amounts of {opts.units:,} units ({len(data) / 1048576:.1f} MB): {elapsed:.2f} s "
              f"(digits alone {baseline:.2f} s; ×{result['ratio_to_baseline']}); sum correct: {result['sum_correct']}")
    return 0 if result["sum_correct"] else 1
