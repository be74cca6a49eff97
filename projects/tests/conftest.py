import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
