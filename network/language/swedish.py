"""Swedish alphabetical order and accent-free matching, in plain Python (no Django: the rotation
planner, a pure module, uses it too).

Swedish order is A–Z, then Å, Ä, Ö (Svenska Akademiens ordlista): "Örebro" after "Växjö", "Åbo"
before "Ängelholm". Letters with other accents sort with their base letter (é as e, ü as y, æ as ä,
ø as ö), and case only breaks ties. PostgreSQL gets the same order from an ICU collation (migration
network/0008); SQLite from `compare` registered as the collation `swedish` (network/apps.py).
"""

import unicodedata

# Letters that are letters of their own in Swedish (after z), or sort as one of them.
_AFTER_Z = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"}
_AS = {"ü": "y"}


def _fold(text: str) -> str:
    out = []
    for char in text.casefold():
        if char in _AFTER_Z:
            out.append(_AFTER_Z[char])
        elif char in _AS:
            out.append(_AS[char])
        else:
            decomposed = unicodedata.normalize("NFD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def sort_key(text: str) -> tuple[str, str]:
    """A key that sorts strings in Swedish order (then by the exact text, so the order is total)."""
    text = text or ""
    return (_fold(text), text)


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 in Swedish order: the SQLite collation function."""
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


def unaccent(text: str | None) -> str | None:
    """ "Örebro" -> "Orebro", "Linné" -> "Linne": what a search matches on (PostgreSQL's unaccent())."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
