"""The member registry: categories, adding and editing members, finding them, CSV in and out.

The pages, the API and the CSV import share :func:`check_member`, so a rule refuses the same
input everywhere. Statements work in a request (current workspace) and in a job inside
``sdk.in_workspace``: tenant selects are scoped automatically.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ent_plugins.governance import dues
from ent_plugins.governance.models import Member, MemberCategory
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError

from ent_core import sdk

_ = sdk._
LANGUAGES = ("fr", "ar", "en")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CIN = re.compile(r"^[A-Za-z]{1,2}[0-9]{1,8}$")

#: The categories an association starts with (code, pays dues, votes); it edits them freely.
DEFAULT_CATEGORIES = (
    ("founding", True, True),
    ("active", True, True),
    ("honorary", False, False),
)


def default_category_name(code: str) -> str:
    names = {
        "founding": sdk._l("Founding member"),
        "active": sdk._l("Active member"),
        "honorary": sdk._l("Honorary member"),
    }
    return str(names[code])


def ensure_default_categories(workspace: Any) -> int:
    """Create the default categories for ``workspace`` unless it has some; how many made."""
    with sdk.in_workspace(workspace):
        if sdk.db.session.scalar(select(MemberCategory.id).limit(1)) is not None:
            return 0
        for position, (code, pays, votes) in enumerate(DEFAULT_CATEGORIES):
            sdk.db.session.add(
                MemberCategory(
                    workspace_id=workspace.id,
                    code=code,
                    name=default_category_name(code),
                    pays_dues=pays,
                    votes=votes,
                    position=position,
                )
            )
        sdk.db.session.commit()
    return len(DEFAULT_CATEGORIES)


def categories() -> list[MemberCategory]:
    statement = select(MemberCategory).order_by(MemberCategory.position, MemberCategory.id)
    return list(sdk.db.session.scalars(statement))


def save_category(
    category: MemberCategory | None, code: str, name: str, pays_dues: bool, votes: bool
) -> MemberCategory:
    """Add (``category`` None) or change a category; its code is unique per association."""
    code = code.strip().lower()
    if not re.fullmatch(r"[a-z0-9_-]{1,40}", code):
        raise sdk.UserError(
            "validation_error",
            _("Use lowercase letters, digits, - and _ only."),
            field="code",
        )
    clash = select(MemberCategory.id).where(MemberCategory.code == code)
    if category is not None:
        clash = clash.where(MemberCategory.id != category.id)
    if sdk.db.session.scalar(clash) is not None:
        raise sdk.UserError("code_taken", _("Another category has this code."), 409, field="code")
    if category is None:
        position = sdk.db.session.scalar(select(func.count(MemberCategory.id))) or 0
        category = MemberCategory(
            workspace_id=sdk.current_workspace().id, position=position, code=code
        )
        sdk.db.session.add(category)
    category.code, category.name = code, name.strip()
    category.pays_dues, category.votes = pays_dues, votes
    sdk.db.session.commit()
    return category


# -- members --------------------------------------------------------------------------------
@dataclass
class MemberInput:
    """What a person types for a member (a form, a JSON body or a CSV line)."""

    name: str
    category_id: int | None
    joined_on: date | None
    number: str = ""
    email: str = ""
    phone: str = ""
    cin: str = ""
    language: str = "fr"
    left_on: date | None = None
    user_id: int | None = None
    notes: str = ""


@dataclass
class Problem:
    field: str
    message: str


def linkable_users(workspace: Any) -> dict[int, Any]:
    """The platform accounts a member record may be linked to: the workspace's members."""
    return {user.id: user for user in sdk.workspace_members(workspace)}


def check_member(
    data: MemberInput,
    *,
    category_ids: Iterable[int],
    user_ids: Iterable[int],
    taken_numbers: Iterable[str] = (),
) -> list[Problem]:
    """Everything wrong with ``data``, field by field (nothing read from the database)."""
    problems: list[Problem] = []
    if not data.name.strip():
        problems.append(Problem("name", _("Give the member's name.")))
    elif len(data.name) > 200:
        problems.append(Problem("name", _("At most 200 characters.")))
    if data.category_id is None or data.category_id not in set(category_ids):
        problems.append(Problem("category", _("Choose one of the association's categories.")))
    if data.email and not EMAIL.match(data.email):
        problems.append(Problem("email", _("This e-mail address is not valid.")))
    if data.cin and not CIN.match(data.cin):
        problems.append(Problem("cin", _("A CIN is one or two letters, then digits.")))
    if len(data.phone) > 40:
        problems.append(Problem("phone", _("At most 40 characters.")))
    if data.language not in LANGUAGES:
        problems.append(Problem("language", _("Choose French, Arabic or English.")))
    if data.joined_on is None:
        problems.append(Problem("joined_on", _("Give the date the member joined.")))
    elif data.left_on is not None and data.left_on < data.joined_on:
        problems.append(Problem("left_on", _("A member cannot leave before joining.")))
    if data.user_id is not None and data.user_id not in set(user_ids):
        problems.append(Problem("user", _("Only a member of this workspace can be linked.")))
    if data.number and data.number in set(taken_numbers):
        problems.append(Problem("number", _("Another member has this number.")))
    if len(data.number) > 40:
        problems.append(Problem("number", _("At most 40 characters.")))
    return problems


def _refuse(problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        raise sdk.UserError(
            "validation_error",
            first.message,
            field=first.field,
            details={"fields": {p.field: [p.message] for p in problems}},
        )


def _numbers(exclude: int | None = None) -> set[str]:
    statement = select(Member.number)
    if exclude is not None:
        statement = statement.where(Member.id != exclude)
    return set(sdk.db.session.scalars(statement))


def next_numbers(count: int, taken: set[str]) -> list[str]:
    """``count`` membership numbers after the highest numeric one (``00042``)."""
    highest = max((int(n) for n in taken if n.isdigit()), default=0)
    return [f"{highest + i:05d}" for i in range(1, count + 1)]


def _apply(member: Member, data: MemberInput) -> None:
    member.name = data.name.strip()
    member.category_id = data.category_id  # type: ignore[assignment]
    member.email = data.email.strip().lower() or None
    member.phone = data.phone.strip() or None
    member.cin = data.cin.strip().upper() or None
    member.language = data.language
    member.joined_on = data.joined_on  # type: ignore[assignment]
    member.left_on = data.left_on
    member.user_id = data.user_id
    member.notes = data.notes


def _linked_users(exclude: int | None = None) -> set[int]:
    """Accounts already linked to a member record (one record per account)."""
    statement = select(Member.user_id).where(Member.user_id.is_not(None))
    if exclude is not None:
        statement = statement.where(Member.id != exclude)
    return set(sdk.db.session.scalars(statement))


def _check(data: MemberInput, exclude: int | None) -> set[str]:
    workspace = sdk.current_workspace()
    taken = _numbers(exclude)
    problems = check_member(
        data,
        category_ids=[c.id for c in categories()],
        user_ids=linkable_users(workspace),
        taken_numbers=taken,
    )
    if data.user_id is not None and data.user_id in _linked_users(exclude):
        problems.append(Problem("user", _("This account is linked to another member already.")))
    _refuse(problems)
    return taken


def _commit_numbered() -> None:
    try:
        sdk.db.session.commit()
    except IntegrityError as exc:  # two officers gave the same number at the same moment
        sdk.db.session.rollback()
        raise sdk.UserError(
            "number_taken", _("Another member has this number."), 409, field="number"
        ) from exc


def create_member(data: MemberInput) -> Member:
    taken = _check(data, None)
    member = Member(workspace_id=sdk.current_workspace().id)
    member.number = data.number.strip() or next_numbers(1, taken)[0]
    _apply(member, data)
    sdk.db.session.add(member)
    sdk.audit("governance.member_added", details={"number": member.number})
    _commit_numbered()
    return member


def update_member(member: Member, data: MemberInput) -> Member:
    _check(data, member.id)
    if data.number.strip():
        member.number = data.number.strip()
    _apply(member, data)
    _commit_numbered()
    return member


def member_input(member: Member) -> MemberInput:
    """The member as editable input (to patch a few fields of it)."""
    return MemberInput(
        name=member.name,
        category_id=member.category_id,
        joined_on=member.joined_on,
        number=member.number,
        email=member.email or "",
        phone=member.phone or "",
        cin=member.cin or "",
        language=member.language,
        left_on=member.left_on,
        user_id=member.user_id,
        notes=member.notes,
    )


def own_member() -> Member | None:
    """The registry's record linked to the signed-in account, if any."""
    user = sdk.current_user
    if not user.is_authenticated:
        return None
    statement = select(Member).where(Member.user_id == user.id).order_by(Member.id)
    return sdk.db.session.scalars(statement.limit(1)).first()


# -- finding members ------------------------------------------------------------------------
@dataclass
class Filters:
    q: str = ""
    category_id: int | None = None
    status: str = ""
    include_left: bool = False


def registry_statement(filters: Filters, day: date) -> Any:
    """A select of the members matching ``filters`` on ``day`` (the status filter costs the
    fixed statements of :func:`dues.registry_standings`, not one per member)."""
    statement = sdk.scoped(Member)
    if filters.q.strip():
        pattern = f"%{filters.q.strip().lower()}%"
        statement = statement.where(
            or_(func.lower(Member.name).like(pattern), func.lower(Member.number).like(pattern))
        )
    if filters.category_id is not None:
        statement = statement.where(Member.category_id == filters.category_id)
    if not filters.include_left:
        statement = statement.where(or_(Member.left_on.is_(None), Member.left_on > day))
    if filters.status in dues.STATUSES:
        # The ids inline (integers read from the database): thousands of bound parameters
        # cost more than the page itself (bench/governance_lists.py).
        ids = bindparam("status_ids", dues.ids_with_status(day, filters.status), expanding=True,
                        literal_execute=True)  # fmt: skip
        statement = statement.where(Member.id.in_(ids))
    return statement


# -- CSV ------------------------------------------------------------------------------------
COLUMNS = (
    "number",
    "name",
    "email",
    "phone",
    "cin",
    "category",
    "language",
    "joined_on",
    "left_on",
)
REQUIRED_COLUMNS = ("name", "category", "joined_on")
MAX_IMPORT_ROWS = 10_000


@dataclass
class LineError:
    """What is wrong on one line of a CSV file (line 1 is the header), in which column."""

    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: list[MemberInput] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(text: str) -> date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise sdk.UserError(
            "invalid_csv", _("Save the file as CSV UTF-8 and try again."), field="file"
        ) from None


def read_csv(raw: bytes) -> ImportReport:
    """Check every line of a CSV of members (UTF-8, BOM or not, ``,`` or ``;``); write nothing.

    Lines are numbered as a spreadsheet shows them (the header is line 1).
    """
    text = _decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    report = ImportReport()
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        for column in missing:
            report.errors.append(LineError(1, column, _("This column is missing.")))
        return report
    by_code = {c.code: c.id for c in categories()}
    by_name = {c.name.strip().lower(): c.id for c in categories()}
    taken = _numbers()
    accounts = linkable_users(sdk.current_workspace()).values()
    linked = _linked_users()
    # An e-mail that is a workspace member's links their account, once and if still free.
    users_by_email = {u.email.lower(): u.id for u in accounts if u.id not in linked}
    seen_numbers: set[str] = set()
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(report.rows) >= MAX_IMPORT_ROWS:
            report.errors.append(LineError(line, "", _("At most 10,000 members at once.")))
            break
        cells = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        errors: list[LineError] = []
        dates: dict[str, date | None] = {}
        for column in ("joined_on", "left_on"):
            try:
                dates[column] = _parse_date(cells[column]) if cells.get(column) else None
            except ValueError:
                errors.append(
                    LineError(line, column, _("Write the date as 2024-03-31 or 31/03/2024."))
                )
                dates[column] = None
        category = cells.get("category", "")
        data = MemberInput(
            name=cells.get("name", ""),
            category_id=by_code.get(category.lower()) or by_name.get(category.lower()),
            joined_on=dates["joined_on"],
            number=cells.get("number", ""),
            email=cells.get("email", "").lower(),
            phone=cells.get("phone", ""),
            cin=cells.get("cin", ""),
            language=(cells.get("language") or "fr").lower(),
            left_on=dates["left_on"],
            user_id=users_by_email.get(cells.get("email", "").lower()),
        )
        problems = check_member(
            data,
            category_ids=by_code.values(),
            user_ids=users_by_email.values(),
            taken_numbers=taken | seen_numbers,
        )
        if "joined_on" in {e.column for e in errors}:
            problems = [p for p in problems if p.field != "joined_on"]
        errors += [LineError(line, _column(p.field), p.message) for p in problems]
        if data.number:
            seen_numbers.add(data.number)
        if data.user_id is not None:
            users_by_email.pop(data.email, None)
        report.errors += errors
        report.rows.append(data)
    return report


def _column(problem_field: str) -> str:
    return {"user": "email"}.get(problem_field, problem_field)


def import_members(raw: bytes, *, dry_run: bool) -> ImportReport:
    """Check the CSV; unless ``dry_run`` and when every line is right, add every member in one
    transaction (all or nothing)."""
    report = read_csv(raw)
    if dry_run or not report.ok:
        return report
    workspace_id = sdk.current_workspace().id
    numbers = iter(next_numbers(len(report.rows), _numbers() | {d.number for d in report.rows}))
    for data in report.rows:
        member = Member(workspace_id=workspace_id)
        member.number = data.number or next(numbers)
        _apply(member, data)
        sdk.db.session.add(member)
    sdk.audit("governance.members_imported", details={"count": len(report.rows)})
    _commit_numbered()
    return report


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(members: Iterable[Member], statuses: dict[int, str]) -> str:
    """The registry as CSV (UTF-8 with BOM, ``;``: what Excel opens right in French)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([*COLUMNS, "status"])
    for m in members:
        writer.writerow(
            [
                csv_safe(m.number),
                csv_safe(m.name),
                csv_safe(m.email),
                csv_safe(m.phone),
                csv_safe(m.cin),
                m.category.code,
                m.language,
                m.joined_on.isoformat(),
                m.left_on.isoformat() if m.left_on else "",
                statuses.get(m.id, ""),
            ]
        )
    return out.getvalue()
