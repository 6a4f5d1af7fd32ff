"""Account pages: sign-up, email verification, sign-in, passwords, staff invitations, 'my account'."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.access import role_required
from accounts.forms import (
    EmailPreferencesForm,
    InvitationAcceptForm,
    InvitationForm,
    LoginForm,
    OutboxPasswordResetForm,
    SignInUnlockForm,
    SignUpForm,
    StaffListInviteForm,
)
from accounts.homes import home_url_for
from accounts.models import Role, User
from accounts.permissions import roles_invitable_by
from accounts.signin import remember_unlock

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.student_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        # Same page whether or not the address already had an account.
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup-done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request):
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email")})


def verify_email(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None:
        return render(request, "accounts/verify_email_failed.html", status=400)
    if user.email_verified:
        # Only the owner learns that it is already confirmed; anyone else sees the generic page.
        if request.user == user:
            messages.success(request, "Your email address is already confirmed.")
            return redirect("accounts:home")
        return render(request, "accounts/verify_email_failed.html", status=400)
    try:
        services.email_verify(user=user, token=token)
    except ValidationError:
        return render(request, "accounts/verify_email_failed.html", status=400)
    messages.success(request, "Thank you. Your email address is confirmed.")
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return redirect("accounts:login")


@login_required
@require_POST
def verify_email_resend(request):
    if services.email_verification_send(user=request.user):
        messages.success(
            request, f"We have sent a new link to {request.user.email}. It may take a few minutes to arrive."
        )
    elif not request.user.email_verified:
        messages.warning(
            request,
            f"We have sent you {services.VERIFICATION_EMAILS_PER_DAY} links in the last day. Check your spam or junk "
            "folder for them, or try again tomorrow.",
        )
    return redirect("accounts:home")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # A safe ?next= wins (Django checks the host); otherwise each role starts on its own home page.
        return home_url_for(self.request.user)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        # Whoever could read the reset email owns the account: failed attempts no longer hold them back.
        services.sign_in_unlock(user=form.user)
        return super().form_valid(form)


def sign_in_unlock_request(request):
    """Ask for an unlock link: the same answer whether or not an account uses the address."""
    form = SignInUnlockForm(request.POST if request.method == "POST" else None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        services.sign_in_unlock_link_send(username=form.cleaned_data["email"], noticed=False)
        return render(request, "accounts/sign_in_unlock_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/sign_in_unlock_request.html", {"form": form})


def sign_in_unlock(request, token):
    """The link in the unlock email. A button, not the GET, does it: mail scanners open links too."""
    user = services.user_for_unlock_token(token)
    if user is None:
        return render(request, "accounts/sign_in_unlock_failed.html", status=404)
    if request.method == "POST":
        user = services.sign_in_unlock_by_link(token=token)
        if user is None:
            return render(request, "accounts/sign_in_unlock_failed.html", status=404)
        messages.success(request, "Sign-in to your account is unlocked on this device. Sign in now.")
        response = redirect("accounts:login")
        remember_unlock(response, username=user.email)
        return response
    return render(request, "accounts/sign_in_unlock.html", {"email": user.email})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@login_required
def account_home(request):
    emails = Paginator(selectors.emails_sent_to(request.user), 20).get_page(request.GET.get("page"))
    preferences_form = EmailPreferencesForm(user=request.user)
    return render(request, "accounts/home.html", {"emails": emails, "preferences_form": preferences_form})


@login_required
@require_POST
def email_preferences(request):
    form = EmailPreferencesForm(request.POST, user=request.user)
    form.is_valid()  # a single optional tick box: an unticked box means "off", so it is always valid
    digest_emails = form.cleaned_data["digest_emails"]
    services.user_set_digest_emails(user=request.user, enabled=digest_emails)
    if digest_emails:
        messages.success(request, "Saved. We will send you digests and reminders you can switch off.")
    else:
        messages.success(
            request,
            "Saved. We will not send you digests or reminders you can switch off. "
            "We will still email you about things you have done or need to do, including deadlines.",
        )
    return redirect("accounts:home")


@role_required(Role.ADMIN, Role.COORDINATOR)
def invitation_list(request):
    invitations = Paginator(selectors.invitations_visible_to(request.user), 25).get_page(request.GET.get("page"))
    can_invite_staff_list = selectors.employers_user_can_invite_staff_to(request.user).exists()
    return render(
        request,
        "accounts/invitation_list.html",
        {"invitations": invitations, "can_invite_staff_list": can_invite_staff_list},
    )


@role_required(Role.ADMIN, Role.COORDINATOR)
def invitation_create(request):
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        organisations=selectors.organisations_user_can_invite_to(request.user),
        roles=roles_invitable_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}. The link works once, for 7 days.")
            return redirect("accounts:invitation-list")
    return render(request, "accounts/invitation_form.html", {"form": form})


@role_required(Role.ADMIN, Role.COORDINATOR)
def invitation_upload(request):
    """Invite many health and care staff at once from a CSV file; rows that cannot be used are listed."""
    employers = selectors.employers_user_can_invite_staff_to(request.user)
    form = StaffListInviteForm(
        request.POST if request.method == "POST" else None, request.FILES or None, organisations=employers
    )
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.staff_invite_from_list(
                actor=request.user, organisation=form.cleaned_data["organisation"], text=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            sent = len(report.sent)
            messages.success(request, f"{sent} invitation{'s' if sent != 1 else ''} sent.")
    return render(
        request,
        "accounts/invitation_upload.html",
        {"form": form, "report": report, "has_employers": employers.exists()},
    )


@role_required(Role.ADMIN, Role.COORDINATOR)
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(selectors.invitations_visible_to(request.user), pk=pk)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} no longer works.")
    return redirect("accounts:invitation-list")


def invitation_accept(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_unusable.html", status=404)
    if request.user.is_authenticated:
        raise Http404
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, f"Welcome. Your account for {invitation.organisation} is ready.")
            return redirect(home_url_for(user))
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
