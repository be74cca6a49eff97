"""Uploaded files are served as attachments, with nosniff, under a sanitised file name."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from meetings.tests.factories import MeetingDocumentFactory
from network.filenames import safe_download_name
from projects.tests.factories import OutputFactory

NASTY = [
    '../../etc/pass"wd\r\nSet-Cookie: x=1.txt',
    "..\\..\\windows\\system32\\evil.txt",
    "a\x00b\x1b[31m\u202egnp.txt",
    "'; alert(1); \".txt",
    "",
    "/",
]


@pytest.mark.parametrize("name", NASTY)
def test_safe_download_name_has_no_path_control_or_quote(name):
    safe = safe_download_name(name)
    assert safe and "/" not in safe and "\\" not in safe and '"' not in safe and "'" not in safe
    assert all(ord(c) >= 32 and c not in "\u202e\x7f" for c in safe)
    assert not safe.startswith(".")


def _check_download(response, *, forbidden_in_name=("/", "\\", "\r", "\n", "\x00")):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    name_part = disposition.split("filename", 1)[1]
    assert not any(bad in name_part for bad in forbidden_in_name)
    return disposition


@pytest.mark.parametrize("name", NASTY[:4])
def test_meeting_document_download_is_a_sanitised_attachment(member_client, name):
    document = MeetingDocumentFactory(original_name=name.replace("\x00", ""))  # PostgreSQL stores no NUL
    response = member_client.get(reverse("meetings:document_download", args=[document.pk]))
    disposition = _check_download(response)
    assert '\\"' not in disposition  # no quote to escape: it was removed
    assert b"".join(response.streaming_content) == b"Dagordning\n"


def test_meeting_document_keeps_a_readable_name(member_client):
    document = MeetingDocumentFactory(original_name="Protokoll hösten 2026.pdf")
    response = member_client.get(reverse("meetings:document_download", args=[document.pk]))
    assert "Protokoll%20h%C3%B6sten%202026.pdf" in _check_download(response)


def test_output_file_download_is_a_sanitised_attachment(member_client):
    output = OutputFactory()
    output.file.save('res"ult\r\n.pdf', ContentFile(b"%PDF-1.4\n"))
    response = member_client.get(reverse("projects:output_file", args=[output.pk]))
    _check_download(response)
    assert response["Content-Type"] == "application/octet-stream"
