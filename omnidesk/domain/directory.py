"""What a directory account is allowed in OmniDesk: its role and queues follow from its groups.

The one rule the sign-in and the directory sync both apply, so a user gets the same role and queues either way.
Group names are distinguished names, compared case-insensitively and without spaces after commas, as directories do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from omnidesk.domain.enums import Role


def normalise_dn(dn: str) -> str:
    return ",".join(part.strip() for part in dn.split(",")).lower()


@dataclass(frozen=True, slots=True)
class DirectoryGrant:
    role: Role | None  # None: the account may not sign in to OmniDesk
    queue_names: tuple[str, ...]


def grant_for_groups(
    groups: Iterable[str],
    group_roles: Mapping[str, str],
    group_queues: Mapping[str, Iterable[str]],
    default_role: str | None = None,
) -> DirectoryGrant:
    """The highest role any of ``groups`` maps to (else ``default_role``), and the queues of all of them, sorted."""
    member_of = {normalise_dn(g) for g in groups}
    roles = [Role(role) for dn, role in group_roles.items() if normalise_dn(dn) in member_of]
    role = max(roles, key=lambda r: r.rank) if roles else (Role(default_role) if default_role else None)
    queues = sorted({q for dn, names in group_queues.items() if normalise_dn(dn) in member_of for q in names})
    return DirectoryGrant(role, tuple(queues))
