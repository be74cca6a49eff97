import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from projects.validators import isbn_is_valid, normalise_doi, validate_doi, validate_isbn, validate_upload
from tests.support.files import docx_bytes, odt_bytes, zip_bytes


@pytest.mark.parametrize(
    "doi", ["10.1234/abc-123", "10.1000/182", "https://doi.org/10.1038/nphys1170", "doi:10.5555/x"]
)
def test_doi_valid_passes(doi):
    validate_doi(doi)


@pytest.mark.parametrize("doi", ["10.12/abc", "11.1234/abc", "10.1234", "10.1234/", "doi 10.1234/a b", "nonsense"])
def test_doi_invalid_raises(doi):
    with pytest.raises(ValidationError, match="DOI"):
        validate_doi(doi)


def test_doi_normalise_strips_resolver():
    assert normalise_doi(" https://doi.org/10.1038/nphys1170 ") == "10.1038/nphys1170"


@pytest.mark.parametrize(
    "isbn", ["978-0-306-40615-7", "9780306406157", "0-306-40615-2", "0306406152", "0-8044-2957-X", "080442957x"]
)
def test_isbn_valid_check_digit_passes(isbn):
    assert isbn_is_valid(isbn)
    validate_isbn(isbn)


@pytest.mark.parametrize("isbn", ["978-0-306-40615-8", "0306406153", "12345", "978917331000X", "abcdefghij"])
def test_isbn_wrong_check_digit_raises(isbn):
    with pytest.raises(ValidationError, match="ISBN"):
        validate_isbn(isbn)


def _isbn13(body: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(min_value=1, max_value=9))
def test_isbn13_any_single_digit_error_is_caught(body, delta):
    isbn = _isbn13(body)
    assert isbn_is_valid(isbn)
    wrong = isbn[:-1] + str((int(isbn[-1]) + delta) % 10)
    assert not isbn_is_valid(wrong)


def test_upload_pdf_with_pdf_bytes_passes():
    validate_upload(SimpleUploadedFile("r.pdf", b"%PDF-1.4 hello"))


def test_upload_pdf_extension_with_html_content_refused():
    with translation.override("en"), pytest.raises(ValidationError, match="content"):
        validate_upload(SimpleUploadedFile("r.pdf", b"<html><script>alert(1)</script>"))


def test_upload_unknown_extension_refused():
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("r.exe", b"MZ\x90\x00"))


def test_upload_oversized_refused(settings):
    settings.MAX_UPLOAD_SIZE = 10
    with translation.override("en"), pytest.raises(ValidationError, match="too large"):
        validate_upload(SimpleUploadedFile("r.pdf", b"%PDF-1.4 more than ten bytes"))


def test_upload_zip_renamed_docx_refused():
    """Any zip used to pass as .docx; now the network's sniffer looks inside (network/uploads.py)."""
    with translation.override("en"), pytest.raises(ValidationError, match="content"):
        validate_upload(SimpleUploadedFile("r.docx", zip_bytes({"payload.bin": "not a document"})))


def test_upload_real_docx_and_odt_pass():
    validate_upload(SimpleUploadedFile("r.docx", docx_bytes()))
    validate_upload(SimpleUploadedFile("r.odt", odt_bytes()))


def test_upload_text_file_refused_for_outputs():
    """Meetings take .txt documents; an output's file may not be one."""
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("r.txt", b"plain text"))
