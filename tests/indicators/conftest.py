import pytest


@pytest.fixture(autouse=True)
def _fresh_indicator_cache():
    """Each test's transaction is rolled back; the in-process aggregate cache must not outlive it."""
    from cyberyouth.indicators.selectors import invalidate_cache

    invalidate_cache()
    yield
    invalidate_cache()
