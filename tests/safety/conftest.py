"""Safety tests never need Django or a database."""

import os
from pathlib import Path

import pytest


def shared_data_dir() -> Path:
    env = os.environ.get("CYBERYOUTH_DATA_DIR")
    if env:
        return Path(env)
    return (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def vihsd_dir() -> Path:
    d = shared_data_dir() / "vihsd"
    if not (d / "dev.csv").is_file():
        pytest.skip("ViHSD not present (set CYBERYOUTH_DATA_DIR)")
    return d
