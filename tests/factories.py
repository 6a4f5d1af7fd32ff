import factory
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User

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


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True
