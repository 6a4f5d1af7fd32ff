"""Pages anyone can see: the opportunity finder and an opportunity's details."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from nhsuk.fragments import shared_fragment
from placements import geography
from placements.forms.finder import OpportunityFinderForm
from placements.selectors.applications import application_ended_without_place_for, applications_of, current_round
from placements.selectors.opportunities import FinderQuery, finder_page, opportunity_for_detail
from placements.workflow import EDITABLE

PAGE_SIZE = 20


def opportunity_list(request):
    """The finder. Its body (the form as filled in, the results) is the same for everyone asking the same question,
    so it is shared between visitors for ``FINDER_CACHE_SECONDS`` (nhsuk.fragments): places left at most that old."""
    form = OpportunityFinderForm(request.GET or None)
    query = form.to_query() if form.is_bound and form.is_valid() else FinderQuery()
    page_number = request.GET.get("page")
    params = request.GET.copy()
    params.pop("page", None)
    body = {
        "form": form,
        "query": query,
        "query_string": params.urlencode(),
        "filtered": form.is_bound and any(v for k, v in request.GET.items() if k != "page"),
    }
    content = shared_fragment(
        "placements/finder_body.html",
        request.GET,
        seconds=settings.FINDER_CACHE_SECONDS,
        # Read afresh when the body is rendered, so what it shows is no older than the seconds it is kept.
        context=lambda: {**body, "page": _finder_page(query, page_number, fresh=True)},
    )
    # The page as the shared answer has it, for whoever reads the context (not read to render the page).
    page = SimpleLazyObject(lambda: _finder_page(query, page_number))
    return render(request, "placements/opportunity_list.html", {**body, "page": page, "content": content})


def _finder_page(query: FinderQuery, page_number, *, fresh: bool = False):
    page = finder_page(query, page_number, per_page=PAGE_SIZE, fresh=fresh)
    if query.near:
        for opportunity in page:
            opportunity.distance_km = opportunity.distance_sq**0.5 if opportunity.distance_sq is not None else None
    return page


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
