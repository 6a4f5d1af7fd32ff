from django.db import models


class Heartbeat(models.Model):
    """The last time a periodic job proved the scheduler, the broker and a worker all work ("beat" is the only one).

    One row per name, overwritten on every tick: PostgreSQL is shared by every process, unlike a local cache or a
    file in one container's volume, so the web's /health/ sees what the worker wrote.
    """

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = "heartbeat"

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
