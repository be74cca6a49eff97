"""An oversized request body is refused from its Content-Length, before anything reads it
(network.middleware.RequestSizeLimitMiddleware; through gunicorn: kloss_site/tests/test_gunicorn.py)."""

import io

import pytest
from django.urls import reverse

from meetings.tests.factories import ScheduledMeetingFactory
from network.tests.factories import login

pytestmark = pytest.mark.django_db


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the oversized body was read")


def test_oversized_upload_is_refused_unread_with_a_translated_page(client, staff_user, settings):
    meeting = ScheduledMeetingFactory()
    login(client, staff_user)
    url = reverse("meetings:document_upload", args=[meeting.pk])
    response = client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_SIZE + 1),
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_REFERER="http://testserver" + url,
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too large: at most 20 MB can be uploaded at a time." in page
    assert f'href="http://testserver{url}"' in page  # back to the form
    assert '<html lang="en">' in page


def test_request_size_limit_leaves_room_for_a_file_of_the_largest_allowed_size(settings):
    assert settings.MAX_REQUEST_SIZE > settings.MAX_UPLOAD_SIZE
    assert settings.MAX_REQUEST_SIZE < 25 * 1024 * 1024


def test_a_request_under_the_limit_reaches_the_view(client, staff_user):
    meeting = ScheduledMeetingFactory()
    login(client, staff_user)
    response = client.post(reverse("meetings:document_upload", args=[meeting.pk]), {"title": ""})
    assert response.status_code == 200  # the form again, with its errors
