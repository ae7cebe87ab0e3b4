"""Directory sign-in against a real OpenLDAP (Debian's slapd): bind, groups to roles and queues, TLS, local accounts,
disabled and removed directory users, and the sync that switches off leavers."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from omnidesk.domain.enums import Role
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.auth_ldap.directory import Directory, DirectoryRefused
from omnidesk.server.auth_ldap.models import DirectoryAccount
from omnidesk.server.auth_ldap.service import sync_directory
from omnidesk.server.db import Database
from omnidesk.server.queues.models import Queue, QueueMember
from omnidesk.server.users.models import User
from omnidesk.server.users.service import create_user
from tests.conftest import Api, serve, test_settings
from tests.server.conftest import omnidesk_here
from tests.server.ldap_directory import GROUPS, PEOPLE, SERVICE_DN, SERVICE_PW, start_directory


@pytest.fixture(scope="session")
def directory():
    d = start_directory()
    yield d
    d.stop()


def ldap_settings(directory, **overrides) -> dict:
    values = dict(
        ldap_url=directory.ldaps_url,
        ldap_ca_file=str(directory.ca_file),
        ldap_bind_dn=SERVICE_DN,
        ldap_bind_password=SERVICE_PW,
        ldap_user_base=PEOPLE,
        ldap_group_base=GROUPS,
        ldap_group_roles={
            f"cn=desk-operators,{GROUPS}": "operator",
            f"cn=desk-billing,{GROUPS}": "operator",
            f"cn=desk-admins,{GROUPS}": "admin",
        },
        ldap_group_queues={f"cn=desk-billing,{GROUPS}": ["Billing"], f"cn=desk-operators,{GROUPS}": ["General"]},
    )
    values.update(overrides)
    return values


async def _api(db_url, **settings_overrides):
    settings = test_settings(db_url, **settings_overrides)
    db = Database(db_url, pool_size=2)
    async with db.session() as session:
        session.add(Queue(name="Billing"))
        await session.commit()
    return settings, db


@pytest.fixture
async def ldap_api(db_url, directory):
    settings, db = await _api(db_url, **ldap_settings(directory))
    async with serve(settings) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield Api(url=url, db=db, settings=settings, client=client, app=app)
    await db.dispose()


async def login(api, username, password):
    return await api.client.post("/api/v1/auth/login", json={"username": username, "password": password})


async def queue_names(api, user_id) -> list[str]:
    async with api.db.session() as session:
        rows = await session.scalars(
            select(Queue.name).join(QueueMember, QueueMember.queue_id == Queue.id).where(QueueMember.user_id == user_id)
        )
        return sorted(rows.all())


async def actions(api) -> list[str]:
    async with api.db.session() as session:
        return list((await session.scalars(select(AuditRecord.action).order_by(AuditRecord.id))).all())


async def test_operator_signs_in_with_directory_password_and_gets_groups_role_and_queues(ldap_api):
    r = await login(ldap_api, "oksana", "oksana-directory-pw")
    assert r.status_code == 200, r.text
    me = r.json()["user"]
    assert me["role"] == "operator" and me["display_name"] == "Оксана Петренко"
    assert await queue_names(ldap_api, me["id"]) == ["Billing", "General"]
    token = r.json()["access_token"]
    who = await ldap_api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert who.status_code == 200 and who.json()["username"] == "oksana"
    async with ldap_api.db.session() as session:
        account = await session.get(DirectoryAccount, me["id"])
        assert account.dn == f"uid=oksana,{PEOPLE}"
    assert {"user.directory_create", "auth.ldap_login", "auth.login"} <= set(await actions(ldap_api))
    # The second sign-in finds the same account, no second user.
    assert (await login(ldap_api, "oksana", "oksana-directory-pw")).status_code == 200
    async with ldap_api.db.session() as session:
        assert len((await session.scalars(select(User).where(User.username == "oksana"))).all()) == 1


async def test_active_directory_entry_found_by_sam_account_name_with_member_of(ldap_api):
    r = await login(ldap_api, "IVAN.KOVAL", "ivan-directory-pw")
    assert r.status_code == 200, r.text
    me = r.json()["user"]
    assert me["username"] == "ivan.koval"  # the directory's spelling
    assert await queue_names(ldap_api, me["id"]) == ["Billing"]


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("oksana", "wrong-password"),
        ("nobody", "whatever-pw"),
        ("*", "oksana-directory-pw"),  # a filter wildcard is escaped, never a match for anyone
        ("petro.locked", "petro-directory-pw"),  # userAccountControl ACCOUNTDISABLE
        ("nogroup", "nogroup-directory-pw"),  # in no OmniDesk group
    ],
)
async def test_directory_refusals_answer_401_and_are_audited(ldap_api, username, password):
    r = await login(ldap_api, username, password)
    assert r.status_code == 401, r.text
    acts = await actions(ldap_api)
    assert "auth.login_failed" in acts and "auth.login" not in acts
    async with ldap_api.db.session() as session:
        assert (await session.scalar(select(User).where(User.username == "petro.locked"))) is None


def test_empty_password_is_refused_before_the_directory_is_asked(directory):
    # An LDAP "unauthenticated bind" (a DN with no password) succeeds on many servers; it must never sign anyone in.
    with pytest.raises(DirectoryRefused, match="empty"):
        Directory(test_settings("sqlite:///unused.db", **ldap_settings(directory))).authenticate("oksana", "")


async def test_local_break_glass_admin_still_signs_in_and_cannot_be_taken_over(ldap_api):
    async with ldap_api.db.session() as session:
        await create_user(session, username="root-admin", password="local-password-1", role=Role.ADMIN)
        # A local account that shares its name with a directory user keeps its own password.
        await create_user(session, username="boss", password="local-boss-pw-1", role=Role.OPERATOR)
        await session.commit()
    assert (await login(ldap_api, "root-admin", "local-password-1")).status_code == 200
    assert (await login(ldap_api, "boss", "local-boss-pw-1")).json()["user"]["role"] == "operator"
    assert (await login(ldap_api, "boss", "boss-directory-pw")).status_code == 401


async def test_role_follows_directory_groups_at_each_sign_in(ldap_api, directory):
    first = (await login(ldap_api, "leaver", "leaver-directory-pw")).json()["user"]
    assert first["role"] == "operator"
    directory.ldif(
        "ldapmodify",
        f"dn: cn=desk-admins,{GROUPS}\nchangetype: modify\nadd: member\nmember: uid=leaver,{PEOPLE}\n",
    )
    try:
        again = (await login(ldap_api, "leaver", "leaver-directory-pw")).json()["user"]
        assert again["role"] == "admin"
        assert "user.directory_update" in await actions(ldap_api)
    finally:
        directory.ldif(
            "ldapmodify",
            f"dn: cn=desk-admins,{GROUPS}\nchangetype: modify\ndelete: member\nmember: uid=leaver,{PEOPLE}\n",
        )


async def test_starttls_with_corporate_ca_signs_in(db_url, directory):
    settings, db = await _api(db_url, **ldap_settings(directory, ldap_url=directory.ldap_url, ldap_start_tls=True))
    async with serve(settings) as (_app, url), httpx.AsyncClient(base_url=url, timeout=30) as client:
        r = await client.post("/api/v1/auth/login", json={"username": "oksana", "password": "oksana-directory-pw"})
        assert r.status_code == 200, r.text
    await db.dispose()


async def test_certificate_from_another_ca_is_refused_with_503_and_local_admin_still_works(db_url, directory):
    settings, db = await _api(db_url, **ldap_settings(directory, ldap_ca_file=str(directory.other_ca_file)))
    async with db.session() as session:
        await create_user(session, username="root-admin", password="local-password-1", role=Role.ADMIN)
        await session.commit()
    async with serve(settings) as (_app, url), httpx.AsyncClient(base_url=url, timeout=30) as client:
        r = await client.post("/api/v1/auth/login", json={"username": "oksana", "password": "oksana-directory-pw"})
        assert r.status_code == 503 and "directory" in r.json()["detail"]
        ok = await client.post("/api/v1/auth/login", json={"username": "root-admin", "password": "local-password-1"})
        assert ok.status_code == 200
    await db.dispose()


async def test_sync_disables_user_removed_from_directory_and_ends_their_sessions(ldap_api, directory):
    directory.ldif(
        "ldapadd",
        f"dn: uid=temp,{PEOPLE}\nobjectClass: inetOrgPerson\nuid: temp\ncn: Temp\nsn: Temp\n"
        "userPassword: temp-dir-pw\n\n"
        f"dn: cn=temp-group,{GROUPS}\nobjectClass: groupOfNames\ncn: temp-group\nmember: uid=temp,{PEOPLE}\n",
    )
    ldap_api.settings.ldap_group_roles[f"cn=temp-group,{GROUPS}"] = "operator"
    try:
        r = await login(ldap_api, "temp", "temp-dir-pw")
        assert r.status_code == 200, r.text
        token = r.json()["access_token"]
        directory.ldif("ldapdelete", f"uid=temp,{PEOPLE}")
        async with ldap_api.db.session() as session:
            report = await sync_directory(session, ldap_api.settings)
            await session.commit()
        assert report.disabled == 1 and report.unavailable is None
        me = await ldap_api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 401
        assert (await login(ldap_api, "temp", "temp-dir-pw")).status_code == 401
        acts = await actions(ldap_api)
        assert "user.directory_disable" in acts and "ldap.sync" in acts
    finally:
        directory.ldif("ldapdelete", f"cn=temp-group,{GROUPS}")


async def test_sync_with_directory_down_disables_nobody(ldap_api, directory):
    assert (await login(ldap_api, "oksana", "oksana-directory-pw")).status_code == 200
    ldap_api.settings.ldap_url = "ldaps://127.0.0.1:1"
    async with ldap_api.db.session() as session:
        report = await sync_directory(session, ldap_api.settings)
        await session.commit()
        assert report.unavailable and report.disabled == 0
        assert (await session.scalar(select(User.is_active).where(User.username == "oksana"))) is True


def test_cli_ldap_check_and_sync(db_url, directory, tmp_path, monkeypatch):
    config = tmp_path / "omnidesk.toml"
    s = ldap_settings(directory)
    lines = [f'database_url = "{db_url}"']
    for key in ("ldap_url", "ldap_ca_file", "ldap_bind_dn", "ldap_bind_password", "ldap_user_base", "ldap_group_base"):
        lines.append(f'{key} = "{s[key]}"')
    lines.append("[ldap_group_roles]")
    lines += [f'"{dn}" = "{role}"' for dn, role in s["ldap_group_roles"].items()]
    config.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("OMNIDESK_CONFIG", str(config))  # restored after the test (load_settings sets it)
    check = omnidesk_here("--config", str(config), "ldap", "check", "ivan.koval")
    assert check.returncode == 0, check.stderr
    assert "cn=ivan.koval" in check.stdout and "operator" in check.stdout and "ivan-directory-pw" not in check.stdout
    missing = omnidesk_here("--config", str(config), "ldap", "check", "nobody")
    assert missing.returncode == 1 and "not found" in missing.stderr
    sync = omnidesk_here("--config", str(config), "ldap", "sync")
    assert sync.returncode == 0, sync.stderr
    assert "checked 0" in sync.stdout


# --- nested groups ----------------------------------------------------------------------------------------------

NESTED = f"""dn: uid=nina,{PEOPLE}
objectClass: inetOrgPerson
uid: nina
cn: Nina Nested
sn: Nested
userPassword: nina-directory-pw

dn: cn=team-kyiv,{GROUPS}
objectClass: groupOfNames
cn: team-kyiv
member: uid=nina,{PEOPLE}

dn: cn=region-north,{GROUPS}
objectClass: groupOfNames
cn: region-north
member: cn=team-kyiv,{GROUPS}

dn: cn=loop-a,{GROUPS}
objectClass: groupOfNames
cn: loop-a
member: cn=region-north,{GROUPS}

dn: cn=loop-b,{GROUPS}
objectClass: groupOfNames
cn: loop-b
member: cn=loop-a,{GROUPS}

dn: cn=ad-parent,{GROUPS}
objectClass: groupOfNames
cn: ad-parent
member: cn=ad-child,{GROUPS}

dn: cn=ad-child,{GROUPS}
objectClass: groupOfNames
objectClass: omnideskTestAdUser
cn: ad-child
member: cn=olena.ad,{PEOPLE}
memberOf: cn=ad-parent,{GROUPS}

dn: cn=olena.ad,{PEOPLE}
objectClass: inetOrgPerson
objectClass: omnideskTestAdUser
cn: olena.ad
sn: Ad
sAMAccountName: olena.ad
userAccountControl: 512
memberOf: cn=ad-child,{GROUPS}
userPassword: olena-directory-pw
"""
NESTED_DNS = [
    f"cn=olena.ad,{PEOPLE}",
    f"cn=ad-child,{GROUPS}",
    f"cn=ad-parent,{GROUPS}",
    f"cn=loop-b,{GROUPS}",
    f"cn=loop-a,{GROUPS}",
    f"cn=region-north,{GROUPS}",
    f"cn=team-kyiv,{GROUPS}",
    f"uid=nina,{PEOPLE}",
]


@pytest.fixture(scope="module")
def nested(directory):
    directory.ldif("ldapadd", NESTED)
    # loop-a is in loop-b and loop-b in loop-a: a cycle the expansion must survive.
    directory.ldif(
        "ldapmodify", f"dn: cn=loop-a,{GROUPS}\nchangetype: modify\nadd: member\nmember: cn=loop-b,{GROUPS}\n"
    )
    yield directory
    directory.ldif("ldapdelete", "\n".join(NESTED_DNS))


def _directory(directory, **overrides) -> Directory:
    from omnidesk.server.config import Settings

    return Directory(Settings(**ldap_settings(directory, **overrides)))


def _cns(entry) -> set[str]:
    return {dn.split(",")[0].removeprefix("cn=") for dn in entry.groups}


@pytest.mark.parametrize("mode", ["auto", "recursive", "in_chain"])
def test_nested_groups_are_expanded_through_every_level_and_a_cycle_ends(nested, mode):
    # slapd is not Active Directory: auto expands level by level, and in_chain (a rule slapd does not know) falls back.
    entry = _directory(nested, ldap_nested_groups=mode).find("nina")
    assert _cns(entry) == {"team-kyiv", "region-north", "loop-a", "loop-b"}


def test_nested_groups_off_counts_direct_groups_only(nested):
    assert _cns(_directory(nested, ldap_nested_groups="off").find("nina")) == {"team-kyiv"}


def test_nested_groups_without_group_base_follow_each_groups_member_of(nested):
    entry = _directory(nested, ldap_group_base=None).find("olena.ad")
    assert _cns(entry) == {"ad-child", "ad-parent"}


def test_auto_asks_the_root_dse_and_takes_slapd_for_a_plain_directory(nested):
    d = _directory(nested)
    conn = d._service()
    try:
        assert d._mode(conn) == "recursive"
    finally:
        conn.unbind()


class _ActiveDirectoryStub:
    """Answers the one in-chain search Active Directory would, and records the filters it was sent."""

    def __init__(self, groups):
        self.groups, self.filters, self.response, self.result = groups, [], [], {"result": 0}

    def search(self, base, search_filter, scope, attributes=None):
        self.filters.append((base, search_filter))
        if "supportedCapabilities" in (attributes or []):
            self.response = [
                {"type": "searchResEntry", "attributes": {"supportedCapabilities": ["1.2.840.113556.1.4.800"]}}
            ]
        else:
            self.response = [{"type": "searchResEntry", "dn": g} for g in self.groups]
        return bool(self.response)


def test_active_directory_is_asked_once_with_the_in_chain_matching_rule(directory):
    d = _directory(directory, ldap_group_base=None)
    user = "CN=Ivan Koval,OU=Kyiv,OU=Staff,DC=bank,DC=local"
    conn = _ActiveDirectoryStub(["CN=Desk Operators,OU=Groups,DC=bank,DC=local"])
    groups = d._nested(conn, user, {"CN=Kyiv Team,OU=Groups,DC=bank,DC=local"})
    assert groups == {"CN=Kyiv Team,OU=Groups,DC=bank,DC=local", "CN=Desk Operators,OU=Groups,DC=bank,DC=local"}
    assert conn.filters[-1] == (
        "DC=bank,DC=local",
        "(member:1.2.840.113556.1.4.1941:=CN=Ivan Koval,OU=Kyiv,OU=Staff,DC=bank,DC=local)",
    )
    assert len(conn.filters) == 2  # the root DSE, then one search for the whole chain


async def test_operator_in_a_nested_group_signs_in_with_the_outer_groups_role_and_queue(db_url, nested):
    overrides = ldap_settings(nested)
    overrides["ldap_group_roles"] = {f"cn=region-north,{GROUPS}": "supervisor"}
    overrides["ldap_group_queues"] = {f"cn=loop-b,{GROUPS}": ["Billing"]}
    settings, db = await _api(db_url, **overrides)
    async with serve(settings) as (_app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            r = await client.post("/api/v1/auth/login", json={"username": "nina", "password": "nina-directory-pw"})
            assert r.status_code == 200, r.text
            me = r.json()["user"]
            assert me["role"] == "supervisor"
            api = Api(url=url, db=db, settings=settings, client=client, app=_app)
            assert await queue_names(api, me["id"]) == ["Billing"]
    await db.dispose()
