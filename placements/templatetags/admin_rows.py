"""``{% admin_result_list cl %}``: Django's ``{% result_list cl %}``, with the rows written by
``placements.admin.result_rows`` for lists whose ModelAdmin sets ``fast_result_rows`` (the same HTML, cheaper).

Every other list is written by Django exactly as before; the template chosen is the same
(``admin/<app>/<model>/change_list_results.html`` first).
"""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields, results
from django.contrib.admin.templatetags.base import InclusionAdminNode

from placements.admin.result_rows import fast_results

register = template.Library()


def admin_result_list(cl):
    """The context Django's ``result_list`` gives its template."""
    headers = list(result_headers(cl))
    rows = fast_results(cl) if getattr(cl.model_admin, "fast_result_rows", False) else None
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows if rows is not None else list(results(cl)),
    }


@register.tag(name="admin_result_list")
def admin_result_list_tag(parser, token):
    return InclusionAdminNode(
        "admin_result_list",
        parser,
        token,
        func=admin_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
