import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Meeting, MeetingDocument
from meetings.tests.factories import MeetingDocumentFactory, ScheduledMeetingFactory, host_contact_of
from network.tests.factories import MemberFactory
from tests.support.files import EXE, PDF, docx_bytes

pytestmark = pytest.mark.django_db


def upload(client, meeting, name, data, kind="agenda", **extra):
    return client.post(
        reverse("meetings:document_upload", args=[meeting.pk]),
        {"kind": kind, "title": "", "file": SimpleUploadedFile(name, data), **extra},
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.fixture
def meeting_and_host(client):
    meeting = ScheduledMeetingFactory()
    client.force_login(host_contact_of(meeting).user)
    return meeting, client


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("dagordning.pdf", PDF, "application/pdf"),
        ("protokoll.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("noter.txt", "Räksmörgås\n".encode(), "text/plain"),
    ],
)
def test_upload_allowed_types_stored_with_sniffed_type(meeting_and_host, media_root, name, data, content_type):
    meeting, client = meeting_and_host
    response = upload(client, meeting, name, data if data is not None else docx_bytes())
    assert response.status_code == 302
    document = meeting.documents.get()
    assert document.content_type == content_type
    assert document.original_name == name
    assert str(media_root) in document.file.path


@pytest.mark.parametrize(
    ("name", "data"),
    [("program.pdf", EXE), ("virus.exe", EXE), ("fake.docx", b"PK\x03\x04garbage"), ("x.txt", b"\x00\x01binary")],
)
def test_upload_wrong_content_refused(meeting_and_host, name, data):
    meeting, client = meeting_and_host
    response = upload(client, meeting, name, data)
    assert response.status_code == 200
    assert "This file type is not allowed" in response.content.decode()
    assert not MeetingDocument.objects.exists()


def test_upload_too_large_refused(meeting_and_host, settings):
    settings.MAX_UPLOAD_SIZE = 1024  # stands for 200 MB against the real limit: same code path
    meeting, client = meeting_and_host
    response = upload(client, meeting, "stor.pdf", PDF + b"0" * 2048)
    assert "The file is too large" in response.content.decode()
    assert not MeetingDocument.objects.exists()


def test_upload_by_non_host_404(client):
    meeting = ScheduledMeetingFactory()
    client.force_login(MemberFactory().user)
    assert upload(client, meeting, "a.pdf", PDF).status_code == 404
    assert not MeetingDocument.objects.exists()


def test_upload_minutes_with_publish_moves_meeting(meeting_and_host):
    meeting, client = meeting_and_host
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    upload(client, meeting, "protokoll.pdf", PDF, kind="minutes", publish_minutes="on")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_PUBLISHED


def test_download_is_attachment_with_nosniff(member_client):
    document = MeetingDocumentFactory()
    response = member_client.get(document.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"Dagordning\n"


def test_download_requires_login(client):
    document = MeetingDocumentFactory()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))  # sent to log in, not given the file
    assert "attachment" not in response.get("Content-Disposition", "")


def test_publish_minutes_before_meeting_refused_and_no_file_left(meeting_and_host, media_root):
    meeting, client = meeting_and_host  # scheduled a month from now
    response = upload(client, meeting, "protokoll.pdf", PDF, kind="minutes", publish_minutes="on")
    assert "once the meeting has taken place" in response.content.decode()
    assert not MeetingDocument.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*")) if media_root.exists() else True
