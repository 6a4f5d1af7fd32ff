import datetime as _dt

import factory
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from placements.models import Cohort, Department, Opportunity, OpportunityStatus, Placement, Round, Site
from placements.taxonomy import OpportunityKind, ProfessionArea

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.NHS_TRUST
    name = factory.Sequence(lambda n: f"Organisation {n}")
    borough = "Southwark"
    postcode = "SE5 9RS"


class CollegeFactory(OrganisationFactory):
    kind = OrganisationKind.COLLEGE
    name = factory.Sequence(lambda n: f"College {n}")


class CareProviderFactory(OrganisationFactory):
    kind = OrganisationKind.CARE_PROVIDER
    name = factory.Sequence(lambda n: f"Care provider {n}")


class PartnerOrganisationFactory(OrganisationFactory):
    """An integrated care board by default; pass ``kind`` for the LSIP partnership, a local authority or the GLA."""

    kind = OrganisationKind.ICB
    name = factory.Sequence(lambda n: f"Integrated care board {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.STUDENT
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(TEST_PASSWORD)


class StudentFactory(UserFactory):
    role = Role.STUDENT


class TutorFactory(UserFactory):
    role = Role.TUTOR
    organisation = factory.SubFactory(CollegeFactory)


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    organisation = factory.SubFactory(OrganisationFactory)


class StaffMemberFactory(UserFactory):
    """A health and care staff member (role ``staff``) at an NHS trust."""

    role = Role.STAFF
    organisation = factory.SubFactory(OrganisationFactory)


class PartnerFactory(UserFactory):
    role = Role.PARTNER
    organisation = factory.SubFactory(PartnerOrganisationFactory)


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


# --- Capacity (placements) ---------------------------------------------------------------------------


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    address = "1 Hospital Road\nLondon"
    postcode = "SE5 9RS"
    borough = "Southwark"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SelfAttribute("site.organisation")
    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    organisation = factory.SelfAttribute("site.organisation")
    site = factory.SubFactory(SiteFactory)
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    profession_area = ProfessionArea.NURSING
    kind = OpportunityKind.PLACEMENT
    description = "A week on a busy ward."
    activities = "Shadow a nurse."
    status = OpportunityStatus.PUBLISHED


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    opportunity = factory.SubFactory(OpportunityFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + _dt.timedelta(days=4))
    capacity = 4
    application_deadline = factory.LazyAttribute(lambda o: o.start_date - _dt.timedelta(days=7))


class RoundFactory(factory.django.DjangoModelFactory):
    """A round open for applications today, matching in three weeks, placements for six months after."""

    class Meta:
        model = Round

    name = factory.Sequence(lambda n: f"Round {n}")
    applications_open_on = factory.LazyFunction(lambda: timezone.localdate() - _dt.timedelta(days=7))
    applications_close_on = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=20))
    matching_on = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=21))
    outcomes_by = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=28))
    placements_from = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=28))
    placements_to = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=210))


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    cohort = factory.SubFactory(CohortFactory)
    offered_at = factory.LazyFunction(timezone.now)
    offer_expires_at = factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=5))
