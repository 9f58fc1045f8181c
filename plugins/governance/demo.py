"""Demo content for ``ent demo``: *Souss Green*'s registry with dues, last spring's general
assembly with its votes and approved minutes, an open consultation, and a development plan
with projects, funders and indicators.

Idempotent: nothing is added when the association already has a member registry. Dates are
relative to today, so the assembly is always in the past and the consultation always open.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.governance.models import (
    AgendaItem,
    Ballot,
    Body,
    BudgetLine,
    Contribution,
    DevelopmentPlan,
    DuesPayment,
    DuesRate,
    Funder,
    Goal,
    Indicator,
    Mandate,
    Measurement,
    Meeting,
    MeetingAttendance,
    Member,
    MemberCategory,
    Milestone,
    Minutes,
    MinutesSignature,
    Office,
    Participation,
    Project,
    ProjectUpdate,
    Proxy,
    Vote,
    VoteOption,
)
from ent_plugins.governance.roll import freeze_roll, roll_member_ids
from sqlalchemy import func, select

from ent_core import sdk

SLUG = "souss-green"
PRESIDENT = "association@demo.ent.ma"
JOURNALIST = "journaliste@demo.ent.ma"

#: (name, category, paid the current year, paid last year)
PEOPLE = (
    ("Youssef Association", "founding", True, True),
    ("Fatima Zahra Amrani", "founding", True, True),
    ("Brahim Oubella", "founding", True, True),
    ("Salma Journaliste", "active", True, True),
    ("Aicha Bouzid", "active", True, True),
    ("Mohamed Aït Lahcen", "active", True, True),
    ("Khadija Idrissi", "active", True, True),
    ("Hassan Boutaleb", "active", True, True),
    ("Naima El Fassi", "active", True, True),
    ("Omar Benjelloun", "active", True, True),
    ("Rachida Ouhmad", "active", True, True),
    ("Abdellah Tazi", "active", True, True),
    ("Hanane Chakir", "active", True, True),
    ("Lahcen Ait Baha", "active", True, True),
    ("Zineb Alaoui", "active", True, True),
    ("Mustapha Ouchen", "active", False, True),
    ("Samira Belkadi", "active", False, True),
    ("Karim Nachit", "active", False, False),
    ("Latifa Ameziane", "active", False, False),
    ("Ahmed Bouhali", "honorary", False, False),
)


def load_demo(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    workspace = workspaces.get(SLUG)
    if workspace is None:
        return []
    with sdk.in_workspace(workspace):
        if sdk.db.session.scalar(select(func.count(Member.id))):
            return ["  kept the governance demo of Souss Green"]
        today = sdk.local_today(workspace)
        members = _registry(today, users)
        officers = _bodies(members, today)
        meeting = _assembly(workspace, members, officers, today)
        _consultation(workspace, today)
        _plan(today)
        sdk.db.session.commit()
    return [
        f"  created Souss Green's registry ({len(members)} members with dues), a general "
        f"assembly with its votes and minutes ({meeting.title}), an open consultation and a "
        "development plan with projects"
    ]


def _registry(today: date, users: dict[str, Any]) -> dict[str, Member]:
    categories = {}
    for position, (code, name, pays, votes) in enumerate(
        (
            ("founding", "Membre fondateur", True, True),
            ("active", "Membre actif", True, True),
            ("honorary", "Membre d'honneur", False, False),
        )
    ):
        category = sdk.db.session.scalar(select(MemberCategory).where(MemberCategory.code == code))
        if category is None:
            category = MemberCategory(
                code=code, name=name, pays_dues=pays, votes=votes, position=position
            )
            sdk.db.session.add(category)
        categories[code] = category
    sdk.db.session.flush()
    for code in ("founding", "active"):
        for year in (today.year - 1, today.year):
            if (
                sdk.db.session.scalar(
                    select(DuesRate).where(
                        DuesRate.category_id == categories[code].id, DuesRate.year == year
                    )
                )
                is None
            ):
                sdk.db.session.add(
                    DuesRate(category_id=categories[code].id, year=year, amount=Decimal("200"))
                )
    accounts = {PEOPLE[0][0]: users.get(PRESIDENT), PEOPLE[3][0]: users.get(JOURNALIST)}
    members: dict[str, Member] = {}
    receipt = 0
    for number, (name, code, paid_now, paid_before) in enumerate(PEOPLE, start=1):
        account = accounts.get(name)
        member = Member(
            number=f"SG-{number:03d}",
            name=name,
            email=account.email if account else f"membre{number}@souss-green.example.ma",
            phone=f"+212 6 61 00 {number:02d} {number * 3 % 100:02d}",
            category_id=categories[code].id,
            language="ar" if number % 4 == 0 else "fr",
            user_id=account.id if account else None,
            joined_on=date(today.year - 3, 1 + number % 12, 10),
        )
        sdk.db.session.add(member)
        sdk.db.session.flush()
        members[name] = member
        for year, paid in ((today.year - 1, paid_before), (today.year, paid_now)):
            if not paid:
                continue
            receipt += 1
            sdk.db.session.add(
                DuesPayment(
                    member_id=member.id,
                    year=year,
                    amount=Decimal("200"),
                    method=("cash", "transfer", "cheque")[number % 3],
                    paid_on=date(year, 1 + number % 3, 5 + number),
                    receipt_number=f"{year}-{receipt:05d}",
                )
            )
    sdk.db.session.flush()
    return members


def _bodies(members: dict[str, Member], today: date) -> dict[str, Member]:
    assembly = Body(kind="general_assembly", name="Assemblée générale")
    bureau = Body(kind="bureau", name="Bureau", term_years=3)
    sdk.db.session.add_all([assembly, bureau])
    sdk.db.session.flush()
    holders = {
        "president": ("Président", "Youssef Association"),
        "secretary": ("Secrétaire général", "Fatima Zahra Amrani"),
        "treasurer": ("Trésorier", "Brahim Oubella"),
        "board_member": ("Assesseur", "Aicha Bouzid"),
    }
    officers = {}
    for position, (role, (title, name)) in enumerate(holders.items()):
        office = Office(body_id=bureau.id, title=title, role=role, position=position)
        sdk.db.session.add(office)
        sdk.db.session.flush()
        sdk.db.session.add(
            Mandate(
                office_id=office.id,
                member_id=members[name].id,
                starts_on=today - timedelta(days=120),
                ends_on=today - timedelta(days=120) + timedelta(days=3 * 365),
            )
        )
        officers[role] = members[name]
    return officers


def _at(workspace: Any, day: date, hour: int) -> datetime:
    return sdk.to_utc(datetime.combine(day, time(hour, 0)), workspace)


def _assembly(
    workspace: Any, members: dict[str, Member], officers: dict[str, Member], today: date
) -> Meeting:
    held_on = today - timedelta(days=120)
    assembly = sdk.db.session.scalar(select(Body).where(Body.kind == "general_assembly"))
    roll = freeze_roll(held_on - timedelta(days=15))
    meeting = Meeting(
        body_id=assembly.id,
        kind="ordinary",
        title=f"Assemblée générale ordinaire {held_on.year}",
        starts_at=_at(workspace, held_on, 10),
        ends_at=_at(workspace, held_on, 13),
        location="Maison des associations, Agadir",
        notice_days=15,
        roll_id=roll.id,
        status="held",
        convened_at=_at(workspace, held_on - timedelta(days=21), 9),
    )
    sdk.db.session.add(meeting)
    sdk.db.session.flush()
    voters = sorted(roll_member_ids(roll.id))
    present, represented = voters[:11], voters[11:13]
    for member_id in present:
        sdk.db.session.add(
            MeetingAttendance(
                meeting_id=meeting.id,
                member_id=member_id,
                rsvp="yes",
                presence="online" if member_id == present[-1] else "in_room",
                signed_at=meeting.starts_at,
            )
        )
    for principal, holder in zip(represented, present, strict=False):
        sdk.db.session.add(Proxy(meeting_id=meeting.id, principal_id=principal, holder_id=holder))
    titles = ("Rapport moral", "Rapport financier", "Élection du bureau")
    items = []
    for position, title in enumerate(titles, start=1):
        item = AgendaItem(meeting_id=meeting.id, position=position, title=title)
        sdk.db.session.add(item)
        items.append(item)
    sdk.db.session.flush()
    casting = present + represented
    for item, (for_, against) in zip(items[:2], ((11, 1), (10, 2)), strict=True):
        vote = _vote(
            meeting, item, f"Approbation du {item.title.lower()}", "resolution", "open", held_on
        )
        options = {o.code: o for o in vote.options}
        for index, member_id in enumerate(casting):
            code = "for" if index < for_ else "against" if index < for_ + against else "abstain"
            _cast(vote, member_id, [options[code].id], secret=False)
    election = _vote(meeting, items[2], "Élection du bureau", "election", "secret", held_on)
    election.max_choices = 4
    candidates = [o.id for o in election.options]
    for member_id in casting:
        _cast(election, member_id, candidates, secret=True)
    minutes = Minutes(
        meeting_id=meeting.id,
        language="fr",
        body=_minutes_text(meeting, len(voters), len(present), len(represented)),
        status="approved",
        approved_at=meeting.ends_at,
        published=True,
        published_at=meeting.ends_at,
    )
    minutes.frozen_hash = hashlib.sha256(minutes.body.encode("utf-8")).hexdigest()
    sdk.db.session.add(minutes)
    sdk.db.session.flush()
    for role in ("president", "secretary"):
        sdk.db.session.add(
            MinutesSignature(
                minutes_id=minutes.id,
                office_role=role,
                member_id=officers[role].id,
                signed_at=meeting.ends_at,
            )
        )
    return meeting


def _vote(
    meeting: Meeting | None, item: AgendaItem | None, title: str, kind: str, ballot: str, day: date
) -> Vote:
    vote = Vote(
        meeting_id=meeting.id if meeting else None,
        agenda_item_id=item.id if item else None,
        title=title,
        kind=kind,
        ballot=ballot,
        majority="simple" if kind != "election" else "absolute",
        status="closed",
        opened_at=meeting.starts_at if meeting else None,
        closed_at=meeting.ends_at if meeting else None,
    )
    sdk.db.session.add(vote)
    sdk.db.session.flush()
    if kind == "resolution":
        labels = (("for", "Pour"), ("against", "Contre"), ("abstain", "Abstention"))
        for position, (code, label) in enumerate(labels):
            sdk.db.session.add(
                VoteOption(vote_id=vote.id, position=position, label=label, code=code)
            )
    elif kind == "election":
        for position, name in enumerate(
            ("Youssef Association", "Fatima Zahra Amrani", "Brahim Oubella", "Aicha Bouzid")
        ):
            candidate = sdk.db.session.scalar(select(Member).where(Member.name == name))
            sdk.db.session.add(
                VoteOption(
                    vote_id=vote.id, position=position, label=name, candidate_id=candidate.id
                )
            )
    sdk.db.session.flush()
    sdk.db.session.refresh(vote)
    return vote


def _cast(vote: Vote, member_id: int, choices: list[int], *, secret: bool) -> None:
    sdk.db.session.add(Participation(vote_id=vote.id, member_id=member_id, cast_by_id=member_id))
    receipt = secrets.token_urlsafe(12)
    sdk.db.session.add(
        Ballot(
            id=secrets.token_hex(16),
            vote_id=vote.id,
            choices=choices,
            member_id=None if secret else member_id,
            receipt_hash=hashlib.sha256(receipt.encode()).hexdigest(),
        )
    )


def _minutes_text(meeting: Meeting, roll: int, present: int, represented: int) -> str:
    return (
        f"# Procès-verbal — {meeting.title}\n\n"
        f"L'assemblée générale ordinaire de l'association Souss Green s'est réunie à la "
        f"{meeting.location}. Sur {roll} membres inscrits sur la liste électorale, {present} "
        f"étaient présents et {represented} représentés : le quorum de la moitié est atteint.\n\n"
        "## 1. Rapport moral\n\nLe président présente les actions de l'année : réhabilitation "
        "des khettaras, pépinière d'arganiers, ateliers numériques pour les jeunes. "
        "**Résolution adoptée** (11 pour, 1 contre, 1 abstention).\n\n"
        "## 2. Rapport financier\n\nLe trésorier présente les comptes. **Résolution adoptée** "
        "(10 pour, 2 contre, 1 abstention).\n\n"
        "## 3. Élection du bureau\n\nÀ bulletin secret, le bureau sortant est réélu pour trois "
        "ans.\n\nL'ordre du jour étant épuisé, la séance est levée à 13 h."
    )


def _consultation(workspace: Any, today: date) -> None:
    roll = freeze_roll(today - timedelta(days=2))
    vote = Vote(
        roll_id=roll.id,
        title="Date des journées de plantation d'arganiers",
        description="Choisissez le week-end qui vous convient le mieux.",
        kind="single",
        ballot="open",
        majority="simple",
        status="open",
        opens_at=_at(workspace, today - timedelta(days=2), 9),
        opened_at=_at(workspace, today - timedelta(days=2), 9),
        closes_at=_at(workspace, today + timedelta(days=12), 18),
    )
    sdk.db.session.add(vote)
    sdk.db.session.flush()
    for position, label in enumerate(
        ("Premier week-end de janvier", "Troisième week-end de janvier")
    ):
        sdk.db.session.add(VoteOption(vote_id=vote.id, position=position, label=label))
    sdk.db.session.flush()
    sdk.db.session.refresh(vote)
    for member_id in sorted(roll_member_ids(roll.id))[:5]:
        _cast(vote, member_id, [vote.options[member_id % 2].id], secret=False)


def _plan(today: date) -> None:
    plan = DevelopmentPlan(
        title=f"Plan de développement {today.year - 1}-{today.year + 3} : un Souss vert",
        summary="Eau, arganeraie et jeunesse : les trois chantiers que l'assemblée générale a "
        "retenus pour cinq ans.",
        starts_year=today.year - 1,
        ends_year=today.year + 3,
        published=True,
    )
    sdk.db.session.add(plan)
    sdk.db.session.flush()
    goals = []
    for position, title in enumerate(
        ("L'eau pour chaque douar", "Replanter l'arganeraie", "Des jeunes formés au numérique")
    ):
        goal = Goal(plan_id=plan.id, position=position, title=title)
        sdk.db.session.add(goal)
        goals.append(goal)
    funders = {
        kind: Funder(name=name, kind=kind)
        for kind, name in (
            ("indh", "INDH — Initiative nationale pour le développement humain"),
            ("commune", "Commune de Tiznit"),
            ("foreign", "Coopération allemande (GIZ)"),
            ("members", "Cotisations des membres"),
        )
    }
    sdk.db.session.add_all(funders.values())
    sdk.db.session.flush()
    khettaras = Project(
        plan_id=plan.id,
        goal_id=goals[0].id,
        title="Réhabilitation de douze khettaras",
        summary="Curage et consolidation des galeries drainantes qui irriguent les jardins de "
        "six douars.",
        location="Cercle de Tiznit",
        status="running",
        starts_on=date(today.year - 1, 3, 1),
        ends_on=date(today.year + 1, 6, 30),
        published=True,
    )
    nursery = Project(
        plan_id=plan.id,
        goal_id=goals[1].id,
        title="Pépinière associative d'arganiers",
        summary="Vingt mille plants par an, distribués aux coopératives féminines.",
        location="Aït Baha",
        status="running",
        starts_on=date(today.year, 1, 15),
        published=True,
    )
    sdk.db.session.add_all([khettaras, nursery])
    sdk.db.session.flush()
    for project, lines in (
        (
            khettaras,
            (
                ("Travaux de curage", "420000", "380000", "312500.50"),
                ("Maçonnerie et regards", "180000", "90000", "64200"),
                ("Animation et suivi", "60000", "40000", "35800"),
            ),
        ),
        (
            nursery,
            (
                ("Serre et irrigation", "95000", "95000", "91250"),
                ("Semences et substrat", "30000", "12000", "9800"),
            ),
        ),
    ):
        for position, (label, planned, committed, spent) in enumerate(lines):
            sdk.db.session.add(
                BudgetLine(
                    project_id=project.id,
                    position=position,
                    label=label,
                    planned=Decimal(planned),
                    committed=Decimal(committed),
                    spent=Decimal(spent),
                )
            )
    for project, funder, year, pledged, received in (
        (khettaras, "indh", today.year - 1, "300000", "300000"),
        (khettaras, "commune", today.year - 1, "80000", "80000"),
        (khettaras, "foreign", today.year, "250000", "150000"),
        (nursery, "commune", today.year, "60000", "60000"),
        (nursery, "members", today.year, "5000", "4600"),
    ):
        sdk.db.session.add(
            Contribution(
                project_id=project.id,
                funder_id=funders[funder].id,
                year=year,
                pledged=Decimal(pledged),
                received=Decimal(received),
                received_on=date(year, 4, 1) if received != "0" else None,
            )
        )
    for title, due, done in (
        ("Études et autorisations", date(today.year - 1, 5, 31), date(today.year - 1, 5, 20)),
        ("Six premières khettaras", date(today.year, 3, 31), date(today.year, 4, 12)),
        ("Six dernières khettaras", date(today.year + 1, 3, 31), None),
    ):
        sdk.db.session.add(
            Milestone(project_id=khettaras.id, title=title, due_on=due, done_on=done)
        )
    households = Indicator(
        project_id=khettaras.id,
        name="Foyers desservis en eau d'irrigation",
        unit="foyers",
        baseline=Decimal("0"),
        target=Decimal("420"),
    )
    plants = Indicator(
        project_id=nursery.id,
        name="Plants d'arganier distribués",
        unit="plants",
        baseline=Decimal("0"),
        target=Decimal("20000"),
    )
    sdk.db.session.add_all([households, plants])
    sdk.db.session.flush()
    for indicator, values in ((households, (0, 95, 210)), (plants, (0, 6500))):
        for months, value in enumerate(values):
            sdk.db.session.add(
                Measurement(
                    indicator_id=indicator.id,
                    measured_on=today - timedelta(days=180 * (len(values) - 1 - months)),
                    value=Decimal(value),
                )
            )
    sdk.db.session.add(
        ProjectUpdate(
            project_id=khettaras.id,
            title="Six khettaras coulent à nouveau",
            body="Les habitants de six douars irriguent de nouveau leurs jardins depuis avril. "
            "Les travaux reprennent après l'été sur les six dernières galeries.",
            published=True,
            published_at=sdk.utcnow() - timedelta(days=200),
        )
    )
