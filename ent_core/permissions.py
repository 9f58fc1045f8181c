"""Named permissions and the roles that grant them, checked the same way by views and API.

A :class:`Permission` is held in a whole workspace; an :class:`ObjectPermission` is held on one
row (this course, this meeting): the roles it names hold it on every row, anyone else when its
``check`` says yes for that row (docs/sdk.md, "Permissions").
"""

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
class ObjectPermission:
    """A permission on one row of ``model``, declared once and checked everywhere (views,
    API, templates) through :func:`can`.

    The ``roles`` hold it on every row of the workspace; for anyone else
    ``check(user, obj, membership)`` decides (``membership`` is the user's in the current
    workspace, never ``None`` there: non-members are refused before it is asked).
    """

    name: str
    label: Any
    model: type[Any]
    check: Callable[[Any, Any, Any], bool]
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
        self.permissions: dict[str, Permission | ObjectPermission] = {}
        self.roles: dict[str, Role] = {}
        self.by_role: dict[str, frozenset[str]] = {}

    def load(
        self,
        permissions: Iterable[tuple[str, Permission | ObjectPermission]],
        roles: Iterable[tuple[str, Role]],
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
    """Whether the current user holds ``name`` in the current workspace (for an
    :class:`ObjectPermission`: on every row, through a role; :func:`can` asks about one row)."""
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


def can(name: str, obj: Any = None) -> bool:
    """Whether the current user holds ``name``; with ``obj``, the object permission ``name`` on
    that row (a row of another workspace: never). Also a template global:
    ``{% if can("training.manage_course", course) %}``."""
    if obj is None:
        return has_permission(name)
    perm = registry().permissions.get(name)
    if not isinstance(perm, ObjectPermission):
        raise LookupError(f"unknown object permission {name!r}")
    if not isinstance(obj, perm.model):
        raise TypeError(f"permission {name!r} is about {perm.model.__name__}, not {obj!r}")
    workspace = current_workspace()
    if workspace is None or getattr(obj, "workspace_id", workspace.id) != workspace.id:
        return False  # before the roles: they are roles in *this* workspace
    if has_permission(name):
        return True
    membership = current_membership()
    if membership is None:
        return False
    identity = _identity(obj)
    if identity is None:
        return bool(perm.check(signed_in_user(), obj, membership))
    kept = vars(current_g()).setdefault("ent_object_grants", {})
    key = (name, type(obj), identity)
    if key not in kept:
        kept[key] = bool(perm.check(signed_in_user(), obj, membership))
    return kept[key]  # type: ignore[no-any-return]


def _identity(obj: Any) -> Any:
    """The row's primary key (answers are kept per request and row), ``None`` before a flush."""
    mapper = getattr(obj, "__mapper__", None)
    if mapper is None:
        return None
    key = mapper.primary_key_from_instance(obj)
    return None if any(part is None for part in key) else tuple(key)


def authorize(name: str, obj: Any) -> Any:
    """``obj`` if the current user holds ``name`` on it, else 403 (``forbidden`` in the API)."""
    if not can(name, obj):
        _deny(name)
    return obj


def require_permission(name: str) -> Callable[[F], F]:
    """Decorate a view: 403 (``forbidden`` in the API) unless the user holds ``name``."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not has_permission(name):
                _deny(name)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def require_object_permission(
    name: str,
    model: type[Any],
    arg: str,
    *,
    via: Callable[[Any], Any] | None = None,
) -> Callable[[F], F]:
    """Decorate a view whose URL carries the id ``arg`` of a ``model`` row: load it in the
    current workspace (404 if absent or another workspace's), check ``name`` on it (or on
    ``via(row)``, e.g. a lesson's course) and pass it to the view under ``arg`` without
    ``_id`` (``course_id`` -> ``course``); 403 (``forbidden`` in the API) when refused."""
    target = arg.removesuffix("_id")

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from ent_core.sdk import get_or_404

            obj = get_or_404(model, kwargs.pop(arg))
            authorize(name, via(obj) if via is not None else obj)
            kwargs[target] = obj
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def _deny(name: str) -> None:
    if g.get("ent_area") == API or request.blueprint == "api":
        from ent_core.api.errors import ApiError

        raise ApiError(
            "forbidden",
            f"You need the permission {name!r} in this workspace.",
            403,
            {"permission": name},
        )
    abort(403)
