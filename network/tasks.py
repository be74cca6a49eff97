"""Thin Celery tasks for the network app: ids in, call a service (network/outbox/worker.py, whose send
tasks, beside the hand-off that queues them, are registered by this import)."""

from celery import shared_task

from network.outbox import health as outbox_health
from network.outbox import worker as reminders
from network.outbox.worker import delivery_send_batch_task, delivery_send_task  # noqa: F401 - registered here


@shared_task(name="network.reminders_sweep", ignore_result=True)
def reminders_sweep_task(*, only: list[str] | None = None) -> int:
    """Beat's entry point: record what is due and hand it to the broker (see kloss_site/celery.py)."""
    return reminders.reminders_sweep(only=only).queued


@shared_task(name="network.outbox_check", ignore_result=True)
def outbox_check_task() -> int:
    """Beat's entry point: tell the secretariat once when mail has been failing (network/outbox/health.py)."""
    return len(outbox_health.outbox_check())


@shared_task(name="network.federation_refresh", ignore_result=True)
def federation_refresh_task() -> bool:
    """The federation's metadata, fetched and verified; providers updated (network/federation/metadata.py)."""
    from network.federation.metadata import federation_refresh  # the same code as `manage.py federation_refresh`

    return federation_refresh().ok
