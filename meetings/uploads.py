"""Which documents a meeting accepts: every type the network's sniffer knows (network/uploads.py),
decided by the file's bytes, not its name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from network.uploads import KNOWN_EXTENSIONS, file_extension, sniff_content_type

ALLOWED_EXTENSIONS = KNOWN_EXTENSIONS


def _refuse():
    return ValidationError(
        _("This file type is not allowed (or the file is not what its name says). Allowed: %(types)s.")
        % {"types": ", ".join(ALLOWED_EXTENSIONS)},
        code="file_type",
    )


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
    content_type = sniff_content_type(upload)
    if content_type is None or file_extension(upload.name) not in ALLOWED_EXTENSIONS:
        raise _refuse()
    return content_type


def validate_document(upload) -> None:
    sniff_upload(upload)
