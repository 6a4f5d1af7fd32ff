"""Start a Celery job by its name, so services never import a tasks module (ADR 0014).

Views, admin and tasks may import tasks; services and selectors may not: a tasks module imports services,
and the service importing it back made a cycle. A service names the job instead:

    transaction.on_commit(lambda: enqueue("placements.tasks.run_matching_task", run.pk))

The task is looked up in this project's Celery app (its module is imported if nothing has yet), and sent with
``delay``, exactly as if the caller had imported it.
"""

from importlib import import_module

from config.celery import app


def task_named(name: str):
    """The registered task ``name`` (``"<app>.tasks.<function>"``); KeyError if there is none."""
    try:
        return app.tasks[name]
    except KeyError:
        # A process (the web server, a test) that has not imported that tasks module yet.
        import_module(name.rpartition(".")[0])
        return app.tasks[name]


def enqueue(name: str, *args, **kwargs) -> None:
    """Send the task ``name`` to the broker now. Raises if the broker refuses: the caller decides what covers it."""
    task_named(name).delay(*args, **kwargs)
