"""Where each role starts: the page a person lands on after signing in.

Health and care staff have a home of their own here, leading to their training (step 9) and skills (step 10);
planning partners start on the planning reports (step 11).
"""

from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from accounts.access import role_required
from accounts.models import Role

# URL names, resolved when needed: the pages live in capability apps, which accounts must not import.
ROLE_HOMES = {
    Role.STUDENT: "placements:student-home",
    Role.TUTOR: "placements:tutor-home",
    Role.COORDINATOR: "placements:coordinator-home",
    Role.ADMIN: "admin:index",
    Role.STAFF: "accounts:staff-home",
    # Partners start on the planning reports (insights, step 11); accounts:partner-home sends old links there.
    Role.PARTNER: "insights:summary",
}
FALLBACK = "accounts:home"


def home_url_for(user) -> str:
    """The role's home page; "Your account" for anyone without one (or if that page is not installed)."""
    try:
        return reverse(ROLE_HOMES.get(getattr(user, "role", None), FALLBACK))
    except NoReverseMatch:
        return reverse(FALLBACK)


@role_required(Role.STAFF)
def staff_home(request):
    return render(request, "accounts/staff_home.html")


@role_required(Role.PARTNER)
def partner_home(request):
    return redirect(home_url_for(request.user))
