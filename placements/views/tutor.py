"""College tutors: their own college's applicants, endorsements, and a CSV of exactly what they can see."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.access import role_required
from accounts.models import Role
from placements.csv_streams import CHUNK_ROWS, csv_chunks, day_cells, labels_cells, memoised, text_cell, timestamp_cells
from placements.forms.host import EndorsementForm, StudentInviteForm
from placements.selectors.application_detail import application_for_tutor
from placements.selectors.tutor import TutorApplicationFilter, applications_for_tutor
from placements.services import endorsements, student_invitations
from placements.taxonomy import ProfessionArea
from placements.workflow import staff_label

tutor_required = role_required(Role.TUTOR)
PAGE_SIZE = 25
CSV_COLUMNS = [
    "Reference",
    "First name",
    "Last name",
    "Round",
    "Status",
    "Areas of work",
    "Available from",
    "Available until",
    "Endorsement",
    "Submitted",
]


def _filtered(request):
    return TutorApplicationFilter(request.GET, queryset=applications_for_tutor(request.user).order_by("-created_at"))


@tutor_required
def tutor_home(request):
    filtered = _filtered(request)
    page = Paginator(filtered.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for application in page:
        application.can_endorse = endorsements.is_open_for_endorsement(application)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "placements/tutor/home.html",
        {
            "filter": filtered,
            "page": page,
            "query_string": params.urlencode(),
            "areas": dict(ProfessionArea.choices),
        },
    )


@tutor_required
def tutor_export(request):
    """CSV of the rows the tutor is looking at (same filters), with spreadsheet formulae neutralised.

    Streamed a chunk of rows at a time: the first bytes leave at once and memory stays flat however many rows.
    """
    applications = (
        _filtered(request)
        .qs.prefetch_related(None)
        # The list of areas as the database's text: the same few lists repeat, and each is labelled once.
        .annotate(areas_text=Cast("profession_areas", output_field=TextField()))
        .values_list(*EXPORT_FIELDS)
    )
    response = StreamingHttpResponse(
        csv_chunks(CSV_COLUMNS, _export_rows(applications.iterator(chunk_size=CHUNK_ROWS))), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="applications-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


# Plain values, not model instances: building two models a row was a quarter of the export's time.
EXPORT_FIELDS = (
    "reference",
    "first_name",
    "last_name",
    "round__name",
    "status",
    "areas_text",
    "available_from",
    "available_to",
    "endorsement__strength",
    "submitted_at",
)


def _export_rows(applications):
    """One list of cells per application. Only what people typed is checked for formulae on every row; labels
    and dates repeat down their columns and are worked out once per file."""
    status = memoised(lambda value: text_cell(staff_label(value)))
    areas = labels_cells(dict(ProfessionArea.choices))
    days = day_cells()
    submitted = timestamp_cells()
    for (
        reference,
        first_name,
        last_name,
        round_name,
        status_value,
        areas_text,
        available_from,
        available_to,
        strength,
        submitted_at,
    ) in applications:
        yield (
            text_cell(reference),
            text_cell(first_name),
            text_cell(last_name),
            text_cell(round_name),
            status(status_value),
            areas(areas_text),
            days(available_from),
            days(available_to),
            "" if strength is None else strength,
            submitted(submitted_at),
        )


@tutor_required
def tutor_application(request, pk):
    """The tutor's own student's application: their answers, placements, host decisions and timeline."""
    application = application_for_tutor(request.user, pk)
    if application is None:
        raise Http404
    for placement in application.placement_history:
        placement.age_on_start = application.age_on(placement.cohort.start_date)
    return render(
        request,
        "placements/tutor/application.html",
        {
            "application": application,
            "existing": application.endorsement if application.has_endorsement else None,
            "can_endorse": endorsements.is_open_for_endorsement(application),
        },
    )


@tutor_required
def tutor_endorse(request, pk):
    application = get_object_or_404(applications_for_tutor(request.user), pk=pk)
    existing = application.endorsement if application.has_endorsement else None
    can_endorse = endorsements.is_open_for_endorsement(application)
    form = EndorsementForm(
        request.POST if request.method == "POST" and can_endorse else None,
        initial={"strength": existing.strength, "note": existing.note} if existing else None,
    )
    if not can_endorse:
        # Ended: say so instead of offering a form that would be refused.
        return render(
            request,
            "placements/tutor/endorse.html",
            {"application": application, "form": None, "existing": existing, "ended": endorsements.ENDED},
        )
    if request.method == "POST" and form.is_valid():
        try:
            endorsements.endorsement_save(
                actor=request.user,
                application=application,
                strength=form.cleaned_data["strength"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"Endorsement saved for {application.first_name} {application.last_name}.")
            return redirect("placements:tutor-home")
    return render(
        request, "placements/tutor/endorse.html", {"application": application, "form": form, "existing": existing}
    )


@tutor_required
def tutor_invite(request):
    form = StudentInviteForm(request.POST if request.method == "POST" else None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = student_invitations.students_invite(actor=request.user, text=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"{len(report.sent)} invitation{'s' if len(report.sent) != 1 else ''} sent.")
    return render(request, "placements/tutor/invite.html", {"form": form, "report": report})
