"""``manage.py run_matching --round N [--dry-run]``: the same run the admin starts, from the command line."""

from django.core.management.base import BaseCommand, CommandError

from placements.models import Round, RunStatus
from placements.services.matching_runs import RunInProgress, matching_run_create, matching_run_execute


class Command(BaseCommand):
    help = "Run matching for a round now (or preview it with --dry-run) and print the statistics."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, help="Round id (see the admin).")
        parser.add_argument("--dry-run", action="store_true", help="Compute the statistics only; change nothing.")

    def handle(self, *args, round: int, dry_run: bool, **options):
        round_ = Round.objects.filter(pk=round).first()
        if round_ is None:
            raise CommandError(f"There is no round {round}.")
        run = matching_run_create(actor=None, round_=round_, dry_run=dry_run)
        try:
            run = matching_run_execute(run_id=run.pk)
        except RunInProgress as error:
            raise CommandError(str(error)) from None
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Run {run.pk} failed: {run.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Preview' if dry_run else 'Run'} {run.pk} of {round_}: {run.matched} of {run.applicants} applicants "
                f"matched ({run.percent_matched or 0:.1f}%), average rank {run.average_rank or 0:.2f}, "
                f"seed {run.seed}, input {run.input_hash[:12]}, timings {run.timings_ms}"
            )
        )
