"""The one upload sniffer (network/uploads.py): a file is what its bytes say, not its name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from network.uploads import sniff_content_type
from tests.support.files import EXE, PDF, docx_bytes, odt_bytes, zip_bytes


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("rapport.pdf", PDF, "application/pdf"),
        ("RAPPORT.PDF", PDF, "application/pdf"),
        ("bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        ("foto.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("protokoll.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("protokoll.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("anteckning.txt", "Hej, Göteborg!".encode(), "text/plain"),
    ],
)
def test_sniffer_names_what_the_bytes_prove(name, data, expected):
    upload = SimpleUploadedFile(name, data)
    assert sniff_content_type(upload) == expected
    assert upload.tell() == 0  # the file is left at its start for whoever saves it


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("program.pdf", EXE),  # an executable renamed
        ("virus.exe", EXE),  # a type nobody accepts
        ("any.docx", zip_bytes({"payload.bin": "x"})),  # a zip is not a Word document
        ("sheet.xlsx", docx_bytes()),  # a Word document is not a spreadsheet
        ("text.odt", zip_bytes({"mimetype": "application/zip"})),  # the wrong OpenDocument kind
        ("fake.docx", b"PK\x03\x04garbage"),  # not even a zip
        ("x.txt", b"\x00\x01binary"),
        ("noextension", PDF),
    ],
)
def test_sniffer_refuses_what_is_not_what_its_name_says(name, data):
    assert sniff_content_type(SimpleUploadedFile(name, data)) is None
