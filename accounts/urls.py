from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import homes, views

app_name = "accounts"

urlpatterns = [
    path("", views.account_home, name="home"),
    path("staff/", homes.staff_home, name="staff-home"),
    path("partner/", homes.partner_home, name="partner-home"),
    path("signup/", views.signup, name="signup"),
    path("signup/check-your-email/", views.signup_done, name="signup-done"),
    path("verify/<uidb64>/<token>/", views.verify_email, name="verify-email"),
    path("verify/resend/", views.verify_email_resend, name="verify-email-resend"),
    path("email-preferences/", views.email_preferences, name="email-preferences"),
    path("login/", views.LoginView.as_view(), name="login"),
    # Two-factor sign-in: set up, enter a code, recovery codes (accounts/second_factor, ADR 0015).
    path("two-factor/", include("accounts.second_factor.urls")),
    path("unlock/", views.sign_in_unlock_request, name="sign-in-unlock-request"),
    path("unlock/<str:token>/", views.sign_in_unlock, name="sign-in-unlock"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password-change-done",
    ),
    path("invitations/", views.invitation_list, name="invitation-list"),
    path("invitations/new/", views.invitation_create, name="invitation-create"),
    path("invitations/upload/", views.invitation_upload, name="invitation-upload"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
