"""Swedish and English are complete: after `makemessages`, no entry in locale/sv or locale/en is
untranslated or fuzzy, and every translation keeps the placeholders of its original (msgfmt --check).

`makemessages` runs in a temporary copy of the project, so the committed .po files are compared with
the strings the code and templates contain today, without touching the working tree."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.services import require_service

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("sv", "en")
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "var", "test-results", "__pycache__", "*.pyc", "node_modules", "media", "*.sqlite3*"
)


@pytest.fixture(scope="module")
def extracted_catalogues(tmp_path_factory) -> dict[str, Path]:
    """locale/<lang>/LC_MESSAGES/django.po after `makemessages -l sv -l en` in a copy of the project."""
    for tool in ("xgettext", "msgmerge", "msgfmt"):
        if not shutil.which(tool):
            require_service("GNU gettext", f"`{tool}` is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("messages") / "project"
    shutil.copytree(BASE_DIR, copy, ignore=COPY_IGNORE, symlinks=True)
    env = {**os.environ, "DEBUG": "true", "KLOSS_VAR_DIR": str(copy / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return {language: copy / "locale" / language / "LC_MESSAGES" / "django.po" for language in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_complete_after_makemessages(extracted_catalogues, language):
    import polib

    path = extracted_catalogues[language]
    assert path.exists(), f"makemessages wrote no catalogue for {language}"
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries() if not entry.obsolete]
    problems = [f"untranslated: {msgid!r}" for msgid in untranslated] + [f"fuzzy: {msgid!r}" for msgid in fuzzy]
    assert not problems, (
        f"locale/{language}/LC_MESSAGES/django.po is incomplete ({len(untranslated)} untranslated, "
        f"{len(fuzzy)} fuzzy); run `manage.py makemessages -l sv -l en` and translate:\n" + "\n".join(problems[:50])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders(extracted_catalogues, language):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(extracted_catalogues[language])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
