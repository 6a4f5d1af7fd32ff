"""``manage.py export_matching_instance --round N -o FILE``: the round in the interchange format.

Anyone can then reproduce the engine's answer without the database:
``python -m placements.matching solve FILE``.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from placements.models import Round
from placements.services.matching_runs import matching_instance_export


class Command(BaseCommand):
    help = "Write a round's matching instance as JSON (placement-match-instance/1)."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True)
        parser.add_argument("-o", "--output", help="File to write; standard output when omitted.")

    def handle(self, *args, round: int, output: str | None, **options):
        round_ = Round.objects.filter(pk=round).first()
        if round_ is None:
            raise CommandError(f"There is no round {round}.")
        payload = json.dumps(matching_instance_export(round_=round_), indent=1)
        if output:
            with open(output, "w") as handle:
                handle.write(payload)
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(payload)
