"""Settings for the test suite: the real settings with a key of their own (the real settings
refuse to start without one)."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-key-never-used-in-production-" + "x" * 20)

from .settings import *  # noqa: E402,F403

import tempfile  # noqa: E402

SIGNING_KEY_DIR = tempfile.mkdtemp(prefix="cyberyouth-keys-")
