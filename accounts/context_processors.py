from django.conf import settings
from django.urls import NoReverseMatch, reverse

from accounts.models import Role

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
    Role.STAFF: [("Training and skills", "accounts:staff-home"), ("My account", "accounts:home")],
    Role.PARTNER: [("Planning reports", "accounts:partner-home"), ("My account", "accounts:home")],
    Role.ADMIN: [
        ("Site admin", "admin:index"),
        ("Invitations", "accounts:invitation-list"),
        ("My account", "accounts:home"),
    ],
}


def navigation(request):
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    items = []
    for label, url_name in NAVIGATION.get(role, []):
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
