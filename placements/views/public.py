"""Pages anyone can see: the opportunity finder and an opportunity's details."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from placements import geography
from placements.forms.finder import OpportunityFinderForm
from placements.selectors.opportunities import FinderQuery, opportunities_for_finder, opportunity_for_detail

PAGE_SIZE = 20


def opportunity_list(request):
    form = OpportunityFinderForm(request.GET or None)
    query = form.to_query() if form.is_bound and form.is_valid() else FinderQuery()
    page = Paginator(opportunities_for_finder(query), PAGE_SIZE).get_page(request.GET.get("page"))
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
        },
    )
