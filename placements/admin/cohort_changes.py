"""The confirmation page shown before a change that affects students is saved (who, and what happens to them).

The page posts the original form back unchanged, plus the placement ids it listed; the services make the change
only if everyone affected was on that list, so a student matched in the meantime is shown before anything saves.
"""

from django.template.response import TemplateResponse

from placements.services.cohort_changes import ChangeNeedsConfirmation, parse_confirmed

CONFIRMED_FIELD = "_affected_confirmed"
# Never posted back: Django adds a fresh token, and the list is the one this page shows.
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRMED_FIELD}


def confirmed_placements(request) -> frozenset[int]:
    return parse_confirmed(request.POST.get(CONFIRMED_FIELD))


def confirm_changes_response(model_admin, request, needed: ChangeNeedsConfirmation, *, cancel_url: str):
    reposted = [(name, value) for name, values in request.POST.lists() if name not in _NOT_REPOSTED for value in values]
    count = len(needed.affected)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Check who this change affects",
        "opts": model_admin.opts,
        "changes": needed.changes,
        "affected": needed.affected,
        "students": "1 student" if count == 1 else f"{count} students",
        "token": needed.token,
        "confirmed_field": CONFIRMED_FIELD,
        "reposted": reposted,
        "form_url": request.get_full_path(),
        "cancel_url": cancel_url,
        "changed_since": bool(confirmed_placements(request)),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "placements/admin/confirm_changes.html", context)
