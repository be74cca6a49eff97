"""Thin Celery tasks for the network app: ids in, call a service (network/outbox/worker.py)."""

from celery import shared_task

from network.outbox import health as outbox_health
from network.outbox import worker as reminders
from network.outbox.mail import mail_connection_kept


@shared_task(name="network.reminders_sweep", ignore_result=True)
def reminders_sweep_task(*, only: list[str] | None = None) -> int:
    """Beat's entry point: record what is due and hand it to the broker (see kloss_site/celery.py)."""
    return reminders.reminders_sweep(only=only).queued


@shared_task(name="network.outbox_check", ignore_result=True)
def outbox_check_task() -> int:
    """Beat's entry point: tell the secretariat once when mail has been failing (network/outbox/health.py)."""
    return len(outbox_health.outbox_check())


@shared_task(name="network.delivery_send", bind=True, max_retries=None, ignore_result=True)
def delivery_send_task(self, *, delivery_id: int) -> str:
    """Send one delivery. The row counts attempts and decides when to give up, not Celery."""
    try:
        return reminders.delivery_send(delivery_id=delivery_id)
    except reminders.RetryLater as exc:
        if self.request.is_eager:
            return "retry"  # in-process (tests, "send now"): the sweep hands it on again later
        raise self.retry(countdown=exc.countdown) from None


@shared_task(name="network.delivery_send_batch", bind=True, ignore_result=True)
def delivery_send_batch_task(self, *, delivery_ids: list[int]) -> int:
    """Send a batch of deliveries on this worker's kept SMTP connection; returns how many were sent.

    Rows queued again for a retry go back to the broker with their countdown, one task per countdown;
    rows the batch had no time for go back at once. In-process (tests) the sweep hands them on later.
    """
    if self.request.is_eager:
        return reminders.delivery_send_batch(delivery_ids=delivery_ids).count("sent")
    with mail_connection_kept() as connection:
        result = reminders.delivery_send_batch(
            delivery_ids=delivery_ids, connection=connection, marks_in_background=True
        )
    reminders.delivery_batch_hand_on(result)
    return result.count("sent")


@shared_task(name="network.federation_refresh", ignore_result=True)
def federation_refresh_task() -> bool:
    """The federation's metadata, fetched and verified; providers updated (network/federation/metadata.py)."""
    from network.federation.metadata import federation_refresh  # the same code as `manage.py federation_refresh`

    return federation_refresh().ok
