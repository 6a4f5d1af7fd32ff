"""URLs for an employer coordinator's bookings, staff names, waiting list, approvals and training record."""

from django.urls import path

from training.views.not_built_yet import not_built_yet

urlpatterns = [
    path("employer/", not_built_yet, name="employer-home"),
    path("sessions/<int:pk>/book/", not_built_yet, name="booking-create"),
    path("employer/bookings/<int:pk>/", not_built_yet, name="booking-detail"),
    path("employer/bookings/<int:pk>/cancel/", not_built_yet, name="booking-cancel-seats"),
    path("employer/waiting-list/<int:pk>/withdraw/", not_built_yet, name="waitlist-withdraw"),
    path("employer/settings/", not_built_yet, name="employer-policy"),
    path("employer/approvals/", not_built_yet, name="employer-approvals"),
    path("employer/approvals/<int:pk>/", not_built_yet, name="approval-decide"),
    path("employer/record/", not_built_yet, name="employer-record"),
    path("employer/record.csv", not_built_yet, name="employer-record-export"),
]
