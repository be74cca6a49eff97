import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages asserted in tests are the English source strings (the site's default is Swedish)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
