# An opportunity's department must belong to the opportunity's organisation and, when the department is
# tied to a site, to the opportunity's site (a department with no site is organisation-wide). Django
# cannot express a check across tables, and a composite foreign key would refuse organisation-wide
# departments, so the database enforces it with triggers: on the opportunity (insert, or a change of
# site or department) and on the department (a change of site or organisation while opportunities use
# it). Both raise an integrity error, which Django reports as ``IntegrityError``.
from django.db import migrations

POSTGRESQL_FORWARD = [
    """
    CREATE FUNCTION placements_opportunity_department_check() RETURNS trigger AS $$
    BEGIN
        IF NEW.department_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM placements_department d
            WHERE d.id = NEW.department_id
              AND (d.organisation_id <> NEW.organisation_id
                   OR (d.site_id IS NOT NULL AND d.site_id <> NEW.site_id))
        ) THEN
            RAISE EXCEPTION 'opportunity_department_on_its_site: the department is not at this opportunity''s site'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER placements_opportunity_department_check
    BEFORE INSERT OR UPDATE OF site_id, department_id, organisation_id ON placements_opportunity
    FOR EACH ROW EXECUTE FUNCTION placements_opportunity_department_check();
    """,
    """
    CREATE FUNCTION placements_department_site_check() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM placements_opportunity o
            WHERE o.department_id = NEW.id
              AND (o.organisation_id <> NEW.organisation_id
                   OR (NEW.site_id IS NOT NULL AND o.site_id <> NEW.site_id))
        ) THEN
            RAISE EXCEPTION 'opportunity_department_on_its_site: opportunities at another site use this department'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER placements_department_site_check
    BEFORE UPDATE OF site_id, organisation_id ON placements_department
    FOR EACH ROW EXECUTE FUNCTION placements_department_site_check();
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS placements_department_site_check ON placements_department;",
    "DROP FUNCTION IF EXISTS placements_department_site_check();",
    "DROP TRIGGER IF EXISTS placements_opportunity_department_check ON placements_opportunity;",
    "DROP FUNCTION IF EXISTS placements_opportunity_department_check();",
]

_SQLITE_OPPORTUNITY_WHEN = """
    WHEN NEW.department_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM placements_department d
        WHERE d.id = NEW.department_id
          AND (d.organisation_id <> NEW.organisation_id OR (d.site_id IS NOT NULL AND d.site_id <> NEW.site_id))
    )
    BEGIN
        SELECT RAISE(ABORT, 'opportunity_department_on_its_site: the department is not at this opportunity''s site');
    END;
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER placements_opportunity_department_insert BEFORE INSERT ON placements_opportunity FOR EACH ROW"
    + _SQLITE_OPPORTUNITY_WHEN,
    "CREATE TRIGGER placements_opportunity_department_update "
    "BEFORE UPDATE OF site_id, department_id, organisation_id ON placements_opportunity FOR EACH ROW"
    + _SQLITE_OPPORTUNITY_WHEN,
    """
    CREATE TRIGGER placements_department_site_update
    BEFORE UPDATE OF site_id, organisation_id ON placements_department FOR EACH ROW
    WHEN EXISTS (
        SELECT 1 FROM placements_opportunity o
        WHERE o.department_id = NEW.id
          AND (o.organisation_id <> NEW.organisation_id OR (NEW.site_id IS NOT NULL AND o.site_id <> NEW.site_id))
    )
    BEGIN
        SELECT RAISE(ABORT, 'opportunity_department_on_its_site: opportunities at another site use this department');
    END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS placements_department_site_update;",
    "DROP TRIGGER IF EXISTS placements_opportunity_department_update;",
    "DROP TRIGGER IF EXISTS placements_opportunity_department_insert;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(f"No department-site triggers for {schema_editor.connection.vendor}.")
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("placements", "0002_host_deadlines_and_cancellation")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        ),
    ]
