from django.urls import path

from placements.views import public

app_name = "placements"

urlpatterns = [
    path("opportunities/", public.opportunity_list, name="opportunity-list"),
    path("opportunities/<int:pk>/", public.opportunity_detail, name="opportunity-detail"),
]
