"""Old and new safety engine in one process, alternated, CPU time (paired speed comparison).

    git -C <repo> archive <old-commit> src/cyberyouth/safety | tar -x -C /tmp/old
    taskset -c 1 python scripts/safety_speed_ab.py /tmp/old/src/cyberyouth/safety [rounds] [comments]

The old package is imported as `safety_old` (its data files are read from the installed
`cyberyouth.safety`: same model and lexicons). Both engines analyse the same first
`comments` ViHSD dev comments (repeated when needed) in batches of 1,000, as `cyberyouth bench
safety` does, in alternating order; each round prints comments per CPU-second of each.
"""

from __future__ import annotations

import importlib
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    old_dir = Path(sys.argv[1]).resolve()
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
    sys.path.insert(0, str(old_dir.parent))
    if old_dir.name != "safety_old":
        link = Path(os.environ.get("TMPDIR", "/tmp")) / "safety_ab" / "safety_old"
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink():
            link.unlink()
        link.symlink_to(old_dir)
        sys.path.insert(0, str(link.parent))
    old = importlib.import_module("safety_old.engine")
    from threadpoolctl import threadpool_limits

    from cyberyouth.safety import engine as new
    from cyberyouth.safety.bench import data_dir
    from cyberyouth.safety.train import load_labelled_csv

    dev, _ = load_labelled_csv(data_dir() / "vihsd" / "dev.csv")
    stream = (dev * (n // len(dev) + 1))[:n]
    engines = {"old": old.Engine(), "new": new.Engine()}
    res: dict[str, list[float]] = {"old": [], "new": []}
    with threadpool_limits(1):
        for e in engines.values():
            e.analyze_many(dev)  # warm: lazy tables, token caches
        for r in range(rounds):
            for name in (("old", "new") if r % 2 == 0 else ("new", "old")):
                e = engines[name]
                c = time.process_time()
                for i in range(0, len(stream), 1000):
                    e.analyze_many(stream[i : i + 1000])
                res[name].append(len(stream) / (time.process_time() - c))
            print(f"round {r + 1}: old {res['old'][-1]:,.0f}  new {res['new'][-1]:,.0f} comments/CPU-s", flush=True)
    faster = sum(b > a for a, b in zip(res["old"], res["new"]))
    mo, mn = statistics.median(res["old"]), statistics.median(res["new"])
    print(f"new faster in {faster} of {rounds}; medians old {mo:,.0f}, new {mn:,.0f} ({mn / mo - 1:+.1%}); "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
