"""Tenant provisioning (docs/decisions.md, "Tenant provisioning"): a webhook service logs
in with the provisioning role and creates organizations and memberships from an identity
provider's ids; one person in two organizations is one identity with two memberships;
every change is audited; the app and read-only roles cannot call it."""

from __future__ import annotations

from collections import Counter

import psycopg
import pytest

from .logins import logins  # noqa: F401  (fixture)

CREATE = "select * from core.provision_organization(%s, %s, %s, %s, %s)"


def test_a_webhook_creates_organizations_and_one_identity_with_memberships(db_conn, logins):  # noqa: F811
    clerk = logins("provisioning")
    with clerk() as p:
        first = p.execute(CREATE, ("org_2abc", "Acme Corp", "user_ann", "ann@acme.test", "Ann")).fetchone()
        tenant, slug, ann, identity, created = first
        assert (slug, created) == ("acme-corp", True)
        # Clerk retries webhooks: the same call returns the same rows, creating nothing
        assert p.execute(CREATE, ("org_2abc", "Acme Corp", "user_ann", "ann@acme.test", "Ann")).fetchone() == (
            tenant, slug, ann, identity, False)
        other = p.execute(CREATE, ("org_3def", "Acme  Corp!", "user_bob", None, None)).fetchone()
        assert other[1] == "acme-corp-2" and other[4] is True  # slug taken: a suffix
        joined = p.execute("select * from core.provision_membership('org_3def', 'user_ann', 'ann@acme.test')"
                           ).fetchone()
        assert joined[0] == other[0] and joined[2] == identity and joined[3] is True
        assert p.execute("select * from core.provision_membership('org_3def', 'user_ann')").fetchone()[3] is False
    # one identity, a user row (membership) in each organization
    rows = db_conn.execute("select u.tenant_id, u.is_admin from core.users u join core.identities i "
                           "on i.id = u.identity_id where i.provider = 'clerk' and i.external_id = 'user_ann' "
                           "order by u.created_at").fetchall()
    assert rows == [(tenant, True), (other[0], False)]
    assert db_conn.execute("select count(*) from core.identities").fetchone()[0] == 2
    # audited, naming the provisioning login behind the definer
    audit = db_conn.execute("select table_name, operation, db_role from ops.audit_log where table_name in "
                            "('core.tenants', 'core.users', 'core.identities') order by occurred_at").fetchall()
    assert Counter((t, o) for t, o, _ in audit) == {("core.tenants", "insert"): 2, ("core.users", "insert"): 3,
                                                    ("core.identities", "insert"): 2}  # the retries made nothing
    assert all(who.endswith(f"(session {clerk.name})") for _, _, who in audit)
    # the app service of the new organization takes over from there
    app = logins("app")
    with app("org_2abc") as a:
        assert a.execute("select email, is_admin from core.users").fetchall() == [("ann@acme.test", True)]


def test_only_the_provisioning_role_may_provision(db_conn, logins):  # noqa: F811
    db_conn.execute("insert into core.tenants (slug, name) values ('acme', 'Acme')")
    db_conn.commit()
    for kind in ("app", "readonly"):
        login = logins(kind)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for function"), \
                login("acme") as c:
            c.execute(CREATE, ("org_x", "X", "user_x", None, None))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for function"), \
                login("acme") as c:
            c.execute("select * from core.provision_membership('org_x', 'user_x')")
    clerk = logins("provisioning")
    # it can provision, and nothing else: no table, no other function
    for statement in ("select count(*) from core.tenants", "select count(*) from core.identities",
                      "insert into core.tenants (slug, name) values ('sneaky', 'Sneaky')",
                      "select ops.set_tenant('acme')"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), clerk() as p:
            p.execute(statement)
    # the app role reads no identity, and cannot write one
    app = logins("app")
    with app("acme") as a:
        assert a.execute("select count(*) from core.identities").fetchone()[0] == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege), a.transaction():
            a.execute("insert into core.identities (provider, external_id) values ('clerk', 'user_forged')")


@pytest.mark.parametrize(("call", "error", "message"), [
    (("", "Acme", "user_a", None, None), psycopg.errors.InvalidParameterValue, "external id and a name"),
    (("org_a", "Acme", " ", None, None), psycopg.errors.InvalidParameterValue, "user's external id is missing"),
    (("org_a", "Acme", "user_a", "not-an-email", None), psycopg.errors.CheckViolation, "identities_email_check"),
])
def test_bad_input_is_refused_and_nothing_is_half_made(db_conn, logins, call, error, message):  # noqa: F811
    clerk = logins("provisioning")
    with pytest.raises(error, match=message), clerk() as p:
        p.execute(CREATE, call)
    with pytest.raises(psycopg.errors.NoDataFound, match='no organization with external id "org_none"'), clerk() as p:
        p.execute("select * from core.provision_membership('org_none', 'user_a')")
    assert db_conn.execute("select count(*) from core.tenants where external_id = 'org_a'").fetchone()[0] == 0
    assert db_conn.execute("select count(*) from core.identities").fetchone()[0] == 0
