"""Site admins start matching runs, preview them first (a dry run), and see every past run."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_guards import GuardedAdminMixin, ReadOnlyAdminMixin
from placements.admin.audit import MatchingPolicySavingMixin
from placements.models import MatchingPolicy, MatchingRun, Round, RunStatus
from placements.services.matching_runs import matching_run_create
from placements.tasks import run_matching_task


class StartRunForm(forms.Form):
    round = forms.ModelChoiceField(queryset=Round.objects.all(), empty_label=None)


def _enqueue_after_commit(run: MatchingRun) -> None:
    transaction.on_commit(lambda: run_matching_task.delay(run.pk))


# What each stage of a run is called in its report (keys of ``MatchingRun.timings_ms``), in running order.
STAGES = {
    "snapshot": "Reading the round",
    "eligibility": "Checking who can go where",
    "solve": "Matching",
    "explain": "Writing the reasons",
    "write": "Saving proposed matches",
}


def percent(value) -> str:
    """A stored percentage (0-100) as people write it: "33.3%"; "–" when there was nothing to count."""
    if value is None:
        return "–"
    return f"{value:.1f}".removesuffix(".0") + "%"


def seconds(milliseconds) -> str:
    """A duration in seconds, to the precision that matters: "0.02 seconds", "3.4 seconds", "1 second"."""
    value = (milliseconds or 0) / 1000
    text = f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    if value and text == "0":
        return "less than 0.01 seconds"
    return f"{text} second{'' if text == '1' else 's'}"


class RunTypeFilter(admin.SimpleListFilter):
    title = "type of run"
    parameter_name = "preview"

    def lookups(self, request, model_admin):
        return [("yes", "Previews (nothing changed)"), ("no", "Real runs")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(dry_run=self.value() == "yes")
        return queryset


@admin.register(MatchingRun)
class MatchingRunAdmin(ReadOnlyAdminMixin, GuardedAdminMixin, admin.ModelAdmin):
    """A run reads as a report: what kind of run, what it found (in percentages) and how long it took."""

    list_display = [
        "__str__",
        "run_type",
        "kind",
        "status",
        "created_at",
        "applicants",
        "matched",
        "matched_percent",
        "average_rank",
        "wp_applicants_percent",
        "wp_matched_percent",
        "duration",
        "started_by",
    ]
    list_display_links = ["__str__"]
    list_filter = ["round", "status", "kind", RunTypeFilter]
    list_select_related = ["round", "started_by"]
    change_list_template = "admin/placements/matchingrun/change_list.html"
    fieldsets = [
        (
            None,
            {"fields": ["run_type", "round", "status", "started_how", "started_by", "error_message", "commit_link"]},
        ),
        (
            "What it found",
            {
                "fields": [
                    "applicants",
                    "offers",
                    "matched_summary",
                    "average_rank_summary",
                    "wp_applicants_percent",
                    "wp_matched_percent",
                    "matches_written",
                    "matches_released",
                ]
            },
        ),
        ("How long it took", {"fields": ["created_at", "started_at", "finished_at", "duration", "stage_timings"]}),
        (
            "To reproduce it",
            {
                "fields": ["seed", "input_hash"],
                "description": "The same round with the same answers and this seed gives the same matches.",
            },
        ),
    ]
    readonly_fields = [
        "run_type",
        "round",
        "status",
        "started_how",
        "started_by",
        "error_message",
        "commit_link",
        "applicants",
        "offers",
        "matched_summary",
        "average_rank_summary",
        "wp_applicants_percent",
        "wp_matched_percent",
        "matches_written",
        "matches_released",
        "created_at",
        "started_at",
        "finished_at",
        "duration",
        "stage_timings",
        "seed",
        "input_hash",
    ]

    @admin.display(description="type of run")
    def run_type(self, obj):
        if obj.dry_run:
            return "Preview: figures only, nothing was changed"
        return "Real run: proposed matches go to hosts to approve"

    @admin.display(description="how it started", ordering="kind")
    def started_how(self, obj):
        return obj.get_kind_display()

    @admin.display(description="proposed matches written")
    def matches_written(self, obj):
        return obj.placements_created

    @admin.display(description="earlier matches released")
    def matches_released(self, obj):
        return obj.placements_released

    @admin.display(description="matched", ordering="percent_matched")
    def matched_percent(self, obj):
        return percent(obj.percent_matched)

    @admin.display(description="applicants matched")
    def matched_summary(self, obj):
        return f"{obj.matched} of {obj.applicants} ({percent(obj.percent_matched)})"

    @admin.display(description="average choice given")
    def average_rank_summary(self, obj):
        if obj.average_rank is None:
            return "– (nobody was matched)"
        return f"{obj.average_rank:.2f} (1 means everyone matched got their first choice)"

    @admin.display(description="widening participation: share of applicants", ordering="wp_share_of_applicants")
    def wp_applicants_percent(self, obj):
        return percent(obj.wp_share_of_applicants)

    @admin.display(description="widening participation: share of those matched", ordering="wp_share_of_matched")
    def wp_matched_percent(self, obj):
        return percent(obj.wp_share_of_matched)

    @admin.display(description="time taken")
    def duration(self, obj):
        if obj.started_at and obj.finished_at:
            return seconds((obj.finished_at - obj.started_at).total_seconds() * 1000)
        if obj.timings_ms:
            return seconds(sum(obj.timings_ms.values()))
        return "–"

    @admin.display(description="time for each stage")
    def stage_timings(self, obj):
        timings = dict(obj.timings_ms or {})
        names = [name for name in STAGES if name in timings] + [name for name in timings if name not in STAGES]
        if not names:
            return "–"
        rows = format_html_join(
            "",
            "<li>{}: {}</li>",
            ((STAGES.get(name, name.replace("_", " ").capitalize()), seconds(timings[name])) for name in names),
        )
        return format_html('<ul class="app-stage-timings">{}</ul>', rows)

    @admin.display(description="what went wrong")
    def error_message(self, obj):
        return obj.error or "Nothing"

    def get_urls(self):
        return [
            path("start/", self.admin_site.admin_view(self.start_view), name="placements_matchingrun_start"),
            path(
                "<int:pk>/commit/", self.admin_site.admin_view(self.commit_view), name="placements_matchingrun_commit"
            ),
            *super().get_urls(),
        ]

    @admin.display(description="next step")
    def commit_link(self, obj):
        if obj.status in (RunStatus.PENDING, RunStatus.RUNNING):
            return "Wait a moment, then refresh this page to see the figures."
        if obj.status == RunStatus.FAILED:
            return "Nothing was changed. Fix the problem above, then start a new preview."
        if obj.dry_run:
            return format_html(
                '<a class="button" href="{}">Run this for real</a>',
                reverse("admin:placements_matchingrun_commit", args=[obj.pk]),
            )
        return "Hosts approve or decline the proposed matches on their Placements page."

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.error:
            return fieldsets
        # "What went wrong" only on a run that failed.
        summary = [name for name in fieldsets[0][1]["fields"] if name != "error_message"]
        return [(None, {"fields": summary}), *fieldsets[1:]]

    def start_view(self, request):
        """Step 1: pick a round; a preview (dry run) is computed by the worker and shown on its page."""
        if not request.user.has_perm("placements.view_matchingrun"):
            return redirect("admin:index")
        form = StartRunForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            run = matching_run_create(actor=request.user, round_=form.cleaned_data["round"], dry_run=True)
            _enqueue_after_commit(run)
            messages.success(
                request,
                "Preview started. Refresh this page to see its statistics, then run it for real if they look right.",
            )
            return redirect("admin:placements_matchingrun_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Start a matching run",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/placements/matchingrun/start.html", context)

    def commit_view(self, request, pk):
        """Step 2: after a successful preview, run the same round for real (POST only)."""
        preview = get_object_or_404(MatchingRun, pk=pk, dry_run=True, status=RunStatus.SUCCEEDED)
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "preview": preview,
                "opts": self.model._meta,
                "title": f"Run matching for {preview.round} for real?",
            }
            return TemplateResponse(request, "admin/placements/matchingrun/commit.html", context)
        run = matching_run_create(actor=request.user, round_=preview.round)
        _enqueue_after_commit(run)
        messages.success(request, "Matching run started. Proposed matches appear in hosts' queues when it finishes.")
        return redirect("admin:placements_matchingrun_change", run.pk)


@admin.register(MatchingPolicy)
class MatchingPolicyAdmin(MatchingPolicySavingMixin, GuardedAdminMixin, SimpleHistoryAdmin):
    """Every change is kept (who, when, old and new weights): see each policy's history."""

    list_display = [
        "organisation",
        "widening_participation_weight",
        "endorsement_weight",
        "distance_weight",
        "updated_at",
    ]
    list_select_related = ["organisation"]
