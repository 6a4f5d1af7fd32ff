"""iCalendar feeds: a person's training places and a room's sessions, reached by a secret address, no sign-in.

Calendar apps cannot sign in, so the unguessable token in the address is the key (how it is made and looked up:
training.services.calendars). An unknown or replaced token answers 404.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from training.selectors.staff import person_calendar_by_token, room_by_calendar_token
from training.services import calendars


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The address is a secret: no shared cache may keep the feed, and search engines must not list it.
    response["Cache-Control"] = "private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def person_calendar(request, token):
    calendar = person_calendar_by_token(token)
    if calendar is None:
        raise Http404
    return _ics(calendars.person_calendar_ics(calendar=calendar), "training.ics")


@require_GET
def room_calendar(request, token):
    room = room_by_calendar_token(token)
    if room is None:
        raise Http404
    return _ics(calendars.room_calendar_ics(room=room), "room.ics")
