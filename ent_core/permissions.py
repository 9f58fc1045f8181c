"""Named permissions and the roles that grant them, checked the same way by views and API."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, current_app, g, request

from ent_core.context import current_g
from ent_core.plugins import PluginError
from ent_core.tenancy import API, current_membership, current_workspace, signed_in_user

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Permission:
    """A named permission; ``roles`` lists the roles that hold it."""

    name: str
    label: Any
    roles: tuple[str, ...] = ("owner", "admin")


@dataclass(frozen=True, slots=True)
class Role:
    """A role a plugin adds on top of the core roles (owner, admin, editor, member)."""

    name: str
    label: Any
    description: Any = ""


class PermissionRegistry:
    __slots__ = ("by_role", "permissions", "roles")

    def __init__(self) -> None:
        self.permissions: dict[str, Permission] = {}
        self.roles: dict[str, Role] = {}
        self.by_role: dict[str, frozenset[str]] = {}

    def load(
        self, permissions: Iterable[tuple[str, Permission]], roles: Iterable[tuple[str, Role]]
    ) -> None:
        """``(who declared it, what)`` pairs, from the start-up hooks' answers: a clash names
        both plugins."""
        declared_by: dict[str, str] = {}
        for source, role in roles:
            if role.name in self.roles:
                raise PluginError(
                    f"role {role.name!r} is declared twice: by {declared_by[role.name]!r} "
                    f"and by {source!r}"
                )
            self.roles[role.name] = role
            declared_by[role.name] = source
        grants: dict[str, set[str]] = {name: set() for name in self.roles}
        for source, perm in permissions:
            if perm.name in self.permissions:
                raise PluginError(
                    f"permission {perm.name!r} is declared twice: by "
                    f"{declared_by[perm.name]!r} and by {source!r}"
                )
            self.permissions[perm.name] = perm
            declared_by[perm.name] = source
            for role in perm.roles:
                if role not in self.roles:
                    raise PluginError(
                        f"plugin {source!r}: permission {perm.name!r} names unknown role {role!r}"
                    )
                grants[role].add(perm.name)
        self.by_role = {role: frozenset(names) for role, names in grants.items()}

    def granted(self, roles: Iterable[str]) -> frozenset[str]:
        result: set[str] = set()
        for role in roles:
            result |= self.by_role.get(role, frozenset())
        return frozenset(result)


def registry() -> PermissionRegistry:
    return current_app.extensions["ent.permissions"]


def has_permission(name: str) -> bool:
    """Whether the current user holds ``name`` in the current workspace."""
    if name not in registry().permissions:
        raise LookupError(f"unknown permission {name!r}")
    user = signed_in_user()
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return name in _granted_here()


def _granted_here() -> frozenset[str]:
    """The current user's permissions in the current workspace, computed once per request."""
    kept = vars(current_g())
    granted = kept.get("ent_granted")
    if granted is None:
        membership = current_membership()
        granted = (
            registry().granted(membership.roles)
            if membership is not None and current_workspace() is not None
            else frozenset()
        )
        kept["ent_granted"] = granted
    return granted  # type: ignore[no-any-return]


def require_permission(name: str) -> Callable[[F], F]:
    """Decorate a view: 403 (``forbidden`` in the API) unless the user holds ``name``."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not has_permission(name):
                if g.get("ent_area") == API or request.blueprint == "api":
                    from ent_core.api.errors import ApiError

                    raise ApiError(
                        "forbidden",
                        f"You need the permission {name!r} in this workspace.",
                        403,
                        {"permission": name},
                    )
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
