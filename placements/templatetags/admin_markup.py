"""Filters for the admin sites' templates (templates/admin/)."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# django-import-export marks what an import changes as <ins style="background:…"> / <del style="…">.
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"[^"<>]*"|'[^'<>]*')""")


@register.filter
def without_inline_styles(html) -> str:
    """The package's markup without its style attributes, which our Content-Security-Policy blocks.

    Only markup the package built (marked safe) is trusted; anything else is escaped as usual."""
    return mark_safe(_STYLE_ATTRIBUTE.sub("", str(conditional_escape(html))))  # noqa: S308 (escaped first)
