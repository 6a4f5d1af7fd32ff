"""The staff member's self-assessment: start, one domain per page, check and send, result, share, download."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from skills import selectors, services
from skills.forms import AboutWorkForm, DomainForm
from skills.models import Assessment, Response

staff_required = role_required(Role.STAFF)


def _own(request, pk) -> Assessment:
    """The signed-in person's own assessment; anyone else's (or none) is 404."""
    return get_object_or_404(selectors.assessments_visible_to(request.user), pk=pk)


def _progress(assessment: Assessment, domains) -> list[dict]:
    answered = set(Response.objects.filter(assessment=assessment).values_list("statement_id", flat=True))
    return [
        {
            "domain": domain,
            "answered": sum(s.pk in answered for s in domain.statements.all()),
            "total": len(domain.statements.all()),
        }
        for domain in domains
    ]


def _next_page(assessment: Assessment):
    if not assessment.staff_group:  # "About your work" comes first (skills:about-work)
        return redirect("skills:about-work", pk=assessment.pk)
    for item in _progress(assessment, selectors.domains_of(assessment.framework_version)):
        if item["answered"] < item["total"]:
            return redirect("skills:domain", pk=assessment.pk, key=item["domain"].key)
    return redirect("skills:check", pk=assessment.pk)


@staff_required
def start(request):
    mine = selectors.assessments_visible_to(request.user)
    context = {
        "open": mine.filter(submitted_at__isnull=True).first(),
        "submitted": list(mine.filter(submitted_at__isnull=False).order_by("-submitted_at")[:25]),
        "framework": selectors.current_framework(),
    }
    return render(request, "skills/start.html", context)


@staff_required
@require_POST
def assessment_start(request):
    try:
        assessment = services.assessment_start(actor=request.user)
    except (ValidationError, PermissionDenied) as problem:
        messages.error(request, " ".join(getattr(problem, "messages", [str(problem)])))
        return redirect("skills:start")
    return _next_page(assessment)


@staff_required
def domain_page(request, pk, key):
    assessment = _own(request, pk)
    if assessment.is_submitted:
        return redirect("skills:result", pk=assessment.pk)
    domains = selectors.domains_of(assessment.framework_version)
    position = next((n for n, d in enumerate(domains) if d.key == key), None)
    if position is None:
        raise Http404
    domain = domains[position]
    statements = list(domain.statements.all())
    form = DomainForm(
        request.POST if request.method == "POST" else None,
        statements=statements,
        answers=selectors.answers_of(assessment),
    )
    if request.method == "POST" and form.is_valid():
        later = "save_and_exit" in request.POST
        try:
            services.assessment_answer_domain(
                actor=request.user, assessment=assessment, domain=domain, answers=form.answers(), require_all=not later
            )
        except ValidationError as problem:
            form.show_service_errors(problem)
        else:
            if later:
                messages.success(request, "Your answers are saved. Come back at any time to carry on.")
                return redirect("skills:start")
            if position + 1 < len(domains):
                return redirect("skills:domain", pk=assessment.pk, key=domains[position + 1].key)
            return redirect("skills:check", pk=assessment.pk)
    context = {
        "assessment": assessment,
        "domain": domain,
        "form": form,
        "number": position + 1,
        "count": len(domains),
        "previous": domains[position - 1] if position else None,
    }
    return render(request, "skills/domain.html", context)


@staff_required
def check(request, pk):
    assessment = _own(request, pk)
    if assessment.is_submitted:
        return redirect("skills:result", pk=assessment.pk)
    progress = _progress(assessment, selectors.domains_of(assessment.framework_version))
    problem = None
    if request.method == "POST":
        try:
            services.assessment_submit(actor=request.user, assessment=assessment)
        except ValidationError as error:
            problem = error.messages[0]
        else:
            return redirect("skills:result", pk=assessment.pk)
    return render(
        request,
        "skills/check.html",
        {
            "assessment": assessment,
            "progress": progress,
            "complete": all(p["answered"] == p["total"] for p in progress),
            "problem": problem,
        },
    )


@staff_required
def result(request, pk):
    assessment = _own(request, pk)
    if not assessment.is_submitted:
        return _next_page(assessment)
    previous = selectors.previous_submitted(assessment)
    results = selectors.result_of(assessment, previous=previous)
    context = {
        "assessment": assessment,
        "previous": previous,
        "results": results,
        "plan": sorted((r for r in results if r.level < 4), key=lambda r: (r.level, r.domain.position)),
        "strong": [r for r in results if r.strengths],
    }
    return render(request, "skills/result.html", context)


@staff_required
@require_POST
def share(request, pk):
    assessment = _own(request, pk)
    choice = request.POST.get("share")
    if choice not in ("yes", "no"):
        messages.error(request, "Choose whether to share your result.")
        return redirect("skills:result", pk=assessment.pk)
    try:
        services.assessment_share(actor=request.user, assessment=assessment, share=choice == "yes")
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
        return redirect("skills:start")
    messages.success(
        request,
        "Your employer's coordinators can now see this result."
        if choice == "yes"
        else "You have stopped sharing this result. Your employer sees only totals of 5 or more people.",
    )
    return redirect("skills:result", pk=assessment.pk)


@staff_required
def download(request):
    body = json.dumps({"assessments": selectors.record_of(request.user)}, cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-digital-skills-record.json"'
    return response


# --- About your work: staff group and team, asked before the domains (for the employer's dashboard).


@staff_required
def about_work(request, pk):
    assessment = _own(request, pk)
    if assessment.is_submitted:
        return redirect("skills:result", pk=assessment.pk)
    earlier = (
        assessment
        if assessment.staff_group
        else selectors.assessments_visible_to(request.user).exclude(staff_group="").order_by("-started_at").first()
    )
    initial = {"staff_group": earlier.staff_group, "department": earlier.department} if earlier else {}
    form = AboutWorkForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_about_work(
                actor=request.user,
                assessment=assessment,
                staff_group=form.cleaned_data["staff_group"],
                department=form.cleaned_data["department"],
            )
        except ValidationError as problem:
            form.show_service_errors(problem)
        else:
            domains = selectors.domains_of(assessment.framework_version)
            if domains:
                return redirect("skills:domain", pk=assessment.pk, key=domains[0].key)
            return redirect("skills:check", pk=assessment.pk)
    return render(request, "skills/about_work.html", {"assessment": assessment, "form": form})
