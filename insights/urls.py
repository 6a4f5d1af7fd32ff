from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("supply-and-demand.csv", views.summary_csv, name="summary-csv"),
    path("who-gets-in/", views.who_gets_in, name="who-gets-in"),
    path("who-gets-in/<slug:table>.csv", views.who_gets_in_csv, name="who-gets-in-csv"),
    path("vacancies/upload/", views.vacancy_upload, name="vacancy-upload"),
    path("snapshots/", views.snapshots, name="snapshots"),
]
