"""The batch import's Celery task: a job id in, the service runs it (registered by projects.apps).
A message redelivered after a worker died reruns the job from its first waiting item."""

from celery import shared_task


@shared_task(name="projects.import_job_run", ignore_result=True)
def import_job_run_task(*, job_id: int) -> None:
    from .services import import_job_run  # the service module imports this one (to queue the task)

    import_job_run(job_id=job_id)
