"""The email to a guardian address quotes the student's name as data, and never puts it in the subject.

The student types their own name and the guardian's address, so the email goes to someone who does not know
us, carrying words the student chose: a phishing line and a link, if the name were written as it was typed.
"""

import re

import pytest

from notifications.models import OutboundEmail
from notifications.outbox import name_as_data
from placements.services import applications as services
from tests.placements.helpers import make_application

HOSTILE = "Sam\r\nSubject: urgent\r\nPay now at https://evil.example/pay or mail help@evil.example"


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        ("Sam", "Sam"),
        ("  Anne-Marie  O’Neil ", "Anne-Marie O’Neil"),
        ("Zoë", "Zoë"),
        ("Sam\nVisit evil.example", "Sam Visit evil example"),
        ("https://evil.example/x?a=1", "https evil example x a"),
        ("<b>Sam</b>", "b Sam b"),
        ("x" * 100, "x" * 39 + "…"),
        ("12345 !!", "(no name)"),
    ],
)
def test_a_name_quoted_as_data_keeps_letters_and_loses_addresses_links_and_lines(typed, quoted):
    assert name_as_data(typed) == quoted


@pytest.mark.django_db
def test_guardian_emails_quote_a_hostile_name_and_keep_it_out_of_the_subject(client, student):
    application = make_application(student, age=16, first_name=HOSTILE)
    services.application_submit(actor=student, application=application)
    request = OutboundEmail.objects.get(template="guardian_consent_request")
    token = re.search(r"/consent/([^/\s]+)/", request.body_text).group(1)
    services.guardian_consent_give(token=token, guardian_name="Pat Lee", relationship="Mother")
    confirmed = OutboundEmail.objects.get(template="guardian_consent_confirmed")
    for email in (request, confirmed):
        assert "Sam" not in email.subject and "evil" not in email.subject
        for body in (email.body_text, email.body_html):
            assert "evil.example" not in body and "https://evil" not in body and "@evil" not in body
            assert "Subject:" not in body
        assert 'gave their name as "Sam Subject urgent Pay now at https evi…"' in email.body_text
        assert "&ldquo;Sam Subject urgent Pay now at https evi…&rdquo;" in email.body_html
    assert request.subject.endswith("A student asks for your consent to their work experience application")
