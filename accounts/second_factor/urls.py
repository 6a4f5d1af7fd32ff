from django.urls import path

from accounts.second_factor import views

app_name = "second_factor"

# Mounted at /accounts/two-factor/ (accounts/urls.py). "verify" must stay the root: the middleware lets
# everything under it through.
urlpatterns = [
    path("", views.verify, name="verify"),
    path("set-up/", views.set_up, name="set-up"),
    path("manage/", views.manage, name="manage"),
    path("recovery-codes/new/", views.recovery_codes_new, name="recovery-codes-new"),
]
