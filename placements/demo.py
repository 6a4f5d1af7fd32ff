"""Demo capacity for ``seed_demo``: sites, departments and 25+ opportunities across the taxonomy.

Cohorts start on Mondays over the coming weeks, so the finder always has something to show.
Some are nearly full, and one opportunity is stale (not confirmed for 90 days) to show the flag.
"""

import hashlib
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Organisation, Role, User
from placements.models import (
    Application,
    Cohort,
    Department,
    GuardianConsent,
    Opportunity,
    OpportunityStatus,
    Placement,
    Round,
    Site,
    StatusChange,
    WideningParticipation,
)
from placements.taxonomy import DepartmentSetting as Setting
from placements.taxonomy import OpportunityKind as Kind
from placements.taxonomy import ProfessionArea as Area
from placements.workflow import Status

SITES = {
    # key: (organisation key, name, address, postcode, borough)
    "dh": ("trust_a", "Denmark Hill Hospital", "Denmark Hill\nLondon", "SE5 9RS", "Southwark"),
    "lw": ("trust_a", "Lewisham Community Hospital", "Lewisham High Street\nLondon", "SE13 6LH", "Lewisham"),
    "hk": ("trust_b", "Homerton Road Hospital", "Homerton Row\nLondon", "E9 6SR", "Hackney"),
    "ne": ("trust_b", "Newham Health Centre", "Glen Road\nLondon", "E13 8SL", "Newham"),
    "rw": ("care", "Rosewood Care Home", "Ladywell Road\nLondon", "SE13 7HY", "Lewisham"),
    "cf": ("care", "Catford Home Care Team", "Rushey Green\nLondon", "SE6 4JD", "Lewisham"),
    "sb": ("college_a", "Southbank College Simulation Suite", "Westminster Bridge Road\nLondon", "SE1 7JN", "Lambeth"),
    "ew": ("college_b", "Eastway Clinical Skills Lab", "Welfare Road\nLondon", "E15 1DA", "Newham"),
}

DEPARTMENTS = {
    # key: (site key, name, setting)
    "ed": ("dh", "Emergency Department", Setting.EMERGENCY),
    "ph": ("dh", "Pharmacy", Setting.PHARMACY),
    "wd": ("dh", "Elderly Care Wards", Setting.WARD),
    "lab": ("dh", "Pathology Laboratory", Setting.LABORATORY),
    "th": ("lw", "Therapies Department", Setting.THERAPIES),
    "mat": ("hk", "Maternity Unit", Setting.WARD),
    "mh": ("hk", "Mental Health Services", Setting.COMMUNITY),
    "amb": ("ne", "Urgent Care Centre", Setting.EMERGENCY),
    "corp": ("ne", "Corporate Services", Setting.CORPORATE),
    "home": ("rw", "Rosewood residential care", Setting.RESIDENTIAL_CARE),
    "dom": ("cf", "Domiciliary care team", Setting.DOMICILIARY_CARE),
    "sim": ("sb", "Simulation suite", Setting.SIMULATION_SUITE),
    "skills": ("ew", "Clinical skills lab", Setting.SIMULATION_SUITE),
}

# (department key, title, area, kind, min age, DBS, vaccinations, places, weeks, days, extra)
OPPORTUNITIES = [
    ("ed", "Shadow an emergency department nurse", Area.NURSING, Kind.PLACEMENT, 16, False, ["mmr"], 2, 4, 5, {}),
    (
        "wd",
        "Healthcare support on an elderly care ward",
        Area.NURSING,
        Kind.PLACEMENT,
        16,
        False,
        [],
        4,
        5,
        5,
        {"widening_participation_priority": True},
    ),
    ("ed", "Junior doctor insight day", Area.MEDICINE, Kind.INSIGHT_DAY, 16, False, [], 20, 3, 1, {}),
    (
        "wd",
        "Medicine placement: ward rounds and clinics",
        Area.MEDICINE,
        Kind.PLACEMENT,
        17,
        True,
        ["hep_b", "mmr"],
        2,
        3,
        5,
        {"requires_occupational_health": True},
    ),
    ("ph", "Hospital pharmacy placement", Area.PHARMACY, Kind.PLACEMENT, 16, False, [], 2, 4, 3, {}),
    ("ph", "Pharmacy technician taster day", Area.PHARMACY, Kind.INSIGHT_DAY, 16, False, [], 10, 2, 1, {}),
    (
        "lab",
        "Biomedical science in the pathology lab",
        Area.HEALTHCARE_SCIENCE,
        Kind.PLACEMENT,
        17,
        False,
        ["hep_b"],
        2,
        4,
        5,
        {},
    ),
    (
        "lab",
        "Virtual tour: how a blood sample is tested",
        Area.HEALTHCARE_SCIENCE,
        Kind.VIRTUAL,
        14,
        False,
        [],
        60,
        2,
        1,
        {},
    ),
    ("th", "Physiotherapy work experience", Area.ALLIED_HEALTH, Kind.PLACEMENT, 16, False, [], 2, 4, 5, {}),
    ("th", "Occupational therapy placement", Area.ALLIED_HEALTH, Kind.PLACEMENT, 16, False, [], 2, 3, 4, {}),
    (
        "th",
        "Speech and language therapy insight day",
        Area.ALLIED_HEALTH,
        Kind.INSIGHT_DAY,
        16,
        False,
        [],
        12,
        2,
        1,
        {},
    ),
    ("th", "Radiography: imaging department placement", Area.ALLIED_HEALTH, Kind.PLACEMENT, 17, False, [], 1, 4, 3, {}),
    (
        "mat",
        "Midwifery placement on the maternity unit",
        Area.MIDWIFERY,
        Kind.PLACEMENT,
        17,
        True,
        ["hep_b", "mmr"],
        2,
        4,
        5,
        {"requires_occupational_health": True},
    ),
    ("mat", "Midwifery insight evening", Area.MIDWIFERY, Kind.INSIGHT_DAY, 16, False, [], 25, 2, 1, {}),
    (
        "mh",
        "Mental health nursing in the community",
        Area.MENTAL_HEALTH,
        Kind.PLACEMENT,
        18,
        True,
        [],
        2,
        3,
        5,
        {"daily_hours": 7.5},
    ),
    (
        "mh",
        "Mental health services insight day",
        Area.MENTAL_HEALTH,
        Kind.INSIGHT_DAY,
        16,
        False,
        [],
        15,
        2,
        1,
        {"widening_participation_priority": True},
    ),
    ("amb", "Urgent care and ambulance handover", Area.PARAMEDIC, Kind.PLACEMENT, 17, True, ["mmr"], 2, 4, 5, {}),
    ("amb", "Paramedic science virtual session", Area.PARAMEDIC, Kind.VIRTUAL, 14, False, [], 80, 3, 1, {}),
    ("corp", "NHS digital and data team placement", Area.NON_CLINICAL, Kind.PLACEMENT, 16, False, [], 3, 4, 5, {}),
    ("corp", "Finance and estates insight day", Area.NON_CLINICAL, Kind.INSIGHT_DAY, 16, False, [], 15, 2, 1, {}),
    (
        "corp",
        "Hospital admin and reception placement",
        Area.NON_CLINICAL,
        Kind.PLACEMENT,
        16,
        False,
        [],
        3,
        4,
        5,
        {"widening_participation_priority": True},
    ),
    (
        "home",
        "Care assistant in a residential home",
        Area.SOCIAL_CARE,
        Kind.PLACEMENT,
        16,
        True,
        ["flu"],
        3,
        5,
        5,
        {"widening_participation_priority": True},
    ),
    ("home", "Activities coordinator assistant", Area.SOCIAL_CARE, Kind.PLACEMENT, 16, False, [], 2, 4, 3, {}),
    ("dom", "Shadow a home care worker", Area.SOCIAL_CARE, Kind.PLACEMENT, 18, True, [], 2, 4, 5, {}),
    ("dom", "Careers in social care insight day", Area.SOCIAL_CARE, Kind.INSIGHT_DAY, 16, False, [], 20, 2, 1, {}),
    (
        "sim",
        "Simulation session: basic life support and patient care",
        Area.NURSING,
        Kind.SIMULATION,
        16,
        False,
        [],
        12,
        5,
        1,
        {},
    ),
    (
        "sim",
        "Simulation session: a day on a hospital ward",
        Area.MEDICINE,
        Kind.SIMULATION,
        16,
        False,
        [],
        12,
        4,
        1,
        {},
    ),
    (
        "skills",
        "Clinical skills lab: healthcare assistant skills",
        Area.NURSING,
        Kind.SIMULATION,
        16,
        False,
        [],
        10,
        4,
        1,
        {},
    ),
]
STALE_TITLE = "Physiotherapy work experience"
# Nearly full: most places already booked, so the finder shows "1 left".
NEARLY_FULL_TITLES = {"Shadow an emergency department nurse", "Hospital pharmacy placement"}


def _next_monday(today):
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def seed_capacity(organisations: dict[str, Organisation]) -> int:
    """Create or refresh demo sites, departments, opportunities and cohorts. Returns how many opportunities."""
    today = timezone.localdate()
    sites = {}
    for key, (org_key, name, address, postcode, borough) in SITES.items():
        sites[key] = Site.objects.update_or_create(
            organisation=organisations[org_key],
            name=name,
            defaults={"address": address, "postcode": postcode, "borough": borough},
        )[0]
    departments = {}
    for key, (site_key, name, setting) in DEPARTMENTS.items():
        site = sites[site_key]
        departments[key] = Department.objects.update_or_create(
            organisation=site.organisation, name=name, defaults={"site": site, "setting": setting}
        )[0]

    # After the demo round's matching date, so every cohort can be matched.
    first_monday = _next_monday(today) + timedelta(weeks=4)
    for dept_key, title, area, kind, min_age, dbs, vaccinations, places, weeks, days, extra in OPPORTUNITIES:
        department = departments[dept_key]
        confirmed = today - timedelta(days=90) if title == STALE_TITLE else today
        opportunity, _ = Opportunity.objects.update_or_create(
            organisation=department.organisation,
            title=title,
            defaults={
                "site": department.site,
                "department": department,
                "profession_area": area,
                "kind": kind,
                "min_age": min_age,
                "requires_dbs": dbs,
                "required_vaccinations": vaccinations,
                "description": f"{title} with {department.organisation.name}. Open to students and adults thinking "
                f"about a career in {area.label.lower()}.",
                "activities": "Meet the team, shadow staff through a normal day, and talk to people about how they "
                "trained. You will not do any clinical tasks yourself.",
                "dress_code": "Smart and comfortable, flat closed shoes, no jewellery except a plain ring.",
                "daily_hours": extra.get("daily_hours", 6 if days > 1 else 5),
                "requires_occupational_health": extra.get("requires_occupational_health", False),
                "widening_participation_priority": extra.get("widening_participation_priority", False),
                "status": OpportunityStatus.PUBLISHED,
                "last_confirmed_on": confirmed,
            },
        )
        for week in range(weeks):
            start = first_monday + timedelta(weeks=week * 2)
            cohort, created = Cohort.objects.get_or_create(
                opportunity=opportunity,
                start_date=start,
                defaults={
                    "end_date": start + timedelta(days=days - 1),
                    "capacity": places,
                    "application_deadline": start - timedelta(days=14),
                },
            )
            if created and title in NEARLY_FULL_TITLES and week == 0:
                Cohort.objects.filter(pk=cohort.pk).update(booked=places - 1)
    return len(OPPORTUNITIES)


def seed_round() -> Round:
    """One round open for applications today, matching in three weeks, placements over the next six months."""
    today = timezone.localdate()
    placements_from = _next_monday(today) + timedelta(weeks=4)
    round_, _ = Round.objects.update_or_create(
        name="Demo round",
        defaults={
            "applications_open_on": today - timedelta(days=14),
            "applications_close_on": today + timedelta(days=20),
            "matching_on": today + timedelta(days=21),
            "outcomes_by": today + timedelta(days=28),
            "placements_from": placements_from,
            "placements_to": placements_from + timedelta(weeks=26),
        },
    )
    return round_


# (email, first name, college key, status, placement kind): one demo student in every status, so every
# role's pages have something to show. Placement kind: None, "future" (a cohort to come) or "now"/"past".
DEMO_APPLICANTS = [
    ("student@demo.test", "Amara", "college_a", Status.OFFERED, "future"),
    ("student.b@demo.test", "Bilal", "college_b", Status.READY_FOR_MATCHING, None),
    ("demo.draft@demo.test", "Dara", "college_a", Status.DRAFT, None),
    ("demo.consent@demo.test", "Cleo", "college_a", Status.AWAITING_CONSENT, None),
    ("demo.matched@demo.test", "Mo", "college_a", Status.MATCHED, "future"),
    ("demo.accepted@demo.test", "Ada", "college_b", Status.ACCEPTED, "future"),
    ("demo.confirmed@demo.test", "Cal", "college_a", Status.CONFIRMED, "future"),
    ("demo.inprogress@demo.test", "Ines", "college_b", Status.IN_PROGRESS, "now"),
    ("demo.completed@demo.test", "Cora", "college_a", Status.COMPLETED, "past"),
    ("demo.dna@demo.test", "Dev", "college_b", Status.DID_NOT_ATTEND, "past"),
    ("demo.unsuccessful@demo.test", "Uma", "college_a", Status.UNSUCCESSFUL, None),
    ("demo.declined@demo.test", "Dan", "college_b", Status.DECLINED, None),
    ("demo.expired@demo.test", "Eve", "college_a", Status.EXPIRED, None),
    ("demo.withdrawn@demo.test", "Will", "college_b", Status.WITHDRAWN, None),
    ("demo.cancelledhost@demo.test", "Hana", "college_a", Status.CANCELLED_BY_HOST, None),
    ("demo.cancelledstudent@demo.test", "Sid", "college_b", Status.CANCELLED_BY_STUDENT, None),
]


# Students who accepted a place at some point: they hold a booked seat and gave an emergency contact.
HOLDERS = (Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS, Status.COMPLETED, Status.DID_NOT_ATTEND)


def seed_applications(organisations: dict[str, Organisation], round_: Round) -> int:
    """One application per demo student, in the status above, with its timeline and (where needed) a placement."""
    today = timezone.localdate()
    opportunity = Opportunity.objects.get(
        organisation=organisations["trust_a"], title="Healthcare support on an elderly care ward"
    )
    future = opportunity.cohorts.filter(start_date__gt=today).order_by("start_date").first()
    now_cohort, _ = Cohort.objects.get_or_create(
        opportunity=opportunity,
        start_date=today - timedelta(days=1),
        defaults={
            "end_date": today + timedelta(days=3),
            "capacity": 4,
            "application_deadline": today - timedelta(days=15),
        },
    )
    past_cohort, _ = Cohort.objects.get_or_create(
        opportunity=opportunity,
        start_date=today - timedelta(days=21),
        defaults={
            "end_date": today - timedelta(days=17),
            "capacity": 4,
            "application_deadline": today - timedelta(days=35),
        },
    )
    cohorts = {"future": future, "now": now_cohort, "past": past_cohort}
    for email, first_name, college_key, status, kind in DEMO_APPLICANTS:
        college = organisations[college_key]
        student, created = User.objects.get_or_create(
            email=email, defaults={"role": Role.STUDENT, "organisation": college}
        )
        if created or not student.password:
            student.set_password(DEMO_PASSWORD)
        student.first_name, student.last_name, student.organisation = first_name, "Demo", college
        student.email_verified_at = student.email_verified_at or timezone.now()
        student.save()
        application, created = Application.objects.get_or_create(
            student=student,
            round=round_,
            defaults={
                "first_name": first_name,
                "last_name": "Demo",
                "college": college,
                "date_of_birth": today.replace(year=today.year - 17),
                "home_district": "SE5",
                "profession_areas": ["nursing", "social_care"],
                "available_from": round_.placements_from,
                "available_to": round_.placements_to,
                "dbs_status": "none",
                "supporting_statement": "I want to see how nurses and carers look after older people. " * 2,
                "digital_skills": {"email": "confident", "data_safety": "some_help"},
                "guardian_email": "parent@demo.test",
                "declaration_true": True,
                "declaration_share": True,
                "emergency_contact_name": "Pat Demo" if status in HOLDERS else "",
                "emergency_contact_phone": "07700 900000" if status in HOLDERS else "",
                "submitted_at": None if status == Status.DRAFT else timezone.now(),
            },
        )
        if created:
            WideningParticipation.objects.create(application=application)
            if status not in (Status.DRAFT, Status.AWAITING_CONSENT):
                GuardianConsent.objects.create(
                    application=application,
                    guardian_email="parent@demo.test",
                    token_hash=hashlib.sha256(f"demo-consent-{application.pk}".encode()).hexdigest(),
                    expires_at=timezone.now(),
                    given_at=timezone.now(),
                    guardian_name="Pat Demo",
                    relationship="Parent",
                )
            StatusChange.objects.create(application=application, to_status=Status.DRAFT, reason="Demo data")
            if status != Status.DRAFT:
                StatusChange.objects.create(
                    application=application, from_status=Status.DRAFT, to_status=status, reason="Demo data"
                )
        Application.objects.filter(pk=application.pk).update(status=status)
        cohort = cohorts.get(kind)
        if cohort and not application.placements.exists():
            holds = status in HOLDERS
            Placement.objects.create(
                application=application,
                cohort=cohort,
                offered_at=timezone.now() if status != Status.MATCHED else None,
                offer_expires_at=timezone.now() + timedelta(days=5) if status == Status.OFFERED else None,
                accepted_at=timezone.now() if holds else None,
                booked_seat=holds,
                confirmed_at=timezone.now()
                if status in (Status.CONFIRMED, Status.IN_PROGRESS, Status.COMPLETED)
                else None,
                completed_at=timezone.now() if status == Status.COMPLETED else None,
                host_feedback="Curious, kind and always on time." if status == Status.COMPLETED else "",
                joining_instructions="Main reception, 8:45am. Ask for the ward manager." if holds else "",
            )
            if holds:
                Cohort.objects.filter(pk=cohort.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    return len(DEMO_APPLICANTS)
