"""The yearly report's one Celery task (registered by projects/apps.py): an id in, the service called."""

from celery import shared_task

from .services import yearly_report_build


@shared_task(name="projects.yearly_report_build", ignore_result=True)
def yearly_report_build_task(*, report_id: int) -> None:
    """Build the queued report (services.yearly_report_build); quiet when it is gone or already built."""
    yearly_report_build(report_id=report_id)
