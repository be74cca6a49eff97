"""What a document upload really is: decided by its first bytes (magic numbers), not its name."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
ALLOWED_EXTENSIONS = [".pdf", *OOXML, *ODF, ".png", ".jpg", ".jpeg", ".txt"]


def _refuse():
    return ValidationError(
        _("This file type is not allowed (or the file is not what its name says). Allowed: %(types)s.")
        % {"types": ", ".join(ALLOWED_EXTENSIONS)},
        code="file_type",
    )


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


def sniff_upload(upload) -> str:
    """Return the content type of an allowed document, or raise ValidationError.

    The extension must agree with the content: an `.exe` renamed `.pdf` is refused.
    """
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
            code="file_size",
        )
    ext = PurePath(upload.name or "").suffix.lower()
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if ext == ".pdf" and head.startswith(b"%PDF-"):
        return "application/pdf"
    if ext == ".png" and head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if ext in (".jpg", ".jpeg") and head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if ext in OOXML and head.startswith(b"PK\x03\x04"):
        names = _zip_members(upload) or []
        folder, content_type = OOXML[ext]
        if "[Content_Types].xml" in names and any(n.startswith(folder) for n in names):
            return content_type
    if ext in ODF and head.startswith(b"PK\x03\x04"):
        names = _zip_members(upload) or []
        if f"mimetype:{ODF[ext]}" in names:
            return ODF[ext]
    if ext == ".txt" and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the 2048th byte is still text.
            if error.start < len(head) - 4:
                raise _refuse() from error
        return "text/plain"
    raise _refuse()


def validate_document(upload) -> None:
    sniff_upload(upload)
