"""Insights: the skills page (being built this session; answers 404 until then)."""

from django.http import Http404

from insights.views.reports import readers_only


@readers_only
def skills(request):
    raise Http404


@readers_only
def skills_csv(request, table):
    raise Http404
