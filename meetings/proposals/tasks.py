"""The periodic task that closes proposals at their deadline (beat: kloss_site/celery.py)."""

from celery import shared_task

from .services import proposals_close_due


@shared_task(name="meetings.proposals_close_due", ignore_result=True)
def proposals_close_due_task() -> int:
    """Close every proposal whose deadline has passed; rerunning it is a no-op."""
    return proposals_close_due()
