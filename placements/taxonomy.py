"""Fixed vocabularies shared by opportunities, applications and reports."""

from django.db import models


class ProfessionArea(models.TextChoices):
    NURSING = "nursing", "Nursing"
    MIDWIFERY = "midwifery", "Midwifery"
    ALLIED_HEALTH = "allied_health", "Allied health professions"
    MEDICINE = "medicine", "Medicine"
    PHARMACY = "pharmacy", "Pharmacy"
    HEALTHCARE_SCIENCE = "healthcare_science", "Healthcare science"
    PARAMEDIC = "paramedic", "Paramedic and ambulance"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SOCIAL_CARE = "social_care", "Social care"
    NON_CLINICAL = "non_clinical", "Non-clinical support (admin, estates, digital, finance)"


class OpportunityKind(models.TextChoices):
    PLACEMENT = "placement", "In-person placement"
    SIMULATION = "simulation", "Simulation session"
    INSIGHT_DAY = "insight_day", "Insight day"
    VIRTUAL = "virtual", "Virtual"


class Vaccination(models.TextChoices):
    HEP_B = "hep_b", "Hepatitis B"
    MMR = "mmr", "MMR (measles, mumps and rubella)"
    VARICELLA = "varicella", "Chickenpox (varicella)"
    TB = "tb", "Tuberculosis (BCG)"
    FLU = "flu", "Seasonal flu"
    COVID = "covid", "COVID-19"


class DepartmentSetting(models.TextChoices):
    EMERGENCY = "emergency", "Emergency department"
    WARD = "ward", "Hospital ward"
    OUTPATIENTS = "outpatients", "Outpatients clinic"
    THEATRES = "theatres", "Operating theatres"
    PHARMACY = "pharmacy", "Pharmacy"
    LABORATORY = "laboratory", "Laboratory"
    THERAPIES = "therapies", "Therapies"
    COMMUNITY = "community", "Community team"
    RESIDENTIAL_CARE = "residential_care", "Residential care home"
    DOMICILIARY_CARE = "domiciliary_care", "Domiciliary (home) care team"
    SIMULATION_SUITE = "simulation_suite", "Simulation suite"
    CORPORATE = "corporate", "Corporate services"
    OTHER = "other", "Other"


LONDON_BOROUGHS = [
    "Barking and Dagenham",
    "Barnet",
    "Bexley",
    "Brent",
    "Bromley",
    "Camden",
    "City of London",
    "Croydon",
    "Ealing",
    "Enfield",
    "Greenwich",
    "Hackney",
    "Hammersmith and Fulham",
    "Haringey",
    "Harrow",
    "Havering",
    "Hillingdon",
    "Hounslow",
    "Islington",
    "Kensington and Chelsea",
    "Kingston upon Thames",
    "Lambeth",
    "Lewisham",
    "Merton",
    "Newham",
    "Redbridge",
    "Richmond upon Thames",
    "Southwark",
    "Sutton",
    "Tower Hamlets",
    "Waltham Forest",
    "Wandsworth",
    "Westminster",
]
