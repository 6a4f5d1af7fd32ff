"""Simulation suites' pages under /training/, one module per area (each owns its views and tests)."""

from training.urls import after, catalogue, college, employer, staff, student

app_name = "training"

urlpatterns = [
    *catalogue.urlpatterns,
    *college.urlpatterns,
    *after.urlpatterns,
    *employer.urlpatterns,
    *staff.urlpatterns,
    *student.urlpatterns,
]
