"""A file name safe to send in Content-Disposition: no path, no control characters, no quotes."""

import unicodedata
from pathlib import PurePosixPath


def safe_download_name(name: str, *, default: str = "download") -> str:
    """The last path component of `name` without control/format characters, quotes, backslashes or
    semicolons; at most 150 characters (keeping the extension). Never empty, never a dot file."""
    name = (name or "").replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C" and c not in "\"';<>|*?:")
    name = " ".join(name.split()).strip(" .")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 150 - len(ext) - 1] + "." + ext if dot and len(ext) <= 10 else name[:150]
    return name or default
