"""Joining with an employer's code, and the employer coordinator's join code and reminder settings page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import role_required
from accounts.models import Role
from accounts.signin import client_ip
from notifications.outbox import absolute_url
from skills import services_join
from skills.forms_people import JoinForm, ReassessForm


def join(request):
    """Create a staff account with an employer's join code. The same next page whether or not the address had
    an account; a wrong code says so."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_join.staff_join_with_code(
                code=form.cleaned_data["code"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)  # a wrong code lands on the code field (its error_dict says so)
        else:
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("accounts:signup-done")
    return render(request, "skills/join.html", {"form": form})


@role_required(Role.COORDINATOR)
def join_code(request):
    """An NHS trust's or care provider's coordinator: the join code (make, remake, switch off) and the period
    after which staff are reminded to check again. Other coordinators (colleges) get 404."""
    employer = request.user.organisation
    if not services_join.can_manage_skills_policy(request.user, employer):
        raise Http404
    policy = services_join.policy_for(employer)
    form = ReassessForm(
        request.POST if request.POST.get("action") == "period" else None,
        initial={"reassess_after_months": policy.reassess_after_months},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rotate":
                had_code = bool(policy.join_code)
                policy = services_join.join_code_rotate(actor=request.user, employer=employer)
                messages.success(
                    request,
                    "Your new join code is ready. The old code no longer works."
                    if had_code
                    else "Your join code is ready. Share it with your staff.",
                )
                return redirect("skills:join-code")
            if action == "switch_off":
                services_join.join_code_switch_off(actor=request.user, employer=employer)
                messages.success(request, "The join code no longer works. Staff can still join by invitation.")
                return redirect("skills:join-code")
            if action == "period" and form.is_valid():
                services_join.reassess_period_set(
                    actor=request.user, employer=employer, months=form.cleaned_data["reassess_after_months"]
                )
                messages.success(request, "Saved. Staff are reminded after the period you chose.")
                return redirect("skills:join-code")
            if action not in ("rotate", "switch_off", "period"):
                messages.error(request, "Choose one of the buttons on this page.")
                return redirect("skills:join-code")
        except ValidationError as error:
            if action != "period":
                messages.error(request, error.messages[0])
                return redirect("skills:join-code")
            form.add_error(None, error)
    return render(
        request,
        "skills/employer/join_code.html",
        {
            "employer": employer,
            "policy": policy,
            "code": services_join.display_code(policy.join_code) if policy.join_code else "",
            "join_url": absolute_url(reverse("skills:join")),
            "form": form,
        },
    )
