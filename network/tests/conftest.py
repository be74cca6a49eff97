import pytest


@pytest.fixture(autouse=True)
def _fast_hasher_and_clean_cache(settings):
    """Fast password hashing for factories (200-member pages) and no rate-limit state between tests."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()
