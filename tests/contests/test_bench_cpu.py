"""The contests bench's CPU ledger: where the two cores went during the load.

The ceiling argument in docs/contests.md rests on these figures, so the accounting itself is
tested: a process that has exited still counts (PostgreSQL's backends come and go), and the
per-student split adds up."""

import os
import subprocess
import sys

from cyberyouth.contests.bench import _cpu_snapshot, _cpu_spent


def test_a_reaped_child_still_counts_for_its_parent():
    before = _cpu_snapshot(os.getpid())
    # A child that burns CPU and exits: its time reaches us only through the reaping.
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(4_000_000))"], check=True)
    after = _cpu_snapshot(os.getpid())
    assert after["web"] - before["web"] >= 0.1  # the "web" tree here is this process and its children
    assert after["machine_all"] > before["machine_all"]


def test_the_split_is_per_student_and_the_rest_is_other():
    before = {"web": 10.0, "postgresql": 5.0, "load_generator": 1.0, "machine_busy": 100.0, "machine_all": 400.0}
    after = {"web": 40.0, "postgresql": 17.0, "load_generator": 10.0, "machine_busy": 160.0, "machine_all": 600.0}
    spent = _cpu_spent(before, after, students=1000)
    assert spent["seconds"] == {"web": 30.0, "postgresql": 12.0, "load_generator": 9.0, "other": 9.0}
    assert spent["per_student_ms"] == {"web": 30.0, "postgresql": 12.0, "load_generator": 9.0, "other": 9.0}
    assert spent["machine_busy_share"] == 0.3
    assert _cpu_spent(before, after, students=0)["per_student_ms"] == {}
