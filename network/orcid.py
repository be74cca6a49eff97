"""ORCID iDs: a member's researcher identifier, the first thing an imported author is matched on.

Pure functions, no database. An ORCID iD is 16 characters in four groups (0000-0002-1825-0097), the
last a check character computed with ISO 7064 MOD 11-2 (ORCID's own documentation, "Structure of
the ORCID Identifier"); it is kept in that form, without the https://orcid.org/ prefix."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/", "orcid:")


def normalise_orcid(value: str) -> str:
    """The iD as stored: prefixes (https://orcid.org/, orcid:) dropped, grouped with hyphens, X upper
    case. What is not 16 characters is returned stripped, for the validator to refuse."""
    value = (value or "").strip()
    for prefix in _PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            break
    compact = re.sub(r"[\s-]", "", value).upper()
    if len(compact) != 16:
        return value
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


def orcid_check_character(base_digits: str) -> str:
    """ISO 7064 MOD 11-2 over the first 15 digits."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_is_valid(value: str) -> bool:
    value = normalise_orcid(value)
    if not ORCID_RE.match(value):
        return False
    compact = value.replace("-", "")
    return orcid_check_character(compact[:15]) == compact[15]


def validate_orcid(value: str) -> None:
    if value and not orcid_is_valid(value):
        raise ValidationError(
            _("“%(value)s” is not a valid ORCID iD: 16 characters such as 0000-0002-1825-0097, checksum last."),
            code="invalid_orcid",
            params={"value": value},
        )
