"""Pages anyone can see: the opportunity finder and an opportunity's details."""

from django.http import Http404
from django.shortcuts import render

from placements import geography
from placements.forms.finder import OpportunityFinderForm
from placements.selectors.applications import application_ended_without_place_for, applications_of, current_round
from placements.selectors.opportunities import FinderQuery, finder_page, opportunity_for_detail
from placements.workflow import EDITABLE

PAGE_SIZE = 20


def opportunity_list(request):
    form = OpportunityFinderForm(request.GET or None)
    query = form.to_query() if form.is_bound and form.is_valid() else FinderQuery()
    page = finder_page(query, request.GET.get("page"), per_page=PAGE_SIZE)
    if query.near:
        for opportunity in page:
            opportunity.distance_km = opportunity.distance_sq**0.5 if opportunity.distance_sq is not None else None
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "placements/opportunity_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "query_string": params.urlencode(),
            "filtered": form.is_bound and any(v for k, v in request.GET.items() if k != "page"),
        },
    )


def opportunity_detail(request, pk):
    opportunity = opportunity_for_detail(pk, viewer=request.user)
    if opportunity is None:
        raise Http404
    return render(
        request,
        "placements/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "site_district": geography.outward_code(opportunity.site.postcode) if opportunity.site.postcode else "",
            **_closed_application(request.user),
        },
    )


def _closed_application(user) -> dict:
    """A student whose application this round can no longer change is told so, not offered "Add to my choices"
    (which could only fail); one left without a place is sent to first-come college sessions (step 9)."""
    if not (user.is_authenticated and user.is_student):
        return {}
    round_ = current_round()
    application = applications_of(user).filter(round=round_).first() if round_ else None
    if application is None or application.status in EDITABLE:
        return {}
    return {
        "closed_application": application,
        "can_book_training_places": application_ended_without_place_for(user) is not None,
    }
