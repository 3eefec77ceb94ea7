"""Background tasks of content monitoring (run by `cyberyouth worker`)."""

from django_tasks import task


@task(queue_name="default")
def run_import(job_id: int) -> dict:
    """Import one big file of hand-collected items; the outcome is written on the job."""
    from .services import import_job_run

    job = import_job_run(job_id=job_id)
    return {"job": job.id, "status": job.status}
