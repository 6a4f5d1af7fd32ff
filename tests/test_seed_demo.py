from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation, OrganisationKind, User

DEMO_LOGINS = [
    "student@demo.test",
    "student.b@demo.test",
    "tutor@demo.test",
    "tutor.b@demo.test",
    "coordinator@demo.test",
    "coordinator.b@demo.test",
    "admin@demo.test",
]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_every_login(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert set(DEMO_LOGINS) <= set(User.objects.values_list("email", flat=True))
    from placements.models import Application, Cohort
    from placements.workflow import Status

    # Every status but "submitted", which an application passes through in the same request.
    assert set(Application.objects.values_list("status", flat=True)) == set(Status.values) - {Status.SUBMITTED}
    assert Application.objects.count() == len(set(Application.objects.values_list("student", flat=True)))
    assert all(c.booked <= c.capacity for c in Cohort.objects.all())
    kinds = list(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count(OrganisationKind.NHS_TRUST) >= 2 and kinds.count(OrganisationKind.COLLEGE) >= 2
    assert OrganisationKind.CARE_PROVIDER in kinds
    from placements.demo import DEMO_APPLICANTS

    for email in [*DEMO_LOGINS, *(row[0] for row in DEMO_APPLICANTS)]:
        assert User.objects.get(email=email).check_password("placements-demo"), email
    assert (
        User.objects.get(email="student@demo.test").organisation
        != User.objects.get(email="student.b@demo.test").organisation
    )
    assert User.objects.get(email="coordinator.b@demo.test").organisation.kind == OrganisationKind.CARE_PROVIDER


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=False"):
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())
    assert set(DEMO_LOGINS) <= set(User.objects.values_list("email", flat=True))
