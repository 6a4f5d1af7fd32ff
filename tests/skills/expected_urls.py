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
