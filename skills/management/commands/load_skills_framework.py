"""Load the skills framework files (skills/data/framework-v*.toml): each new version once, old ones untouched."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skills.framework import FrameworkError, framework_files, framework_load


class Command(BaseCommand):
    help = "Load every framework version in skills/data/ (or the files given) that is not loaded yet."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="Framework files (default: all in skills/data/).")

    def handle(self, *args, files, **options):
        for path in files or framework_files():
            try:
                loaded = framework_load(path)
            except (FrameworkError, OSError) as error:
                raise CommandError(str(error)) from error
            verb = "Loaded" if loaded.created else "Already loaded"
            self.stdout.write(f"{verb}: version {loaded.version} ({path.name})")
