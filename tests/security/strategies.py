"""Hostile input for forms and POST views: long strings, unicode, control characters, NUL bytes,
wrong types, lists where one value is expected, and (by leaving keys out) missing fields.

Every strategy draws only what a browser can send: hostile, but never a value the request itself
could not carry (a file name without a base name, for instance), so a run fails only on a bug.
"""

import os

from hypothesis import strategies as st

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
]
WRONG_TYPES = [
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "-inf",
    "2026-13-45",
    "2026-02-30T25:61",
    "31/12/2026",
    "true",
    "null",
    "[]",
    "{}",
    "on",
    "approve",
    "../../etc/passwd",
    "%00",
    "\x00",
    "a\x00b",
    "\r\n",
    "\u202e\u200b\ufeff",
    "Ω≈ç√∫˜µ≤≥÷ 👩‍🔬 ﷽",
]
LONG = ["A" * 5_000, "ä" * 1_000, "x" * 30_000]

text = st.one_of(
    st.text(max_size=40),  # any unicode (no surrogates: a browser cannot send them)
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),  # control characters, NUL included
    st.sampled_from(XSS + WRONG_TYPES + LONG),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)
value = st.one_of(st.none(), text, st.lists(text, min_size=2, max_size=3))  # None: the field is missing


def post_data(field_names) -> st.SearchStrategy[dict]:
    """A POST body for the given field names: each present or missing, plus a stray extra key."""
    names = sorted(set(field_names))
    return st.fixed_dictionaries(dict.fromkeys(names, value), optional={"unexpected_extra": text}).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )


def _as_file_name(name: str) -> str:
    """A name a browser can send: its base name is neither empty, "." nor ".." (Django's upload
    handler refuses those before any form sees them). Appending one letter keeps the hostile part."""
    return name if os.path.basename(name) not in ("", ".", "..") else name + "x"


FILE_NAME_SAMPLES = ["x.pdf", "a.exe.pdf", "../../x.txt", 'q".docx', "x" * 300, ".pdf", "noextension"]
file_names = st.one_of(text, st.sampled_from(FILE_NAME_SAMPLES)).map(_as_file_name)
"""Upload file names: any unicode, control characters, traversal, doubled and missing extensions."""
