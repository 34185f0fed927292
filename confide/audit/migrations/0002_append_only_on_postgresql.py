"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log.

TRUNCATE is left alone on purpose: test runs flush tables with it. In production the application's database role
should hold only INSERT and SELECT on this table (see docs/audit.md), which refuses TRUNCATE as well.
"""

from django.db import migrations

TABLE = "audit_auditentry"

INSTALL = f"""
CREATE OR REPLACE FUNCTION confide_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'audit entries are only ever added; see docs/audit.md';
END
$$;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION confide_audit_append_only();
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION confide_audit_append_only();
"""

REMOVE = f"""
DROP TRIGGER IF EXISTS audit_entry_no_update ON {TABLE};
DROP TRIGGER IF EXISTS audit_entry_no_delete ON {TABLE};
DROP FUNCTION IF EXISTS confide_audit_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
