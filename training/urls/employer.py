"""URLs for an employer coordinator's bookings, staff names, waiting list, approvals and training record."""

from django.urls import path

from training.views import employer

urlpatterns = [
    path("employer/", employer.employer_home, name="employer-home"),
    path("sessions/<int:pk>/book/", employer.booking_create, name="booking-create"),
    path("employer/bookings/<int:pk>/", employer.booking_detail, name="booking-detail"),
    path("employer/bookings/<int:pk>/cancel/", employer.booking_cancel_seats, name="booking-cancel-seats"),
    path("employer/waiting-list/<int:pk>/withdraw/", employer.waitlist_leave, name="waitlist-withdraw"),
    path("employer/settings/", employer.employer_policy, name="employer-policy"),
    path("employer/approvals/", employer.employer_approvals, name="employer-approvals"),
    path("employer/approvals/<int:pk>/", employer.approval_decide, name="approval-decide"),
    path("employer/record/", employer.employer_record, name="employer-record"),
    path("employer/record.csv", employer.employer_record_export, name="employer-record-export"),
]
