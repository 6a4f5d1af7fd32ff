from django.urls import path
from django.views.generic import TemplateView

from placements.views import coordinator, public, student, tutor

app_name = "placements"

urlpatterns = [
    path("opportunities/", public.opportunity_list, name="opportunity-list"),
    path(
        "how-matching-works/",
        TemplateView.as_view(template_name="placements/how_matching_works.html"),
        name="how-matching-works",
    ),
    path("opportunities/<int:pk>/", public.opportunity_detail, name="opportunity-detail"),
    path("opportunities/<int:opportunity_pk>/choose/", student.choice_add, name="choice-add"),
    path("my-application/", student.student_home, name="student-home"),
    path("my-application/start/", student.application_start, name="application-start"),
    path("my-application/check-your-answers/", student.application_review, name="application-review"),
    path("my-application/withdraw/", student.application_withdraw, name="application-withdraw"),
    path("my-application/offer/accept/", student.offer_accept, name="offer-accept"),
    path("my-application/offer/decline/", student.offer_decline, name="offer-decline"),
    path("my-application/certificate/", student.certificate, name="certificate"),
    path("my-data/", student.data_export, name="data-export"),
    path("my-data/delete-account/", student.account_delete, name="account-delete"),
    path("my-application/choices/<int:choice_pk>/", student.choice_change, name="choice-change"),
    path("my-application/<slug:slug>/", student.application_step, name="application-step"),
    path("consent/<str:token>/", student.guardian_consent, name="guardian-consent"),
    path("tutor/", tutor.tutor_home, name="tutor-home"),
    path("tutor/export.csv", tutor.tutor_export, name="tutor-export"),
    path("tutor/invite/", tutor.tutor_invite, name="tutor-invite"),
    path("tutor/applications/<int:pk>/", tutor.tutor_application, name="tutor-application"),
    path("tutor/applications/<int:pk>/endorse/", tutor.tutor_endorse, name="tutor-endorse"),
    path("host/", coordinator.coordinator_home, name="coordinator-home"),
    path("host/applications/<int:pk>/", coordinator.coordinator_application, name="coordinator-application"),
    path("host/matches/approve/", coordinator.matches_approve, name="matches-approve"),
    path("host/matches/<int:pk>/decline/", coordinator.match_decline, name="match-decline"),
    path("host/placements/<int:pk>/checks/", coordinator.placement_checks, name="placement-checks"),
    path("host/placements/<int:pk>/attendance/", coordinator.placement_attendance, name="placement-attendance"),
    path("host/placements/<int:pk>/complete/", coordinator.placement_complete, name="placement-complete"),
    path("host/placements/<int:pk>/cancel/", coordinator.placement_cancel, name="placement-cancel"),
]
