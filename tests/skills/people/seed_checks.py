"""What seed_demo's digital skills story must leave (called from tests/test_seed_demo.py)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Invitation, Role, User
from skills.demo import CARE_STAFF, TRUST_STAFF
from skills.models import Assessment, EmployerSkillsPolicy, JoinAttempt, Response

SKILLS_MODELS = (Assessment, Response, EmployerSkillsPolicy, JoinAttempt)


def check_digital_skills_are_what_staff_did_through_the_services():
    now = timezone.now()
    trust = User.objects.get(email="coordinator@demo.test").organisation
    care = User.objects.get(email="coordinator.b@demo.test").organisation
    demo_staff = User.objects.filter(email__in=[e for e, *_ in TRUST_STAFF + CARE_STAFF], role=Role.STAFF)
    assert demo_staff.filter(organisation=trust).count() >= 20 and demo_staff.filter(organisation=care).count() >= 20
    assert all(person.email_verified for person in demo_staff)
    # Joined as real people do: the trust's by invitation, the care provider's with its join code.
    for person in demo_staff.filter(organisation=trust):
        assert Invitation.objects.filter(accepted_user=person).exists(), person
    assert EmployerSkillsPolicy.objects.get(employer=care).join_code
    assert JoinAttempt.objects.filter(code_matched=True).count() >= 20
    submitted = Assessment.objects.filter(person__in=demo_staff, submitted_at__isnull=False)
    old = submitted.filter(submitted_at__lt=now - timedelta(days=100), submitted_at__gt=now - timedelta(days=140))
    recent = submitted.filter(submitted_at__gt=now - timedelta(days=30))
    assert old.count() >= 30 and recent.count() >= 25
    for employer in (trust, care):
        assert old.filter(person__organisation=employer).count() >= 10
        assert recent.filter(person__organisation=employer).count() >= 10
        assert submitted.filter(person__organisation=employer, shared_with_employer=True).exists()
    assert not Assessment.objects.filter(submitted_at__isnull=True).exists()
    for assessment in submitted:
        # Every answer given by the sitting's own clock: started, answered, then sent.
        answered = list(assessment.responses.values_list("answered_at", flat=True))
        assert len(answered) == 66 and all(assessment.started_at <= a <= assessment.submitted_at for a in answered)
    if hasattr(Assessment, "staff_group"):
        assert len(set(submitted.values_list("staff_group", flat=True))) >= 5
        assert len(set(submitted.values_list("department", flat=True))) >= 5
    if submitted.first() is not None and "levels" in {f.name for f in Assessment._meta.fields}:
        assert all(a.levels for a in submitted)
    sam = User.objects.get(email="staff@demo.test")
    assert Assessment.objects.filter(person=sam, submitted_at__lt=now - timedelta(days=100)).count() == 1
    assert not Assessment.objects.filter(person__email="staff.b@demo.test").exists()
