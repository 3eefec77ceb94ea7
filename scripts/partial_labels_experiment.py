"""Why a moderator's confirmation trains the category model as a *partial* row.

A decision names one category (the queue's top one); a threat to a classmate confirmed as
"violence" is harassment too. This simulates the learning loop on the project's own set: half of
the train lines with two or more categories are taken out of the set and given back the way
`monitoring export-decisions --scheme category` gives a confirmation — one category, the one of
the highest queue tier — and the model is trained four ways, then measured on dev (untouched):

  without  the lines left out
  partial  one category each, partial (the other categories not judged): what ships
  naive    one category each, taken as complete (the others as negatives)
  full     every category each (what a moderator could not say in one decision)

Run (≈ 4 × 40 s): SECRET_KEY=x .venv/bin/python scripts/partial_labels_experiment.py ../shared/data
"""

import os
import sys

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import csv  # noqa: E402
import hashlib  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# the queue's tiers (monitoring.triage.DEFAULT_CATEGORIES): a moderator confirms the top one
TIER = ("self_harm", "sexual", "violence", "harassment", "personal_data", "scam", "drugs", "gambling")


def main(data_dir: str) -> None:
    from cyberyouth.safety import dataset, train_categories as tc

    originals = [ex for ex in dataset.split("train") if ex.variant == "original"]
    moved = {ex.group for ex in originals if len(ex.labels) >= 2
             and hashlib.blake2b(ex.group.encode(), digest_size=8).digest()[0] % 2 == 0}
    kept = [ex for ex in dataset.split("train") if ex.group not in moved]
    lines = [ex for ex in originals if ex.group in moved]
    print(f"{len(lines)} of {sum(len(ex.labels) >= 2 for ex in originals)} multi-category train lines moved")
    full_split = dataset.split
    dataset.split = lambda part: kept if part == "train" else full_split(part)  # type: ignore[assignment]
    ordinary = [f"{data_dir}/vihsd/train.csv", f"{data_dir}/uit-vsfc/train.csv", f"{data_dir}/victsd/train.csv"]
    tmp = Path(tempfile.mkdtemp())
    variants = {
        "without": None,
        "partial": [(ex.text, next(c for c in TIER if c in ex.labels), "1") for ex in lines],
        "naive": [(ex.text, next(c for c in TIER if c in ex.labels), "0") for ex in lines],
        "full": [(ex.text, ",".join(sorted(ex.labels)), "0") for ex in lines],
    }
    print("variant  " + "  ".join(f"{c[:10]:>17}" for c in ("harassment", "sexual", "violence", "self_harm"))
          + "  macro-F1  harmless")
    for name, rows in variants.items():
        extra = []
        if rows is not None:
            path = tmp / f"{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(("text", "labels", "partial"))
                w.writerows(rows)
            extra = [str(path)]
        meta = tc._train_categories(tmp / name, tc.CategoryConfig(ordinary=tuple(ordinary)), extra, lambda *_: None)
        m = meta["dev_metrics"]
        cells = [f"{m['per_category'][c]['recall']:.3f}/{m['per_category'][c]['fpr']:.3f};"
                 f"{m['per_category'][c]['recall_at_fpr_05']:.3f}" for c in ("harassment", "sexual", "violence", "self_harm")]
        print(f"{name:8s} " + "  ".join(cells) + f"  {m['macro_f1']:.4f}    {m['harmless_flagged']:.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
