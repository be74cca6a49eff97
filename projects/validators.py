"""Validation of DOIs, ISBNs and uploaded files: pure functions, no database."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from network.uploads import file_extension, sniff_content_type

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: str) -> str:
    """Accept a DOI as pasted from a browser (https://doi.org/10...) or with a doi: prefix."""
    value = (value or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            return value[len(prefix) :]
    return value


def validate_doi(value: str) -> None:
    if value and not DOI_RE.match(normalise_doi(value)):
        raise ValidationError(
            _("“%(value)s” is not a DOI. A DOI looks like 10.1234/abc-123."),
            code="invalid_doi",
            params={"value": value},
        )


def normalise_isbn(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def isbn_is_valid(value: str) -> bool:
    digits = normalise_isbn(value)
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
        total += 10 if digits[9] == "X" else int(digits[9])
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return total % 10 == 0
    return False


def validate_isbn(value: str) -> None:
    if value and not isbn_is_valid(value):
        raise ValidationError(
            _("“%(value)s” is not a valid ISBN: an ISBN has 10 or 13 digits and a correct check digit."),
            code="invalid_isbn",
            params={"value": value},
        )


# What an output's file may be; the network's sniffer (network/uploads.py) decides from its bytes
# whether it is what its name says (a zip renamed .docx is not a Word document).
ALLOWED_EXTENSIONS = [".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"]


def validate_upload(file) -> None:
    """Size from settings.MAX_UPLOAD_SIZE; type from the extension AND the file's first bytes."""
    if file.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest file we accept is %(max)s."),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "max": filesizeformat(settings.MAX_UPLOAD_SIZE)},
        )
    extension = file_extension(file.name)
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("We accept PDF, Office/OpenDocument files and PNG/JPEG images, not “.%(ext)s” files."),
            code="file_type",
            params={"ext": extension.lstrip(".")},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    content_type = sniff_content_type(file)
    file.seek(position)
    if content_type is None:
        raise ValidationError(
            _("The file's content is not a .%(ext)s file. Please upload the document itself."),
            code="file_content",
            params={"ext": extension.lstrip(".")},
        )
