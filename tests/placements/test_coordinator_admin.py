"""The coordinator admin at /coordinator/: who gets in, what they see, and what they can change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from placements.models import Cohort, Department, Opportunity, OpportunityStatus, Site
from placements.models.capacity import STALE_AFTER
from placements.taxonomy import OpportunityKind, ProfessionArea, Vaccination
from tests import factories

MODELS = ("site", "department", "opportunity", "cohort")
TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"coordinator:{name}", args=args)


def admin_url(model, view, *args):
    return url(f"placements_{model}_{view}", *args)


@pytest.fixture
def x(trust):
    """Trust X's capacity: a site, a department, an opportunity and one cohort."""
    site = factories.SiteFactory(organisation=trust, name="Denmark Hill")
    department = factories.DepartmentFactory(site=site, name="Emergency Department")
    opportunity = factories.OpportunityFactory(site=site, department=department, title="Shadow a ward nurse")
    cohort = factories.CohortFactory(opportunity=opportunity, capacity=6)
    return {"site": site, "department": department, "opportunity": opportunity, "cohort": cohort}


@pytest.fixture
def y(other_trust):
    site = factories.SiteFactory(organisation=other_trust, name="Y General")
    department = factories.DepartmentFactory(site=site, name="Y Pharmacy")
    opportunity = factories.OpportunityFactory(site=site, department=department, title="Y pharmacy insight day")
    cohort = factories.CohortFactory(opportunity=opportunity)
    return {"site": site, "department": department, "opportunity": opportunity, "cohort": cohort}


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def opportunity_form_data(opportunity, cohorts=(), extra_cohorts=(), **overrides):
    """What the opportunity change page posts, with its dates-and-places rows."""
    data = {
        "title": opportunity.title,
        "profession_area": opportunity.profession_area,
        "kind": opportunity.kind,
        "description": opportunity.description,
        "activities": opportunity.activities,
        "site": opportunity.site_id,
        "department": opportunity.department_id or "",
        "min_age": opportunity.min_age,
        "daily_hours": str(opportunity.daily_hours),
        "required_vaccinations": list(opportunity.required_vaccinations),
        "dress_code": opportunity.dress_code,
        "status": opportunity.status,
        "last_confirmed_on": opportunity.last_confirmed_on.isoformat(),
        "cohorts-TOTAL_FORMS": len(cohorts) + len(extra_cohorts),
        "cohorts-INITIAL_FORMS": len(cohorts),
        "cohorts-MIN_NUM_FORMS": 0,
        "cohorts-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for index, cohort in enumerate([*cohorts, *extra_cohorts]):
        data.update(
            {
                f"cohorts-{index}-id": cohort.get("id", ""),
                f"cohorts-{index}-opportunity": opportunity.pk,
                f"cohorts-{index}-start_date": cohort["start_date"],
                f"cohorts-{index}-end_date": cohort["end_date"],
                f"cohorts-{index}-capacity": cohort["capacity"],
                f"cohorts-{index}-application_deadline": cohort["application_deadline"],
            }
        )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def cohort_row(cohort, **overrides):
    row = {
        "id": cohort.pk,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "capacity": cohort.capacity,
        "application_deadline": cohort.application_deadline.isoformat(),
    }
    return {**row, **overrides}


def cohort_form_data(cohort, **overrides):
    data = {
        "opportunity": cohort.opportunity_id,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "capacity": cohort.capacity,
        "application_deadline": cohort.application_deadline.isoformat(),
        "_save": "Save",
    }
    return {**data, **overrides}


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Who gets in ------------------------------------------------------------------------------------------

PAGES = [url_args for model in MODELS for url_args in ((model, "changelist"), (model, "add"))] + [
    ("cohort", "import"),
    ("cohort", "export"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", ["anonymous", "student", "tutor", "coordinator", "admin", "staff", "partner"])
def test_each_visitor_gets_the_expected_answer_from_every_coordinator_page(client, personas, visitor):
    if visitor != "anonymous":
        client.force_login(personas[visitor])
    pages = [url("index"), *(admin_url(model, view) for model, view in PAGES)]
    wrong = []
    for page in pages:
        response = client.get(page)
        if visitor == "anonymous":
            ok = response.status_code == 302 and response.url.startswith(f"{reverse('accounts:login')}?next=")
        elif visitor == "coordinator":
            ok = response.status_code == 200
        else:
            ok = response.status_code == 404
        if not ok:
            wrong.append(f"{page}: got {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_our_sign_in_page_and_back(client):
    response = client.get(admin_url("opportunity", "changelist"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/coordinator/placements/opportunity/"


@pytest.mark.django_db
def test_the_admin_login_page_hands_over_to_our_sign_in_page(client):
    response = client.get(url("login") + "?next=/coordinator/placements/site/")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/coordinator/placements/site/"


@pytest.mark.django_db
def test_deactivated_coordinator_is_signed_out(client, coordinator):
    client.force_login(coordinator)
    coordinator.is_active = False
    coordinator.save()
    response = client.get(url("index"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_coordinator_is_not_staff_and_still_cannot_reach_the_site_admin(coordinator_client, coordinator):
    assert coordinator.is_staff is False
    response = coordinator_client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.django_db
def test_title_names_the_coordinators_organisation(coordinator_client):
    response = coordinator_client.get(url("index"))
    assert "Manage your placements – Trust X" in response.content.decode()


# --- What they see ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_coordinator_sees_only_their_own_organisations_rows(coordinator_client, x, y, model):
    response = coordinator_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == {x[model]}


@pytest.mark.django_db
def test_coordinator_list_filter_choices_do_not_name_other_organisations_sites(coordinator_client, x, y):
    page = coordinator_client.get(admin_url("opportunity", "changelist")).content.decode()
    assert "Denmark Hill" in page
    assert "Y General" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_other_trust_coordinator_gets_404_on_trust_x_objects(client, other_trust_coordinator, x, model, view):
    client.force_login(other_trust_coordinator)
    assert client.get(admin_url(model, view, x[model].pk)).status_code == 404
    assert client.post(admin_url(model, view, x[model].pk), {"post": "yes"}).status_code == 404
    assert Site.objects.filter(pk=x["site"].pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["site", "opportunity", "cohort"])
def test_other_trust_coordinator_gets_404_on_trust_x_history_entries(client, other_trust_coordinator, x, model):
    record = x[model].history.latest()
    client.force_login(other_trust_coordinator)
    response = client.get(admin_url(model, "simple_history", x[model].pk, record.history_id))
    assert response.status_code == 404


@pytest.mark.django_db
def test_objects_that_do_not_exist_are_404_not_a_redirect(coordinator_client):
    assert coordinator_client.get(admin_url("opportunity", "change", 999999)).status_code == 404


@pytest.mark.django_db
def test_other_trust_coordinators_filters_cannot_reach_trust_x_rows(client, other_trust_coordinator, x):
    client.force_login(other_trust_coordinator)
    response = client.get(admin_url("cohort", "changelist"), {"opportunity__id__exact": x["opportunity"].pk})
    assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
def test_foreign_key_choices_are_limited_to_own_organisation(coordinator_client, x, y):
    form = coordinator_client.get(admin_url("opportunity", "add")).context["adminform"].form
    assert set(form.fields["site"].queryset) == {x["site"]}
    assert set(form.fields["department"].queryset) == {x["department"]}
    assert "organisation" not in form.fields
    cohort_form = coordinator_client.get(admin_url("cohort", "add")).context["adminform"].form
    assert set(cohort_form.fields["opportunity"].queryset) == {x["opportunity"]}
    department_form = coordinator_client.get(admin_url("department", "add")).context["adminform"].form
    assert set(department_form.fields["site"].queryset) == {x["site"]}


@pytest.mark.django_db
def test_posting_another_organisations_site_is_refused(coordinator_client, x, y):
    data = opportunity_form_data(x["opportunity"], site=y["site"].pk)
    response = coordinator_client.post(admin_url("opportunity", "change", x["opportunity"].pk), data)
    assert response.status_code == 200
    assert "site" in response.context["adminform"].form.errors
    x["opportunity"].refresh_from_db()
    assert x["opportunity"].site == x["site"]


@pytest.mark.django_db
def test_site_admin_sees_every_organisations_rows_in_the_site_admin(client, site_admin, x, y):
    client.force_login(site_admin)
    for model in MODELS:
        response = client.get(reverse(f"admin:placements_{model}_changelist"))
        assert set(response.context["cl"].result_list) == {x[model], y[model]}


@pytest.mark.django_db
def test_site_admin_edits_any_organisations_opportunity_in_the_site_admin(client, site_admin, y):
    client.force_login(site_admin)
    opportunity = y["opportunity"]
    change_url = reverse("admin:placements_opportunity_change", args=[opportunity.pk])
    assert "organisation" in client.get(change_url).context["adminform"].form.fields
    data = opportunity_form_data(
        opportunity, title="Renamed by the site admin", organisation=opportunity.organisation_id
    )
    assert client.post(change_url, data).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Renamed by the site admin"


# --- Adding and changing ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_new_site_belongs_to_the_coordinators_organisation(coordinator_client, trust):
    response = coordinator_client.post(
        admin_url("site", "add"),
        {
            "name": "Denmark Hill",
            "address": "Denmark Hill, London",
            "postcode": "se59rs",
            "borough": "Southwark",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    site = Site.objects.get()
    assert site.organisation == trust
    assert site.postcode == "SE5 9RS"


@pytest.mark.django_db
def test_duplicate_site_name_is_a_message_not_a_crash(coordinator_client, x):
    response = coordinator_client.post(
        admin_url("site", "add"),
        {
            "name": "Denmark Hill",
            "address": "Elsewhere",
            "postcode": "SE5 9RS",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == ["You already have a site with this name."]


@pytest.mark.django_db
def test_new_department_belongs_to_the_coordinators_organisation(coordinator_client, trust, x):
    response = coordinator_client.post(
        admin_url("department", "add"),
        {
            "name": "Pharmacy",
            "site": x["site"].pk,
            "setting": "pharmacy",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert Department.objects.get(name="Pharmacy").organisation == trust


@pytest.mark.django_db
def test_new_opportunity_gets_organisation_and_vaccinations_from_checkboxes(coordinator_client, trust, x):
    template = factories.OpportunityFactory.build(
        site=x["site"],
        title="Radiography insight day",
        profession_area=ProfessionArea.ALLIED_HEALTH,
        kind=OpportunityKind.INSIGHT_DAY,
        status=OpportunityStatus.DRAFT,
    )
    data = opportunity_form_data(template, required_vaccinations=[Vaccination.MMR, Vaccination.FLU])
    response = coordinator_client.post(admin_url("opportunity", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Opportunity.objects.get(title="Radiography insight day")
    assert created.organisation == trust
    assert sorted(created.required_vaccinations) == ["flu", "mmr"]


@pytest.mark.django_db
def test_vaccinations_are_offered_as_checkboxes(coordinator_client, x):
    page = coordinator_client.get(admin_url("opportunity", "change", x["opportunity"].pk)).content.decode()
    assert 'type="checkbox" name="required_vaccinations" value="hep_b"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"min_age": 13}, "min_age", "The minimum age cannot be below 14."),
        (
            {"min_age": 16, "daily_hours": "9"},
            "daily_hours",
            "Under-18s can work at most 8 hours a day. Lower the hours or raise the minimum age to 18.",
        ),
    ],
)
def test_age_and_hours_rules_show_next_to_the_field(coordinator_client, x, overrides, field, message):
    data = opportunity_form_data(x["opportunity"], **overrides)
    response = coordinator_client.post(admin_url("opportunity", "change", x["opportunity"].pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]


@pytest.mark.django_db
def test_adults_only_opportunity_may_run_longer_days(coordinator_client, x):
    data = opportunity_form_data(x["opportunity"], min_age=18, daily_hours="10")
    response = coordinator_client.post(admin_url("opportunity", "change", x["opportunity"].pk), data)
    assert response.status_code == 302
    x["opportunity"].refresh_from_db()
    assert x["opportunity"].daily_hours == Decimal("10")


@pytest.mark.django_db
def test_cohort_added_inline_with_the_opportunity(coordinator_client, x):
    cohort = x["cohort"]
    start = cohort.start_date + dt.timedelta(days=7)
    new = {
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=4)).isoformat(),
        "capacity": 3,
        "application_deadline": (start - dt.timedelta(days=7)).isoformat(),
    }
    data = opportunity_form_data(x["opportunity"], cohorts=[cohort_row(cohort)], extra_cohorts=[new])
    response = coordinator_client.post(admin_url("opportunity", "change", x["opportunity"].pk), data)
    assert response.status_code == 302
    assert list(x["opportunity"].cohorts.values_list("start_date", "capacity")) == [(cohort.start_date, 6), (start, 3)]


# --- Places never below bookings -------------------------------------------------------------------------------

BELOW_BOOKED = "5 places are already booked. Places cannot be fewer than 5."


@pytest.mark.django_db
def test_places_below_booked_on_the_cohort_page_is_a_message_and_nothing_is_saved(coordinator_client, x):
    cohort = x["cohort"]
    Cohort.objects.filter(pk=cohort.pk).update(booked=5)
    data = cohort_form_data(cohort, capacity=4, end_date=(cohort.end_date + dt.timedelta(days=1)).isoformat())
    response = coordinator_client.post(admin_url("cohort", "change", cohort.pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == [BELOW_BOOKED]
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.booked, cohort.end_date) == (6, 5, x["cohort"].end_date)


@pytest.mark.django_db
def test_booking_made_after_the_form_was_opened_wins(coordinator_client, x):
    cohort = x["cohort"]
    assert coordinator_client.get(admin_url("cohort", "change", cohort.pk)).status_code == 200
    Cohort.objects.filter(pk=cohort.pk).update(booked=5)  # a student books while the form is open
    response = coordinator_client.post(admin_url("cohort", "change", cohort.pk), cohort_form_data(cohort, capacity=4))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == [BELOW_BOOKED]
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.booked) == (6, 5)


def _book_between_validation_and_save(cohort_pk, booked):
    """Make a booking land after the form has validated but before places are written: the race itself."""
    original_clean = Cohort.clean

    def clean_then_someone_books(self):
        original_clean(self)
        if self.pk == cohort_pk:
            Cohort.objects.filter(pk=cohort_pk).update(booked=booked)

    return clean_then_someone_books


@pytest.mark.django_db
def test_booking_racing_the_save_on_the_cohort_page_saves_nothing(coordinator_client, x, monkeypatch):
    cohort = x["cohort"]
    monkeypatch.setattr(Cohort, "clean", _book_between_validation_and_save(cohort.pk, 5))
    new_end = (cohort.end_date + dt.timedelta(days=1)).isoformat()
    response = coordinator_client.post(
        admin_url("cohort", "change", cohort.pk), cohort_form_data(cohort, capacity=4, end_date=new_end)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == [BELOW_BOOKED]
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.end_date) == (6, x["cohort"].end_date)


@pytest.mark.django_db
def test_booking_racing_the_save_on_the_opportunity_page_saves_nothing(coordinator_client, x, monkeypatch):
    cohort, opportunity = x["cohort"], x["opportunity"]
    monkeypatch.setattr(Cohort, "clean", _book_between_validation_and_save(cohort.pk, 5))
    data = opportunity_form_data(opportunity, cohorts=[cohort_row(cohort, capacity=4)], title="Renamed")
    response = coordinator_client.post(admin_url("opportunity", "change", opportunity.pk), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors["capacity"] == [BELOW_BOOKED]
    opportunity.refresh_from_db()
    cohort.refresh_from_db()
    assert (opportunity.title, cohort.capacity) == ("Shadow a ward nurse", 6)


@pytest.mark.django_db
def test_places_can_be_lowered_to_exactly_the_number_booked(coordinator_client, x):
    cohort = x["cohort"]
    Cohort.objects.filter(pk=cohort.pk).update(booked=5)
    response = coordinator_client.post(admin_url("cohort", "change", cohort.pk), cohort_form_data(cohort, capacity=5))
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.booked) == (5, 5)


@pytest.mark.django_db
def test_saving_other_details_never_overwrites_bookings(coordinator_client, x, monkeypatch):
    cohort = x["cohort"]
    monkeypatch.setattr(Cohort, "clean", _book_between_validation_and_save(cohort.pk, 2))
    new_end = (cohort.end_date + dt.timedelta(days=1)).isoformat()
    response = coordinator_client.post(
        admin_url("cohort", "change", cohort.pk), cohort_form_data(cohort, end_date=new_end)
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.booked, cohort.end_date.isoformat()) == (2, new_end)


@pytest.mark.django_db
def test_booked_cohort_cannot_be_deleted(coordinator_client, x):
    cohort = x["cohort"]
    Cohort.objects.filter(pk=cohort.pk).update(booked=1)
    assert coordinator_client.post(admin_url("cohort", "delete", cohort.pk), {"post": "yes"}).status_code == 403
    data = opportunity_form_data(x["opportunity"], cohorts=[cohort_row(cohort)], **{"cohorts-0-DELETE": "on"})
    response = coordinator_client.post(admin_url("opportunity", "change", x["opportunity"].pk), data)
    assert response.status_code == 200
    assert Cohort.objects.filter(pk=cohort.pk).exists()


@pytest.mark.django_db
def test_unbooked_cohort_can_be_deleted(coordinator_client, x):
    response = coordinator_client.post(admin_url("cohort", "delete", x["cohort"].pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Cohort.objects.filter(pk=x["cohort"].pk).exists()


# --- History ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_history_shows_who_changed_what(coordinator_client, coordinator, x):
    opportunity = x["opportunity"]
    data = opportunity_form_data(opportunity, title="Shadow a children's nurse")
    assert coordinator_client.post(admin_url("opportunity", "change", opportunity.pk), data).status_code == 302
    page = coordinator_client.get(admin_url("opportunity", "history", opportunity.pk)).content.decode()
    assert coordinator.email in page
    assert "Shadow a children&#x27;s nurse" in page
    record = opportunity.history.latest()
    assert record.history_user == coordinator


@pytest.mark.django_db
def test_history_entry_cannot_be_used_to_revert(coordinator_client, x):
    cohort = x["cohort"]
    record = cohort.history.latest()
    page_url = admin_url("cohort", "simple_history", cohort.pk, record.history_id)
    assert coordinator_client.get(page_url).status_code == 200
    assert coordinator_client.post(page_url, cohort_form_data(cohort, capacity=1)).status_code == 405


# --- Actions ------------------------------------------------------------------------------------------------


def run_action(client, action, opportunities, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in opportunities], **extra}
    return client.post(admin_url("opportunity", "changelist"), data)


@pytest.mark.django_db
def test_confirm_capacity_action_stamps_today(coordinator_client, coordinator, x):
    opportunity = x["opportunity"]
    Opportunity.objects.filter(pk=opportunity.pk).update(last_confirmed_on=TODAY - dt.timedelta(days=90))
    response = run_action(coordinator_client, "confirm_capacity", [opportunity])
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.last_confirmed_on == TODAY
    assert opportunity.history.latest().history_user == coordinator


@pytest.mark.django_db
def test_confirm_capacity_is_offered_on_the_opportunity_page_too(coordinator_client, x):
    opportunity = x["opportunity"]
    Opportunity.objects.filter(pk=opportunity.pk).update(last_confirmed_on=TODAY - dt.timedelta(days=90))
    change_url = admin_url("opportunity", "change", opportunity.pk)
    assert "Confirm capacity is still accurate" in coordinator_client.get(change_url).content.decode()
    response = coordinator_client.post(
        change_url, {"CHANGE_FORM-action": "confirm_capacity", "_selected_action": opportunity.pk}
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.last_confirmed_on == TODAY


@pytest.mark.django_db
def test_close_action_closes(coordinator_client, x):
    assert run_action(coordinator_client, "close", [x["opportunity"]]).status_code == 302
    x["opportunity"].refresh_from_db()
    assert x["opportunity"].status == OpportunityStatus.CLOSED


@pytest.mark.django_db
def test_duplicate_action_makes_a_draft_copy_without_dates(coordinator_client, trust, x):
    assert run_action(coordinator_client, "duplicate", [x["opportunity"]]).status_code == 302
    copy = Opportunity.objects.get(title="Copy of Shadow a ward nurse")
    assert (copy.status, copy.organisation, copy.site, copy.cohorts.count()) == (
        OpportunityStatus.DRAFT,
        trust,
        x["site"],
        0,
    )


@pytest.mark.django_db
def test_actions_cannot_touch_another_organisations_opportunity(client, other_trust_coordinator, x):
    client.force_login(other_trust_coordinator)
    run_action(client, "close", [x["opportunity"]])
    x["opportunity"].refresh_from_db()
    assert x["opportunity"].status == OpportunityStatus.PUBLISHED


def next_monday(after=TODAY):
    return after + dt.timedelta(days=7 - after.weekday())


@pytest.mark.django_db
def test_weekly_cohorts_action_first_shows_a_form(coordinator_client, x):
    response = run_action(coordinator_client, "create_weekly_cohorts", [x["opportunity"]])
    assert response.status_code == 200
    assert "First start date" in response.content.decode()
    assert "Shadow a ward nurse" in response.content.decode()


@pytest.mark.django_db
def test_weekly_cohorts_action_creates_one_cohort_a_week(coordinator_client, x, y):
    first = next_monday(TODAY + dt.timedelta(days=60))
    second = factories.OpportunityFactory(site=x["site"], title="Porter for a week")
    response = run_action(
        coordinator_client,
        "create_weekly_cohorts",
        [x["opportunity"], second],
        apply="Create",
        first_start=first.isoformat(),
        last_start=(first + dt.timedelta(weeks=2)).isoformat(),
        length_days=5,
        places=4,
        deadline_days_before=14,
    )
    assert response.status_code == 302
    created = second.cohorts.order_by("start_date")
    assert [(c.start_date, c.end_date, c.capacity, c.application_deadline) for c in created] == [
        (
            first + dt.timedelta(weeks=w),
            first + dt.timedelta(weeks=w, days=4),
            4,
            first + dt.timedelta(weeks=w) - dt.timedelta(days=14),
        )
        for w in range(3)
    ]
    assert x["opportunity"].cohorts.count() == 1 + 3


@pytest.mark.django_db
def test_weekly_cohorts_skip_weekends(coordinator_client, x):
    first = next_monday(TODAY + dt.timedelta(days=60)) + dt.timedelta(days=3)  # a Thursday
    run_action(
        coordinator_client,
        "create_weekly_cohorts",
        [x["opportunity"]],
        apply="Create",
        first_start=first.isoformat(),
        last_start=first.isoformat(),
        length_days=3,
        places=2,
        deadline_days_before=7,
    )
    cohort = x["opportunity"].cohorts.get(start_date=first)
    assert cohort.end_date == first + dt.timedelta(days=4)  # Thursday, Friday, Monday


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("weeks", "length", "field", "message"),
    [
        (53, 5, "last_start", "That is more than 52 weeks. Choose a last start date within a year of the first."),
        (2, 11, "length_days", "Length must be from 1 to 10 weekdays."),
        (-1, 5, "last_start", "The last start date must be the same as or after the first start date."),
    ],
)
def test_weekly_cohorts_refuses_bad_plans_in_plain_english(coordinator_client, x, weeks, length, field, message):
    first = next_monday(TODAY + dt.timedelta(days=60))
    response = run_action(
        coordinator_client,
        "create_weekly_cohorts",
        [x["opportunity"]],
        apply="Create",
        first_start=first.isoformat(),
        last_start=(first + dt.timedelta(weeks=weeks)).isoformat(),
        length_days=length,
        places=4,
        deadline_days_before=14,
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert x["opportunity"].cohorts.count() == 1


# --- The list: stale capacity and a bounded number of queries -------------------------------------------------------


@pytest.mark.django_db
def test_stale_opportunities_are_flagged_and_counted(coordinator_client, x):
    stale = factories.OpportunityFactory(site=x["site"], title="Old news")
    Opportunity.objects.filter(pk=stale.pk).update(last_confirmed_on=TODAY - STALE_AFTER - dt.timedelta(days=1))
    response = coordinator_client.get(admin_url("opportunity", "changelist"))
    page = response.content.decode()
    assert "<strong>STALE</strong> – hidden from students" in page
    assert page.count("<strong>STALE</strong>") == 1
    assert (
        "1 published opportunity has not had capacity confirmed for over 60 days, so students cannot see them."
        in messages_of(response)[0]
    )
    only_stale = coordinator_client.get(admin_url("opportunity", "changelist"), {"stale": "yes"})
    assert list(only_stale.context["cl"].result_list) == [stale]
    fresh = coordinator_client.get(admin_url("opportunity", "changelist"), {"stale": "no"})
    assert list(fresh.context["cl"].result_list) == [x["opportunity"]]


@pytest.mark.django_db
def test_list_shows_totals_and_next_start(coordinator_client, x):
    factories.CohortFactory(opportunity=x["opportunity"], capacity=3, start_date=TODAY + dt.timedelta(days=10))
    Cohort.objects.filter(pk=x["cohort"].pk).update(booked=2)
    row = coordinator_client.get(admin_url("opportunity", "changelist")).context["cl"].result_list[0]
    assert (row.total_places, row.booked_places, row.next_start_date) == (9, 2, TODAY + dt.timedelta(days=10))


@pytest.mark.django_db
def test_list_searches_and_filters(coordinator_client, x):
    factories.OpportunityFactory(
        site=x["site"], title="Pharmacy day", profession_area=ProfessionArea.PHARMACY, status=OpportunityStatus.DRAFT
    )
    changelist = admin_url("opportunity", "changelist")
    assert [o.title for o in coordinator_client.get(changelist, {"q": "pharmacy"}).context["cl"].result_list] == [
        "Pharmacy day"
    ]
    drafts = coordinator_client.get(changelist, {"status__exact": "draft"}).context["cl"].result_list
    assert [o.title for o in drafts] == ["Pharmacy day"]
    nursing = coordinator_client.get(changelist, {"profession_area__exact": "nursing"}).context["cl"].result_list
    assert [o.title for o in nursing] == ["Shadow a ward nurse"]


@pytest.mark.django_db
def test_opportunity_list_makes_a_bounded_number_of_queries(
    coordinator_client, trust, x, django_assert_max_num_queries
):
    # History rows are not needed here, and writing 2,000 of them would only slow the test.
    post_save.receivers, saved = [], post_save.receivers
    try:
        opportunities = Opportunity.objects.bulk_create(
            [
                Opportunity(
                    organisation=trust,
                    site=x["site"],
                    department=x["department"],
                    title=f"Opportunity {n:04}",
                    profession_area=ProfessionArea.NURSING,
                    description="d",
                    activities="a",
                    status=OpportunityStatus.PUBLISHED,
                    last_confirmed_on=TODAY - dt.timedelta(days=n % 120),
                )
                for n in range(1000)
            ]
        )
        start = TODAY + dt.timedelta(days=30)
        Cohort.objects.bulk_create(
            [
                Cohort(
                    opportunity=o, start_date=start, end_date=start, capacity=5, booked=1, application_deadline=start
                )
                for o in opportunities
            ]
        )
    finally:
        post_save.receivers = saved
    with django_assert_max_num_queries(10):
        response = coordinator_client.get(admin_url("opportunity", "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1001


@pytest.mark.django_db
def test_coordinators_tune_only_their_own_matching_policy_within_limits(client, coordinator, other_trust_coordinator):
    from placements.models import MatchingPolicy

    client.force_login(coordinator)
    listing = client.get("/coordinator/placements/matchingpolicy/")
    assert listing.status_code == 200
    mine = MatchingPolicy.objects.get(organisation=coordinator.organisation)
    url = f"/coordinator/placements/matchingpolicy/{mine.pk}/change/"
    too_high = client.post(url, {"widening_participation_weight": 5, "endorsement_weight": 1, "distance_weight": 1})
    assert too_high.status_code == 200 and "less than or equal to 3" in too_high.content.decode()
    client.post(url, {"widening_participation_weight": 3, "endorsement_weight": 0, "distance_weight": 2})
    mine.refresh_from_db()
    assert (mine.widening_participation_weight, mine.endorsement_weight, mine.distance_weight) == (3, 0, 2)
    client.force_login(other_trust_coordinator)
    assert client.get(url).status_code == 404
