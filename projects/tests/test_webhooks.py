"""The projects' webhook event (projects/webhooks.py): output.added, once per output, signed."""

import json

import pytest
from standardwebhooks import Webhook

from network.models import Delivery
from network.tests.factories import InstitutionFactory
from network.webhooks.services import subscription_create
from projects import services
from projects.models import Output
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_adding_an_output_emits_output_added_once(webhook_receiver, django_capture_on_commit_callbacks):
    subscription = subscription_create(
        by=None, name="CRIS", url=webhook_receiver.url, events=["output.added"], contact_email="cris@x.se",
        institution=InstitutionFactory(),
    )  # fmt: skip
    project = ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        output = services.output_create(
            project=project, by=None, type=Output.Type.ARTICLE, title="Samverkan", year=2026
        )
        services.output_update(output=output, by=None, title="Samverkan i praktiken")  # a change is no new output
    [call] = webhook_receiver.calls
    payload = Webhook(subscription.secret).verify(call.body, call.headers)
    assert payload["type"] == "output.added"
    assert payload["data"]["output"]["id"] == output.pk and payload["data"]["output"]["title"] == "Samverkan"
    assert payload["data"]["project"]["id"] == project.pk
    assert json.loads(call.body)["timestamp"].endswith("+00:00")
    assert Delivery.objects.get(webhook=subscription).status == "sent"
