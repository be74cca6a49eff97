"""Thin Celery tasks for the network app: ids in, call a service (network/reminders.py)."""

from celery import shared_task

from . import reminders


@shared_task(name="network.reminders_sweep", ignore_result=True)
def reminders_sweep_task(*, only: list[str] | None = None) -> int:
    """Beat's entry point: record what is due and hand it to the broker (see kloss_site/celery.py)."""
    return reminders.reminders_sweep(only=only).queued


@shared_task(name="network.delivery_send", bind=True, max_retries=None, ignore_result=True)
def delivery_send_task(self, *, delivery_id: int) -> str:
    """Send one delivery. The row counts attempts and decides when to give up, not Celery."""
    try:
        return reminders.delivery_send(delivery_id=delivery_id)
    except reminders.RetryLater as exc:
        if self.request.is_eager:
            return "retry"  # in-process (tests, "send now"): the sweep hands it on again later
        raise self.retry(countdown=exc.countdown) from None
