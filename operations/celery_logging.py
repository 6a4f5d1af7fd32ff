"""Celery: every log line inside a task names the task, and a failed task logs one structured line.

The worker keeps Django's LOGGING (``CELERY_WORKER_HIJACK_ROOT_LOGGER = False``), so these are JSON in production.
Only the task's name, id, retry count and the exception reach the log, never its arguments.
"""

import logging

from celery.signals import task_failure, task_postrun, task_prerun

from operations.logs import CONTEXT, LogContext

logger = logging.getLogger("operations.tasks")


@task_prerun.connect(weak=False)
def _enter_task(sender=None, task_id=None, **kwargs):
    CONTEXT.set(LogContext(task=getattr(sender, "name", ""), task_id=task_id or ""))


@task_postrun.connect(weak=False)
def _leave_task(**kwargs):
    CONTEXT.set(None)


@task_failure.connect(weak=False)
def _log_task_failure(sender=None, task_id=None, exception=None, traceback=None, **kwargs):
    request = getattr(sender, "request", None)
    logger.error(
        "Task %s failed: %s",
        getattr(sender, "name", "?"),
        type(exception).__name__,
        exc_info=(type(exception), exception, traceback) if exception is not None else None,
        extra={
            "event": "task_failed",
            "task": getattr(sender, "name", ""),
            "task_id": task_id or "",
            "retries": getattr(request, "retries", None),
        },
    )
