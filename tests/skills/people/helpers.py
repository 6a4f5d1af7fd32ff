def join_data(code, *, email="new.starter@trust.example", password="a-long-pass-9"):
    return {
        "code": code,
        "first_name": "New",
        "last_name": "Starter",
        "email": email,
        "password1": password,
        "password2": password,
    }


def sit(person, answer="with_help", *, overrides=None):
    """One whole sitting through the services, as the pages make it: start, (about your work), every domain, send."""
    from skills import services
    from skills.selectors import domains_of

    overrides = overrides or {}
    assessment = services.assessment_start(actor=person)
    about = getattr(services, "assessment_about_work", None)
    if about is not None:
        about(actor=person, assessment=assessment, staff_group="other", department="Ward 1")
    for domain in domains_of(assessment.framework_version):
        services.assessment_answer_domain(
            actor=person,
            assessment=assessment,
            domain=domain,
            answers={s.pk: overrides.get(s.key, answer) for s in domain.statements.all()},
        )
    return services.assessment_submit(actor=person, assessment=assessment)
