"""Who may see the /skills/ pages (merged into tests/test_url_permissions.py EXPECTED).

Only health and care staff take the self-assessment (for now); an assessment is its owner's alone, so with
an id that is not theirs (999999) every page is 404 for everyone signed in.
"""

LOGIN = "login"

EXPECTED = {
    "skills:start": ({}, {"anonymous": LOGIN, "staff": 200, "*": 404}),
    "skills:assessment-start": ({}, {"anonymous": LOGIN, "staff": 405, "*": 404}),
    "skills:domain": ({"pk": 999999, "key": "identity"}, {"anonymous": LOGIN, "*": 404}),
    "skills:check": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "skills:result": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    # POST only: the method is refused before the assessment is looked up.
    "skills:share": ({"pk": 999999}, {"anonymous": LOGIN, "staff": 405, "*": 404}),
    "skills:download": ({}, {"anonymous": LOGIN, "staff": 200, "*": 404}),
}

# --- Joining and the employer's join code (issue 13, skills-people) ---
EXPECTED |= {
    # Sign up with an employer's join code: for visitors who are not signed in; anyone signed in goes home.
    "skills:join": ({}, {"anonymous": 200, "*": 302}),
    # An NHS trust's or care provider's coordinator, for their own organisation; a college's coordinator has none.
    "skills:join-code": ({}, {"anonymous": LOGIN, "coordinator": 200, "care_coordinator": 200, "*": 404}),
    # "About your work" (the dashboard slice): the owner's sitting only.
    "skills:about-work": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    # The employer's dashboard: an NHS trust's or a care provider's coordinators (their own organisation's).
    "skills:employer-dashboard": ({}, {"anonymous": LOGIN, "coordinator": 200, "care_coordinator": 200, "*": 404}),
}
