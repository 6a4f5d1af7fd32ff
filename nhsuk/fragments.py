"""Part of a public page shared between visitors for a few seconds (issue 15).

On the night before a round closes most visitors of the finder and the catalogue ask the same few questions, and
the page's body (the filter form as they filled it in, the results, the pagination) is the same for all of them.
``shared_fragment`` renders that body once per question and keeps it for a few seconds.

What keeps it correct:

- It is rendered from its own context only, never with the request: no context processor runs, so nothing of the
  visitor's (their name in the header, the sign-out form's CSRF token, messages) can be in it. The page around it
  (header, title, messages) is rendered for every request as before. There is no CSP nonce to leak: the policy
  allows scripts and styles from the site itself only (config/settings/base.py, ``SECURE_CSP``).
- The key is the whole question as asked (every query parameter and value, in order) and the day; another question,
  another page or another day is another fragment.
- It lives ``seconds`` and no longer; whatever it shows (places or seats left) is at most that old, provided the
  figures in its context were read when it was rendered (the caller's job: see ``placements.views.public``).
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe


def fragment_key(name: str, query: QueryDict) -> str:
    """One key per page ``name``, day and question (all of ``query``'s parameters and values, as asked)."""
    question = repr((timezone.localdate().isoformat(), list(query.lists())))
    return f"fragment:{name}:" + hashlib.sha256(question.encode()).hexdigest()


def shared_fragment(template_name: str, query: QueryDict, *, seconds: int, context: Callable[[], dict]) -> SafeString:
    """``template_name`` rendered with ``context()`` (called only when the fragment is not kept), shared between
    visitors asking ``query`` for ``seconds`` (0: rendered every time, kept nowhere)."""
    if not seconds:
        return mark_safe(render_to_string(template_name, context()))  # noqa: S308 - an autoescaped template
    key = fragment_key(template_name, query)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, context())
        cache.set(key, str(html), seconds)
    return mark_safe(html)  # noqa: S308 - what render_to_string wrote, autoescaped
