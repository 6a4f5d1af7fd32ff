"""Where each role starts: the page a person lands on after signing in."""

from django.urls import NoReverseMatch, reverse

from accounts.models import Role

# URL names, resolved when needed: the pages live in capability apps, which accounts must not import.
ROLE_HOMES = {
    Role.STUDENT: "placements:student-home",
    Role.TUTOR: "placements:tutor-home",
    Role.COORDINATOR: "placements:coordinator-home",
    Role.ADMIN: "admin:index",
}
FALLBACK = "accounts:home"


def home_url_for(user) -> str:
    """The role's home page; "Your account" for anyone without one (or if that page is not installed)."""
    try:
        return reverse(ROLE_HOMES.get(getattr(user, "role", None), FALLBACK))
    except NoReverseMatch:
        return reverse(FALLBACK)
