"""What an uploaded file really is: decided by its bytes, not its name. One sniffer for every app
(meetings' documents, projects' outputs); each app decides which types it accepts and says so in its
own words.

Office files are zips: a zip is an OOXML document only when it holds `[Content_Types].xml` and the
part folder of its kind (`word/`, `xl/`, `ppt/`), an OpenDocument only when its `mimetype` entry names
its kind. Any other zip renamed `.docx` is refused.
"""

import zipfile
from pathlib import PurePath

OOXML = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
MAGIC = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}
ZIP = b"PK\x03\x04"
KNOWN_EXTENSIONS = [".pdf", *OOXML, *ODF, ".png", ".jpg", ".jpeg", ".txt"]


def file_extension(name: str | None) -> str:
    """The extension, lower case, with its dot (".pdf"); "" when there is none."""
    return PurePath(name or "").suffix.lower()


def _zip_members(upload) -> list[str] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
            return [*names, f"mimetype:{mimetype}"]
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    finally:
        upload.seek(0)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the 2048th byte is still text.
        return error.start >= len(head) - 4
    return True


def sniff_content_type(upload) -> str | None:
    """The content type `upload`'s bytes prove for the extension of its name, or None when they do not
    (an `.exe` renamed `.pdf`, a plain zip renamed `.docx`) or the extension is none we know.
    Reads the first 2 KB (and a zip's directory); leaves the file at its start."""
    ext = file_extension(upload.name)
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if ext in MAGIC:
        magic, content_type = MAGIC[ext]
        return content_type if head.startswith(magic) else None
    if ext in OOXML and head.startswith(ZIP):
        names = _zip_members(upload) or []
        folder, content_type = OOXML[ext]
        if "[Content_Types].xml" in names and any(n.startswith(folder) for n in names):
            return content_type
        return None
    if ext in ODF and head.startswith(ZIP):
        return ODF[ext] if f"mimetype:{ODF[ext]}" in (_zip_members(upload) or []) else None
    if ext == ".txt" and _is_text(head):
        return "text/plain"
    return None
