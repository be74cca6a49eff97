"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib: no GNU gettext needed on a fresh machine."""

import sys
from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "locale"
count = 0
for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    count += 1
print(f"compiled {count} translation catalogue(s)", file=sys.stderr)
