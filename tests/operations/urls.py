"""The site's URLs plus views that fail on purpose, for the error-logging tests."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


@login_required
def fail_with_personal_data(request, token=""):
    user = request.user
    raise RuntimeError(f"Could not save {user.email} ({user.first_name} {user.last_name})")


urlpatterns = [
    path("test-errors/boom/", fail_with_personal_data, name="test-boom"),
    path("test-errors/consent/<str:token>/", fail_with_personal_data, name="test-boom-token"),
    *site_urlpatterns,
]
