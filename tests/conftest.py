"""Shared fixtures: organisations, and personas who must and must not see each other's data.

Service-backed tests are marked ``postgres``, ``redis`` or ``browser``. Locally they skip with a
reason when the service is missing; with REQUIRE_SERVICES=1 (CI) such a skip is a failure.
"""

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from tests import factories

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
SERVICE_MARKERS = ("postgres", "redis", "browser")


def _redis_available() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis at {url} is not answering: {error}"
    return None


def _missing_service(marker: str) -> str | None:
    if marker == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if marker == "redis":
        return _redis_available()
    if marker == "browser" and not shutil.which(os.environ.get("CHROMIUM", "/usr/bin/chromium")):
        return "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    return None


def pytest_runtest_setup(item):
    for marker in SERVICE_MARKERS:
        if item.get_closest_marker(marker):
            reason = _missing_service(marker)
            if reason:
                pytest.skip(f"[{marker}] {reason}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # In CI a skipped service test is a hole in the evidence, so it fails the run.
    if REQUIRE_SERVICES and report.skipped and any(item.get_closest_marker(m) for m in SERVICE_MARKERS):
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_SERVICES=1 but this test was skipped: {report.longrepr}"
    return report


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """Staff signed in with ``client.force_login`` have also entered a real code from their authenticator app
    (tests/two_factor.py); ``client.force_login(user, second_factor=False)`` for a session that has not."""
    from django.test import Client

    from tests.two_factor import force_login_with_second_factor

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor(Client.force_login))


@pytest.fixture
def college(db):
    return factories.CollegeFactory(name="College A")


@pytest.fixture
def other_college(db):
    return factories.CollegeFactory(name="College B")


@pytest.fixture
def trust(db):
    return factories.OrganisationFactory(name="Trust X")


@pytest.fixture
def other_trust(db):
    return factories.OrganisationFactory(name="Trust Y")


@pytest.fixture
def student(college):
    return factories.StudentFactory(email="student@example.test", organisation=college)


@pytest.fixture
def other_student(other_college):
    return factories.StudentFactory(email="other.student@example.test", organisation=other_college)


@pytest.fixture
def tutor(college):
    return factories.TutorFactory(email="tutor@example.test", organisation=college)


@pytest.fixture
def other_college_tutor(other_college):
    return factories.TutorFactory(email="tutor.b@example.test", organisation=other_college)


@pytest.fixture
def coordinator(trust):
    return factories.CoordinatorFactory(email="coordinator@example.test", organisation=trust)


@pytest.fixture
def other_trust_coordinator(other_trust):
    return factories.CoordinatorFactory(email="coordinator.y@example.test", organisation=other_trust)


@pytest.fixture
def college_coordinator(college):
    """A coordinator at ``college`` (the student's and tutor's college): runs its simulation suite (step 9)."""
    return factories.CoordinatorFactory(email="sim@example.test", organisation=college)


@pytest.fixture
def other_college_coordinator(other_college):
    return factories.CoordinatorFactory(email="sim.b@example.test", organisation=other_college)


@pytest.fixture
def care_provider(db):
    return factories.CareProviderFactory(name="Care Home Z")


@pytest.fixture
def care_provider_coordinator(care_provider):
    """A coordinator at a social-care provider: books simulation seats for its staff (step 9)."""
    return factories.CoordinatorFactory(email="care.coordinator@example.test", organisation=care_provider)


@pytest.fixture
def care_staff_member(care_provider):
    return factories.StaffMemberFactory(email="carer@example.test", organisation=care_provider)


@pytest.fixture
def site_admin(db):
    return factories.AdminFactory(email="admin@example.test")


@pytest.fixture
def staff_member(trust):
    """A health and care staff member employed by ``trust`` (the coordinator's trust)."""
    return factories.StaffMemberFactory(email="staff@example.test", organisation=trust)


@pytest.fixture
def other_trust_staff_member(other_trust):
    return factories.StaffMemberFactory(email="staff.y@example.test", organisation=other_trust)


@pytest.fixture
def partner_organisation(db):
    return factories.PartnerOrganisationFactory(name="ICB Z")


@pytest.fixture
def partner(partner_organisation):
    return factories.PartnerFactory(email="partner@example.test", organisation=partner_organisation)


@pytest.fixture
def personas(
    student, tutor, coordinator, site_admin, staff_member, partner, college_coordinator, care_provider_coordinator
):
    return {
        "student": student,
        "tutor": tutor,
        "coordinator": coordinator,
        "college_coordinator": college_coordinator,
        "care_coordinator": care_provider_coordinator,
        "admin": site_admin,
        "staff": staff_member,
        "partner": partner,
    }


# A thread that fails before a concurrency test's barrier would leave the others waiting for ever: they give up.
BARRIER_SECONDS = 60


@pytest.fixture
def many_connections():
    """Tests that open a database connection per thread (up to 50 at once) take turns across test workers
    (pytest-xdist) and test runs on this machine: two at once would pass PostgreSQL's max_connections (100)."""
    path = Path(tempfile.gettempdir()) / f"placements-tests-many-connections-{os.getuid()}.lock"
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
