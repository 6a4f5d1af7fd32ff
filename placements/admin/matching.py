"""Site admins start matching runs, preview them first (a dry run), and see every past run."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from accounts.admin_guards import GuardedAdminMixin
from placements.models import MatchingPolicy, MatchingRun, Round, RunStatus
from placements.services.matching_runs import matching_run_create
from placements.tasks import run_matching_task


class StartRunForm(forms.Form):
    round = forms.ModelChoiceField(queryset=Round.objects.all(), empty_label=None)


def _enqueue_after_commit(run: MatchingRun) -> None:
    transaction.on_commit(lambda: run_matching_task.delay(run.pk))


@admin.register(MatchingRun)
class MatchingRunAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "created_at",
        "applicants",
        "matched",
        "percent_matched",
        "average_rank",
        "wp_share_of_applicants",
        "wp_share_of_matched",
        "started_by",
    ]
    list_filter = ["round", "status", "kind", "dry_run"]
    list_select_related = ["round", "started_by"]
    readonly_fields = [f.name for f in MatchingRun._meta.fields] + ["commit_link"]
    change_list_template = "admin/placements/matchingrun/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
        if obj.dry_run and obj.status == RunStatus.SUCCEEDED:
            return format_html(
                '<a class="button" href="{}">Run this for real</a>',
                reverse("admin:placements_matchingrun_commit", args=[obj.pk]),
            )
        return "-"

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
class MatchingPolicyAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "organisation",
        "widening_participation_weight",
        "endorsement_weight",
        "distance_weight",
        "updated_at",
    ]
    list_select_related = ["organisation"]
