"""Forms that email "if an account uses this address" do the same work whether or not one does.

Sending the email (look it up, render it, build it, store it) took a few milliseconds that a missing account
skipped, which tells a stranger who is registered. Each path now does one look-up, renders the same templates
and makes one insert (rolled back when nothing is to be sent). These tests compare the work, not a stopwatch.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import OutboundEmail
from tests.factories import StudentFactory

SAVEPOINT = re.compile(r"^(RELEASE |ROLLBACK TO )?SAVEPOINT", re.IGNORECASE)


def _work(client, url, data):
    """The kinds of SQL statement a request ran and the templates it rendered."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    kinds = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if SAVEPOINT.match(sql):
            # Ending a savepoint is one statement when kept, two (ROLLBACK TO, RELEASE) when undone: microseconds.
            if sql.upper().startswith("SAVEPOINT"):
                kinds.append("SAVEPOINT")
        else:
            tables = re.findall(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
            kinds.append(f"{sql.split()[0].upper()} {tables[:1]}")
    return response, sorted(kinds), sorted({t.name for t in response.templates if t.name})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["accounts:password-reset", "accounts:sign-in-unlock-request"], ids=["password reset", "unlock link"]
)
def test_asking_for_an_email_does_the_same_work_for_an_address_with_or_without_an_account(client, url_name):
    StudentFactory(email="sam@example.test")
    url = reverse(url_name)
    known_response, known, known_templates = _work(client, url, {"email": "sam@example.test"})
    again_response, again, again_templates = _work(client, url, {"email": "sam@example.test"})
    unknown_response, unknown, unknown_templates = _work(client, url, {"email": "nobody@example.test"})
    assert known == again == unknown
    assert known_templates == again_templates == unknown_templates
    assert any(name.startswith("emails/") for name in unknown_templates)
    assert known_response.status_code == again_response.status_code == unknown_response.status_code
    assert OutboundEmail.objects.count() == 1 and OutboundEmail.objects.get().to_email == "sam@example.test"
    assert not OutboundEmail.objects.filter(dedupe_key__startswith="rehearsal:").exists()
