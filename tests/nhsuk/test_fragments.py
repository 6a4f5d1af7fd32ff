"""A shared fragment's key is the whole question and the day; with no seconds nothing is kept."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.http import QueryDict

from nhsuk.fragments import fragment_key, shared_fragment


def test_the_key_is_the_page_the_whole_question_and_the_day():
    key = fragment_key("a.html", QueryDict("q=ward&kind=x&kind=y"))
    assert key == fragment_key("a.html", QueryDict("q=ward&kind=x&kind=y"))
    assert key != fragment_key("b.html", QueryDict("q=ward&kind=x&kind=y"))
    assert key != fragment_key("a.html", QueryDict("q=ward&kind=x"))
    assert key != fragment_key("a.html", QueryDict("q=Ward&kind=x&kind=y"))
    assert key != fragment_key("a.html", QueryDict("q=ward&kind=x&kind=y&page=2"))
    with mock.patch("nhsuk.fragments.timezone.localdate", return_value=datetime.date(2099, 1, 1)):
        assert key != fragment_key("a.html", QueryDict("q=ward&kind=x&kind=y"))


@pytest.mark.parametrize("seconds, renders", [(0, 2), (5, 1)])
def test_a_fragment_is_rendered_once_while_it_is_kept(seconds, renders):
    cache.clear()
    context = mock.Mock(return_value={"form": None})
    with mock.patch("nhsuk.fragments.render_to_string", return_value="<p>x</p>") as render:
        first = shared_fragment("a.html", QueryDict("q=1"), seconds=seconds, context=context)
        second = shared_fragment("a.html", QueryDict("q=1"), seconds=seconds, context=context)
    assert first == second == "<p>x</p>"
    assert render.call_count == context.call_count == renders
    cache.clear()
