"""Where django-import-export keeps an uploaded file between its preview and its confirmation.

Its default (``TempFolderStorage``) takes the file's name back from a hidden field of the confirm form and then
reads and deletes ``<system temp folder>/<that name>``: anyone allowed to import could post the name of any file
in the temp folder (another person's upload, another program's file) and have the server delete it. Here a
name is only ever one this storage made (``import-`` and 32 random hex digits, never guessable), in a folder of
its own; any other name reads as an empty file (so the import says the file has errors and asks for it again,
as it does for a file already imported by a double click) and deletes nothing.
"""

import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from import_export.tmp_storages import BaseStorage

NAME = re.compile(r"import-[0-9a-f]{32}")
# A preview nobody confirmed is deleted when the next file is uploaded, after this long.
KEEP_SECONDS = 24 * 60 * 60


def upload_folder() -> Path:
    folder = Path(settings.IMPORT_UPLOAD_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


class ImportUploadStorage(BaseStorage):
    """``IMPORT_EXPORT_TMP_STORAGE_CLASS``: uploads in their own folder, under names only this class makes."""

    def save(self, data) -> None:
        _forget_old_uploads()
        self.name = f"import-{secrets.token_hex(16)}"
        raw = data if isinstance(data, bytes) else str(data).encode(self.encoding or "utf-8")
        descriptor = os.open(upload_folder() / self.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(raw)

    def read(self):
        path = self._path()
        empty = b"" if "b" in self.read_mode else ""
        if path is None:
            return empty
        try:
            with open(path, self.read_mode, encoding=None if "b" in self.read_mode else self.encoding) as file:
                return file.read()
        except FileNotFoundError:
            return empty

    def remove(self) -> None:
        path = self._path()
        if path is not None:
            path.unlink(missing_ok=True)

    def _path(self) -> Path | None:
        """The file behind ``self.name`` if it is a name this class made; None for anything else."""
        name = str(self.name or "")
        return upload_folder() / name if NAME.fullmatch(name) else None


def _forget_old_uploads() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in upload_folder().glob("import-*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
