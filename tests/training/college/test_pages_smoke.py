import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_renders(client, college_coordinator, suite, room, entry, session):
    client.force_login(college_coordinator)
    for name, args in [
        ("college-home", []),
        ("suite-create", []),
        ("suite-edit", [suite.pk]),
        ("room-create", [suite.pk]),
        ("room-edit", [room.pk]),
        ("entry-list", []),
        ("entry-create", []),
        ("entry-edit", [entry.pk]),
        ("college-sessions", []),
        ("college-session-create", []),
        ("college-session", [session.pk]),
        ("college-session-edit", [session.pk]),
        ("college-session-duplicate", [session.pk]),
        ("college-session-cancel", [session.pk]),
    ]:
        response = client.get(reverse(f"training:{name}", args=args))
        assert response.status_code == 200, name
