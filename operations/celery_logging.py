"""Celery: every log line inside a task names the task and its id, and a failure is one structured line.

The worker keeps Django's LOGGING (``CELERY_WORKER_HIJACK_ROOT_LOGGER = False``), so these are JSON in production.
Celery itself logs a failed task once (logger ``celery.app.trace``, with the traceback); the request-context filter
(operations/logs.py) adds ``event: task_failed``, the task, its id and its retry count to that line. A task's
arguments never reach the log.
"""

from celery.signals import task_postrun, task_prerun

from operations.logs import CONTEXT, LogContext


@task_prerun.connect(weak=False)
def _enter_task(sender=None, task_id=None, **kwargs):
    request = getattr(sender, "request", None)
    CONTEXT.set(
        LogContext(task=getattr(sender, "name", ""), task_id=task_id or "", retries=getattr(request, "retries", None))
    )


@task_postrun.connect(weak=False)
def _leave_task(**kwargs):
    CONTEXT.set(None)
