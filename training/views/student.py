"""Students left without a place: the sessions open to them, and booking one first come, first served."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import role_required
from accounts.models import Role
from placements.templatetags.wording import day, time_of_day
from training.selectors.student import (
    session_for_student_booking,
    sessions_for_student,
    student_places_for_student,
)
from training.services.student import (
    MAX_UPCOMING_PLACES,
    WHO_CAN_BOOK,
    session_refusal,
    student_eligibility,
    student_place_book,
)

PAGE_SIZE = 25

student_required = role_required(Role.STUDENT)


@student_required
def student_sessions(request):
    """Every student may open this page; it lists sessions to those who may book and tells the others why not."""
    now = timezone.now()
    eligibility = student_eligibility(request.user)
    context = {
        "eligibility": eligibility,
        "who_can_book": WHO_CAN_BOOK,
        "max_places": MAX_UPCOMING_PLACES,
        "places": list(student_places_for_student(request.user, now=now)),
        "page": None,
    }
    if eligibility.eligible:
        application = eligibility.application
        page = Paginator(sessions_for_student(application, now=now), PAGE_SIZE).get_page(request.GET.get("page"))
        booked = {place.session_id for place in context["places"]}
        for session in page:
            session.booked_by_me = session.pk in booked
            refusal = session_refusal(application=application, session=session, now=now)
            session.refusal = " ".join(refusal.messages) if refusal else ""
        context.update(page=page, application=application)
    return render(request, "training/student/sessions.html", context)


@student_required
def student_book(request, pk):
    """Confirm, then book one first-come place; a refusal is shown on the page, never a 500."""
    session = session_for_student_booking(pk)
    if session is None:
        raise Http404
    eligibility = student_eligibility(request.user)
    problem = None
    if request.method == "POST":
        try:
            student_place_book(actor=request.user, session=session)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            if error.code == "already_booked":  # a repeated POST: the place is already theirs
                messages.info(request, " ".join(error.messages))
                return redirect("training:student-sessions")
            problem = error
        else:
            messages.success(
                request,
                f"You have a place on ‘{session.entry.title}’ on {day(session.starts_at)} at "
                f"{time_of_day(session.starts_at)}. We have emailed you the details.",
            )
            return redirect("training:student-sessions")
    elif not eligibility.eligible:
        problem = ValidationError(eligibility.refusal, code="not_eligible")
    else:
        problem = session_refusal(application=eligibility.application, session=session)
    session.refresh_from_db(fields=["seats_taken", "status"])
    return render(
        request,
        "training/student/book.html",
        {
            "session": session,
            "eligibility": eligibility,
            "problem": " ".join(problem.messages) if problem else "",
            "problem_code": getattr(problem, "code", "") or "",
            "full": session.seats_left <= 0,
        },
        status=200,
    )
