"""The two-factor pages: set up an authenticator app, enter a code, manage recovery codes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.homes import home_url_for
from accounts.second_factor import services
from accounts.second_factor.forms import CodeForm

WRONG_CODE = (
    "The code is not right. Check the code in your authenticator app and try again: it changes every 30 seconds"
)
WAIT = "Wait a few seconds, then enter the code your app shows now: after a wrong code the next try has to wait"
PAUSED = "Too many wrong codes. Wait 15 minutes, then try again. If you have lost your phone, use a recovery code"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return home_url_for(request.user)


def _why_refused(request) -> str:
    if services.failures_paused(request):
        return PAUSED
    if getattr(request, "second_factor_must_wait", False):
        return WAIT
    return WRONG_CODE


def _second_factor_user(view):
    """Signed in, and someone who must use a second factor (students are never asked: 404)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not services.second_factor_required(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_second_factor_user
def verify(request):
    """Enter a code from the authenticator app (or a recovery code) to finish signing in."""
    if services.session_is_verified(request):
        return redirect(_next_url(request))
    if not services.has_second_factor(request.user):
        return redirect("accounts:second_factor:set-up")
    form = CodeForm(request.POST or None, help_text="The 6-digit code from your authenticator app.")
    if request.method == "POST" and form.is_valid():
        if services.second_factor_verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _why_refused(request))
    return render(request, "accounts/second_factor/verify.html", {"form": form, "next": _next_url(request)})


@_second_factor_user
def set_up(request):
    """Scan the QR code (or type the secret), enter a code from the app, get recovery codes.

    Someone who already has an app must enter a code from it (or a recovery code) first: a password alone
    never replaces a second factor.
    """
    replacing = services.has_second_factor(request.user)
    if replacing and not services.session_is_verified(request):
        return redirect("accounts:second_factor:verify")
    device = services.totp_device_pending(user=request.user)
    form = CodeForm(request.POST or None, help_text="The 6-digit code your authenticator app shows now.")
    if request.method == "POST" and form.is_valid():
        result = services.totp_device_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if result:
            return render(
                request,
                "accounts/second_factor/recovery_codes.html",
                {"codes": result.recovery_codes, "next": _next_url(request), "first_time": not replacing},
            )
        form.add_error("code", _why_refused(request))
    return render(
        request,
        "accounts/second_factor/set_up.html",
        {
            "form": form,
            "replacing": replacing,
            "qr_svg": services.totp_qr_svg(device),
            "secret": services.totp_secret_for_reading(device),
            "next": _next_url(request),
        },
    )


def _verified(view):
    """Only in a session verified by a second factor (the middleware sends others away too)."""

    def wrapped(request, *args, **kwargs):
        if not services.session_is_verified(request):
            return redirect("accounts:second_factor:verify")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@_second_factor_user
@_verified
def manage(request):
    return render(
        request,
        "accounts/second_factor/manage.html",
        {"codes_left": services.recovery_codes_left(request.user)},
    )


@_second_factor_user
@_verified
@require_POST
def recovery_codes_new(request):
    codes = services.recovery_codes_replace(user=request.user)
    return render(
        request,
        "accounts/second_factor/recovery_codes.html",
        {"codes": codes, "next": home_url_for(request.user), "first_time": False},
    )
