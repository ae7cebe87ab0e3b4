"""Talking to the corporate directory (OpenLDAP or Active Directory) with ldap3: look a user up, check a password.

Blocking code (ldap3's synchronous strategy); the service runs it in a worker thread. Every connection is encrypted
when the settings say so: ``ldaps://`` or StartTLS, the server's certificate verified against the corporate CA
(``ldap_ca_file``, else the system's trust store) and its host name checked. A password is checked by binding as the
user; an empty password is refused before anything is sent (an LDAP "unauthenticated bind" would otherwise succeed).

Nested groups (``ldap_nested_groups``): a user in group A, where A is a member of group B, is in B too. Active
Directory answers that in one search with its matching rule LDAP_MATCHING_RULE_IN_CHAIN (``in_chain``); any other
directory (OpenLDAP's slapd, 389-ds) gets a breadth-first expansion, one search per level, that remembers every group
it has seen, so a cycle (A in B, B in A) ends, and stops at NESTED_MAX_DEPTH levels (``recursive``). ``auto`` asks the
directory's root DSE whether it is Active Directory; an Active Directory that refuses the rule falls back to the
expansion.
"""

from __future__ import annotations

import logging
import math
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from omnidesk.domain.directory import normalise_dn
from omnidesk.server.config import Settings

log = logging.getLogger("omnidesk.ldap")

ACCOUNT_DISABLED = 0x2  # Active Directory userAccountControl ACCOUNTDISABLE
IN_CHAIN = "1.2.840.113556.1.4.1941"  # LDAP_MATCHING_RULE_IN_CHAIN
AD_CAPABILITY = "1.2.840.113556.1.4.800"  # LDAP_CAP_ACTIVE_DIRECTORY_OID, in the root DSE's supportedCapabilities
NESTED_MAX_DEPTH = 16  # levels of groups in groups; real directories nest 3-5 deep
NESTED_BATCH = 50  # groups asked about in one search (one OR filter)


class DirectoryRefused(Exception):
    """The directory says no: unknown user, wrong password, disabled account. The message is for the audit log."""


class DirectoryUnavailable(Exception):
    """The directory could not be asked: unreachable, TLS failure, the service account refused."""


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    dn: str
    username: str
    display_name: str
    email: str | None
    groups: frozenset[str]
    disabled: bool


_USER_ATTRIBUTES = ["cn", "displayName", "mail", "uid", "sAMAccountName", "memberOf", "userAccountControl"]


class Directory:
    """One configured directory; each call opens its own short connection (logins are rare, connections cheap)."""

    def __init__(self, settings: Settings) -> None:
        if not settings.ldap_url or not settings.ldap_user_base:
            raise DirectoryUnavailable("directory sign-in needs ldap_url and ldap_user_base")
        self.settings = settings
        parts = urlsplit(settings.ldap_url)
        if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
            raise DirectoryUnavailable(
                f"ldap_url must be ldap://host[:port] or ldaps://host[:port], not {settings.ldap_url!r}"
            )
        self.secure = parts.scheme == "ldaps"
        tls = None
        if self.secure or settings.ldap_start_tls:
            tls = ldap3.Tls(
                ca_certs_file=settings.ldap_ca_file,
                validate=ssl.CERT_REQUIRED,
                version=ssl.PROTOCOL_TLS_CLIENT,
            )
        self.server = ldap3.Server(
            parts.hostname,
            port=parts.port or (636 if self.secure else 389),
            use_ssl=self.secure,
            tls=tls,
            get_info=ldap3.NONE,
            connect_timeout=settings.ldap_timeout,
        )

    def _connection(self, dn: str | None, password: str | None) -> ldap3.Connection:
        conn = ldap3.Connection(
            self.server,
            user=dn,
            password=password,
            auto_bind=ldap3.AUTO_BIND_NONE,
            receive_timeout=max(1, math.ceil(self.settings.ldap_timeout)),  # ldap3 packs it as an integer
            raise_exceptions=False,
            read_only=True,
            check_names=False,
        )
        try:
            conn.open()
            if self.settings.ldap_start_tls and not self.secure and not conn.start_tls():
                raise DirectoryUnavailable(f"StartTLS refused by the directory: {conn.result.get('description')}")
        except LDAPException as exc:
            raise DirectoryUnavailable(f"cannot reach the directory at {self.settings.ldap_url}: {exc}") from exc
        return conn

    def _service(self) -> ldap3.Connection:
        conn = self._connection(self.settings.ldap_bind_dn, self.settings.ldap_bind_password)
        try:
            ok = conn.bind()
        except LDAPException as exc:
            raise DirectoryUnavailable(f"the directory service bind failed: {exc}") from exc
        if not ok:
            conn.unbind()
            raise DirectoryUnavailable(f"the directory refused the service account: {conn.result.get('description')}")
        return conn

    def _find(self, conn: ldap3.Connection, username: str) -> DirectoryEntry | None:
        settings = self.settings
        who = settings.ldap_user_filter.replace("{username}", escape_filter_chars(username))
        if not conn.search(settings.ldap_user_base, who, ldap3.SUBTREE, attributes=_USER_ATTRIBUTES, size_limit=2):
            if conn.result.get("result") not in (0, 4):  # 0 success (no entries), 4 size limit
                raise DirectoryUnavailable(f"directory search failed: {conn.result.get('description')}")
        entries = [e for e in conn.response or [] if e.get("type") == "searchResEntry"]
        if len(entries) != 1:
            return None  # none, or ambiguous: never guess which person signs in
        entry = entries[0]
        dn, attrs = entry["dn"], entry["attributes"]
        groups = set(_values(attrs.get("memberOf")))
        if settings.ldap_group_base:
            member = escape_filter_chars(dn)
            conn.search(
                settings.ldap_group_base,
                f"(|(member={member})(uniqueMember={member})(memberUid={escape_filter_chars(username)}))",
                ldap3.SUBTREE,
                attributes=[],
            )
            groups.update(_dns(conn))
        if settings.ldap_nested_groups != "off":
            groups = self._nested(conn, dn, groups)
        disabled = False
        control = _first(attrs.get("userAccountControl"))
        if control is not None:
            try:
                disabled = bool(int(control) & ACCOUNT_DISABLED)
            except ValueError:
                disabled = False
        if not disabled and settings.ldap_disabled_filter:
            conn.search(dn, settings.ldap_disabled_filter, ldap3.BASE, attributes=[])
            disabled = any(e.get("type") == "searchResEntry" for e in conn.response or [])
        return DirectoryEntry(
            dn=dn,
            # The directory's spelling of the name (directories compare names case-insensitively; OmniDesk does not).
            username=str(_first(attrs.get("sAMAccountName")) or _first(attrs.get("uid")) or username),
            display_name=str(_first(attrs.get("displayName")) or _first(attrs.get("cn")) or username),
            email=_first(attrs.get("mail")),
            groups=frozenset(groups),
            disabled=disabled,
        )

    def _mode(self, conn: ldap3.Connection) -> str:
        mode = self.settings.ldap_nested_groups
        if mode != "auto":
            return mode
        conn.search("", "(objectClass=*)", ldap3.BASE, attributes=["supportedCapabilities"])
        capabilities = next((e["attributes"] for e in conn.response or [] if e.get("type") == "searchResEntry"), {})
        return "in_chain" if AD_CAPABILITY in _values(capabilities.get("supportedCapabilities")) else "recursive"

    def _nested(self, conn: ldap3.Connection, dn: str, direct: set[str]) -> set[str]:
        """``direct`` and every group those groups are members of, however deep."""
        if self._mode(conn) == "in_chain":
            base = self.settings.ldap_group_base or _domain_root(dn) or self.settings.ldap_user_base
            member = escape_filter_chars(dn)
            if conn.search(base, f"(member:{IN_CHAIN}:={member})", ldap3.SUBTREE, attributes=[]):
                return direct | set(_dns(conn))
            if not direct:
                return direct  # in no group at all
            # The chain includes the direct groups, so none found means the rule was not understood (a directory
            # that is not Active Directory evaluates an unknown matching rule as "undefined": no entries, no error).
            log.warning(
                "the directory did not answer LDAP_MATCHING_RULE_IN_CHAIN (%s); expanding nested groups level by level",
                conn.result.get("description"),
            )
        return self._expand(conn, direct)

    def _expand(self, conn: ldap3.Connection, direct: set[str]) -> set[str]:
        """Breadth-first: the groups naming any group of the last level as a member, until no new one appears."""
        settings = self.settings
        seen = {normalise_dn(g): g for g in direct}
        frontier = list(direct)
        for _level in range(NESTED_MAX_DEPTH):
            found: list[str] = []
            for start in range(0, len(frontier), NESTED_BATCH):
                batch = frontier[start : start + NESTED_BATCH]
                if settings.ldap_group_base:
                    members = "".join(
                        f"(member={g})(uniqueMember={g})" for g in (escape_filter_chars(dn) for dn in batch)
                    )
                    conn.search(settings.ldap_group_base, f"(|{members})", ldap3.SUBTREE, attributes=[])
                    found.extend(_dns(conn))
                else:  # no group base to search: read each group's own memberOf (Active Directory keeps one)
                    for group in batch:
                        conn.search(group, "(objectClass=*)", ldap3.BASE, attributes=["memberOf"])
                        for entry in conn.response or []:
                            if entry.get("type") == "searchResEntry":
                                found.extend(_values(entry["attributes"].get("memberOf")))
            frontier = []
            for group in found:
                key = normalise_dn(group)
                if key not in seen:  # a group seen before (a cycle, or two paths to it) is not asked about again
                    seen[key] = group
                    frontier.append(group)
            if not frontier:
                break
        else:
            log.warning("nested groups deeper than %d levels; the deeper ones are not counted", NESTED_MAX_DEPTH)
        return set(seen.values())

    def find(self, username: str) -> DirectoryEntry | None:
        """The entry of ``username`` read with the service account, or None when the directory has no such user."""
        conn = self._service()
        try:
            return self._find(conn, username)
        finally:
            conn.unbind()

    def authenticate(self, username: str, password: str) -> DirectoryEntry:
        """The entry of ``username`` when ``password`` is theirs and the account is enabled; else DirectoryRefused."""
        if not password:
            raise DirectoryRefused("empty password")
        entry = self.find(username)
        if entry is None:
            raise DirectoryRefused("no such directory user")
        if entry.disabled:
            raise DirectoryRefused("the directory account is disabled")
        conn = self._connection(entry.dn, password)
        try:
            ok = conn.bind()
        except LDAPException as exc:
            raise DirectoryUnavailable(f"the directory did not answer the password check: {exc}") from exc
        finally:
            conn.unbind()
        if not ok:
            raise DirectoryRefused("wrong directory password")
        return entry


def _domain_root(dn: str) -> str | None:
    """The ``DC=`` part of ``dn`` (an Active Directory domain's root), or None."""
    parts = [p.strip() for p in dn.split(",")]
    root = [p for p in parts if p.lower().startswith("dc=")]
    return ",".join(root) or None


def _dns(conn: ldap3.Connection) -> list[str]:
    return [e["dn"] for e in conn.response or [] if e.get("type") == "searchResEntry"]


def _values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def _first(value):
    values = _values(value)
    return values[0] if values else None
