from django.urls import path

from skills import employer_views, views

app_name = "skills"

urlpatterns = [
    path("", views.start, name="start"),
    path("start/", views.assessment_start, name="assessment-start"),
    path("assessment/<int:pk>/check/", views.check, name="check"),
    path("assessment/<int:pk>/result/", views.result, name="result"),
    path("assessment/<int:pk>/share/", views.share, name="share"),
    path("assessment/<int:pk>/about-your-work/", views.about_work, name="about-work"),
    path("assessment/<int:pk>/<slug:key>/", views.domain_page, name="domain"),
    path("my-record.json", views.download, name="download"),
    path("employer/", employer_views.dashboard, name="employer-dashboard"),
]

# --- Joining and the employer's join code (issue 13, skills-people: skills/views_people.py) ---
from skills import views_people  # noqa: E402

urlpatterns += [
    path("join/", views_people.join, name="join"),
    path("employer/join-code/", views_people.join_code, name="join-code"),
]
