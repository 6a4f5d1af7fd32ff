from django.conf import settings
from django.urls import NoReverseMatch, reverse

from accounts.models import OrganisationKind, Role

# (label, url name) per role; a url name that does not exist yet is skipped, so later steps add pages here.
NAVIGATION = {
    None: [("Find a placement", "placements:opportunity-list")],
    Role.STUDENT: [
        ("Find a placement", "placements:opportunity-list"),
        ("My application", "placements:student-home"),
        ("My account", "accounts:home"),
    ],
    Role.TUTOR: [("My students", "placements:tutor-home"), ("My account", "accounts:home")],
    Role.COORDINATOR: [
        ("Placements", "placements:coordinator-home"),
        ("Manage capacity", "coordinator:index"),
        ("Invitations", "accounts:invitation-list"),
        ("My account", "accounts:home"),
    ],
    Role.STAFF: [
        ("Training and skills", "accounts:staff-home"),
        ("My training", "training:my-training"),
        ("My account", "accounts:home"),
    ],
    # Planning partners read the insights reports (step 11).
    Role.PARTNER: [("Planning reports", "insights:summary"), ("My account", "accounts:home")],
    Role.ADMIN: [
        ("Site admin", "admin:index"),
        ("Invitations", "accounts:invitation-list"),
        ("My account", "accounts:home"),
    ],
}

# Where a role's menu depends on the kind of organisation (step 9, simulation suites): a college's coordinators
# run its suites, an NHS trust's or care provider's book training for their staff. Both keep their placement pages.
_COORDINATOR_PLACEMENTS = NAVIGATION[Role.COORDINATOR][:2]
_COORDINATOR_REST = NAVIGATION[Role.COORDINATOR][2:]
NAVIGATION_BY_KIND = {
    (Role.COORDINATOR, OrganisationKind.COLLEGE): [
        *_COORDINATOR_PLACEMENTS,
        ("Simulation suite", "training:college-home"),
        *_COORDINATOR_REST,
    ],
    **{
        (Role.COORDINATOR, kind): [
            *_COORDINATOR_PLACEMENTS,
            ("Book training", "training:employer-home"),
            ("Digital skills", "skills:employer-dashboard"),  # step 10: the employer's skills dashboard
            *_COORDINATOR_REST,
        ]
        for kind in (OrganisationKind.NHS_TRUST, OrganisationKind.CARE_PROVIDER)
    },
}


def navigation_for(user) -> list[tuple[str, str]]:
    """The (label, url name) pairs of ``user``'s menu (anonymous when ``user`` is None or signed out)."""
    if user is None or not user.is_authenticated:
        return NAVIGATION[None]
    # organisation_kind is copied onto the user, so choosing the menu costs no query.
    return NAVIGATION_BY_KIND.get((user.role, user.organisation_kind), NAVIGATION.get(user.role, []))


def navigation(request):
    items = []
    for label, url_name in navigation_for(getattr(request, "user", None)):
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    # Only the closest match is current: on /accounts/staff/ that is "Training and skills", not "My account".
    matches = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}


def support_email(request):
    return {"support_email": settings.SUPPORT_EMAIL}
