"""The fixed lists simulation suites use: equipment, audiences, topics and statuses."""

from __future__ import annotations

from datetime import timedelta

from django.db import models


class Equipment(models.TextChoices):
    MANIKINS = "manikins", "Manikins"
    HOSPITAL_BEDS = "hospital_beds", "Hospital beds"
    HOISTS = "hoists", "Hoists"
    HOME_CARE_FLAT = "home_care_flat", "Home-care flat"
    DEBRIEF_ROOM = "debrief_room", "Debrief room"


class Audience(models.TextChoices):
    CARE_STAFF = "care_staff", "Care staff"
    NON_CLINICAL_STAFF = "non_clinical_staff", "Non-clinical staff"
    CLINICAL_SUPPORT_STAFF = "clinical_support_staff", "Clinical support staff"
    STUDENTS = "students", "Students"


class Topic(models.TextChoices):
    """What a session is about: the catalogue finder's topic filter (and step 10's learning plans)."""

    MOVING_AND_HANDLING = "moving_and_handling", "Moving and handling"
    DETERIORATING_PATIENT = "deteriorating_patient", "Recognising a deteriorating person"
    BASIC_LIFE_SUPPORT = "basic_life_support", "Basic life support"
    DEMENTIA = "dementia", "Dementia care"
    END_OF_LIFE = "end_of_life", "End-of-life care"
    INFECTION_PREVENTION = "infection_prevention", "Infection prevention and control"
    MEDICINES = "medicines", "Medicines"
    COMMUNICATION = "communication", "Communication and customer care"
    DIGITAL = "digital", "Digital and data skills"
    CAREERS = "careers", "Careers in health and care (insight days)"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    # Closed by the college: it still runs for those booked, but takes no new bookings.
    CLOSED = "closed", "Closed to bookings"


class CancelledReason(models.TextChoices):
    BELOW_MINIMUM = "below_minimum", "Too few people had booked by the cut-off"
    BY_COLLEGE = "by_college", "Cancelled by the college"


class SelfBooking(models.TextChoices):
    """May an employer's staff book seats for themselves?"""

    OFF = "off", "No: only training coordinators book"
    WITH_APPROVAL = "with_approval", "Yes, once a coordinator at the organisation approves"
    WITHOUT_APPROVAL = "without_approval", "Yes, without approval"


class AttendeeStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
    CANCELLED = "cancelled", "Cancelled"


class Attendance(models.TextChoices):
    UNMARKED = "unmarked", "Not marked yet"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    BOOKED = "booked", "Given seats"
    WITHDRAWN = "withdrawn", "Withdrawn"
    LAPSED = "lapsed", "Closed at the cut-off"


# Confirm a catalogue entry's details at least this often, or its sessions leave the public catalogue
# (as placement capacity does: placements.models.capacity.STALE_AFTER).
STALE_AFTER = timedelta(days=60)
