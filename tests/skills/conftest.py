import pytest

from skills.models import FrameworkVersion
from skills.selectors import domains_of


@pytest.fixture
def v1(db):
    return FrameworkVersion.objects.get(version=1)


@pytest.fixture
def domains(v1):
    return domains_of(v1)


def answer_all(client, assessment, domains, answer="confidently", *, overrides=None):
    """Answer every domain page through the views; ``overrides``: statement key -> answer."""
    from django.urls import reverse

    overrides = overrides or {}
    response = None
    for domain in domains:
        data = {f"s{s.pk}": overrides.get(s.key, answer) for s in domain.statements.all()}
        response = client.post(reverse("skills:domain", args=[assessment.pk, domain.key]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    return response
