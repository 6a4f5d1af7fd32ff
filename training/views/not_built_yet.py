"""Placeholder for a page another part of step 9 is building in this session; every route here answers 404.

Each area replaces its routes in ``training/urls/<area>.py`` with its real views; this module is deleted once
none is left (tests/training/test_no_placeholders.py keeps that honest).
"""

from django.http import Http404


def not_built_yet(request, **kwargs):
    raise Http404
