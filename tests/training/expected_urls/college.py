"""Who may see the college pages of /training/ (merged into tests/test_url_permissions.py EXPECTED).

Only a coordinator at a college (``college_coordinator``) reaches them; everyone else signed in gets 404, anonymous
visitors sign in first. The walk uses pk=999999, so object pages are 404 even for the college (per-object checks,
another college's objects included, are in tests/training/college/test_permissions.py). POST-only endpoints answer
405 to a GET from the college's coordinator before looking the object up.
"""

LOGIN = "login"  # redirect to the sign-in page

COLLEGE_ONLY = {"anonymous": LOGIN, "college_coordinator": 200, "*": 404}
OBJECT = {"anonymous": LOGIN, "*": 404}
POST_ONLY = {"anonymous": LOGIN, "college_coordinator": 405, "*": 404}

EXPECTED = {
    "training:college-home": ({}, COLLEGE_ONLY),
    "training:suite-create": ({}, COLLEGE_ONLY),
    "training:suite-edit": ({"pk": 999999}, OBJECT),
    "training:room-create": ({"suite_pk": 999999}, OBJECT),
    "training:room-edit": ({"pk": 999999}, OBJECT),
    "training:entry-list": ({}, COLLEGE_ONLY),
    "training:entry-create": ({}, COLLEGE_ONLY),
    "training:entry-edit": ({"pk": 999999}, OBJECT),
    "training:entry-confirm": ({"pk": 999999}, POST_ONLY),
    "training:college-sessions": ({}, COLLEGE_ONLY),
    "training:college-session-create": ({}, COLLEGE_ONLY),
    "training:college-session": ({"pk": 999999}, OBJECT),
    "training:college-session-edit": ({"pk": 999999}, OBJECT),
    "training:college-session-duplicate": ({"pk": 999999}, OBJECT),
    "training:college-session-close": ({"pk": 999999}, POST_ONLY),
    "training:college-session-cancel": ({"pk": 999999}, OBJECT),
}
