from django.urls import path

from insights.views import compare, reports, skills, training

app_name = "insights"

urlpatterns = [
    path("", reports.summary, name="summary"),
    path("supply-and-demand.csv", reports.summary_csv, name="summary-csv"),
    path("who-gets-in/", reports.who_gets_in, name="who-gets-in"),
    path("who-gets-in/<slug:table>.csv", reports.who_gets_in_csv, name="who-gets-in-csv"),
    path("simulation-training/", training.training, name="training"),
    path("simulation-training/<slug:table>.csv", training.training_csv, name="training-csv"),
    path("digital-skills/", skills.skills, name="skills"),
    path("digital-skills/<slug:table>.csv", skills.skills_csv, name="skills-csv"),
    path("compare/", compare.compare, name="compare"),
    path("compare/<slug:table>.csv", compare.compare_csv, name="compare-csv"),
    path("vacancies/upload/", reports.vacancy_upload, name="vacancy-upload"),
    path("snapshots/", reports.snapshots, name="snapshots"),
]
