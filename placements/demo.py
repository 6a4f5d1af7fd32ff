"""Demo capacity for ``seed_demo``: sites, departments and 25+ opportunities across the taxonomy.

Cohorts start on Mondays over the coming weeks, so the finder always has something to show.
Two are nearly full (a demo student accepted a place), and one opportunity is stale (not confirmed for
90 days) to show the flag.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organisation
from placements.demo_journeys import next_monday
from placements.models import Cohort, Department, Opportunity, OpportunityStatus, Round, Site
from placements.taxonomy import DepartmentSetting as Setting
from placements.taxonomy import OpportunityKind as Kind
from placements.taxonomy import ProfessionArea as Area

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
# Two cohorts look nearly full ("1 left") because a demo student really accepted one of their two places
# (see placements/demo_journeys.py): Ada on the pharmacy placement, Cal with the activities coordinator.


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
    first_monday = next_monday(today) + timedelta(weeks=4)
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
            Cohort.objects.get_or_create(
                opportunity=opportunity,
                start_date=start,
                defaults={
                    "end_date": start + timedelta(days=days - 1),
                    "capacity": places,
                    "application_deadline": start - timedelta(days=14),
                },
            )
    return len(OPPORTUNITIES)


def seed_round() -> Round:
    """One round open for applications today (for nine weeks already), matching in three weeks; its placements
    began five weeks ago, so demo students can be part-way through or finished, and run for thirty weeks ahead.

    Once the round has applications its dates are left alone: the demo story was told against them.
    """
    today = timezone.localdate()
    monday = next_monday(today)
    dates = {
        "applications_open_on": today - timedelta(weeks=9),
        "applications_close_on": today + timedelta(days=20),
        "matching_on": today + timedelta(days=21),
        "outcomes_by": today + timedelta(days=28),
        "placements_from": monday - timedelta(weeks=5),
        "placements_to": monday + timedelta(weeks=30),
    }
    round_, created = Round.objects.get_or_create(name="Demo round", defaults=dates)
    if not created and not round_.applications.exists():
        Round.objects.filter(pk=round_.pk).update(**dates)
        round_.refresh_from_db()
    return round_
