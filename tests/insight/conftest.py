"""Insight tests never need Django or a database."""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def vsfc_dir() -> Path:
    from cyberyouth.insight.cli import default_data_dir

    d = default_data_dir()
    if not (d / "dev.csv").is_file():
        pytest.skip("UIT-VSFC not present (set CYBERYOUTH_DATA_DIR)")
    return d
