"""Local-development mail transport: every message to the console and to a file in var/mail."""

import sys

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(FileBackend):
    """Writes each message to ``file_path`` (one file per connection) and echoes it to stdout."""

    def write_message(self, message):
        super().write_message(message)
        payload = message.message().as_bytes().decode("utf-8", errors="replace")
        sys.stdout.write(f"{payload}\n{'-' * 79}\n")
        sys.stdout.flush()
