"""The report's typeface: Bitstream Vera (the ancestor of DejaVu), shipped inside reportlab itself
(reportlab/fonts/, its own licence beside it), embedded in every PDF. It has every letter of
Swedish (å ä ö, é, ü) and the typographic marks the site writes (– … × “ ”), so no system font and no
other package is needed.

A character the font lacks (ŋ, ń, ę: a Sámi or Polish name among the authors) would print as
nothing; `fit` writes it as its base letter instead (ń -> n), the most a reader loses."""

import unicodedata
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD, ITALIC, BOLD_ITALIC = "KlossSans", "KlossSans-Bold", "KlossSans-Italic", "KlossSans-BoldItalic"
FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}


@cache
def register() -> str:
    """Register the family once per process (reportlab finds its own fonts on its search path)."""
    for name, filename in FILES.items():
        pdfmetrics.registerFont(TTFont(name, filename))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(REGULAR, bold, italic, name)
    return REGULAR


@cache
def _covered() -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(REGULAR).face.charToGlyph)


def fit(text: str) -> str:
    """`text` with every character the font lacks written as its base letter (or left out)."""
    covered = _covered()
    if all(ord(c) in covered or c in "\n\t" for c in text):
        return text
    out = []
    for char in text:
        if ord(char) in covered or char in "\n\t":
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) in covered)
        out.append(base)
    return "".join(out)
