"""Development plans and projects: goals, budgets, funders, milestones, indicators, updates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk

AMOUNT = Numeric(14, 2)
VALUE = Numeric(14, 4)


class DevelopmentPlan(sdk.TenantMixin, sdk.db.Model):
    """A multi-year development plan (plan de développement)."""

    __tablename__ = "governance_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    starts_year: Mapped[int] = mapped_column(Integer)
    ends_year: Mapped[int] = mapped_column(Integer)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan", order_by="Goal.position, Goal.id"
    )


class Goal(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "governance_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("governance_plan.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="goals")


class Project(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "governance_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_plan.id", ondelete="SET NULL"), index=True
    )
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_goal.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Where it happens (a commune, a douar, a region).
    location: Mapped[str] = mapped_column(String(200), default="")
    #: planned, running, completed or cancelled.
    status: Mapped[str] = mapped_column(String(20), default="planned")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    plan: Mapped[DevelopmentPlan | None] = relationship()
    goal: Mapped[Goal | None] = relationship()
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="project", order_by="BudgetLine.position, BudgetLine.id"
    )
    contributions: Mapped[list[Contribution]] = relationship(back_populates="project")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", order_by="Milestone.due_on, Milestone.id"
    )
    indicators: Mapped[list[Indicator]] = relationship(back_populates="project")
    updates: Mapped[list[ProjectUpdate]] = relationship(
        back_populates="project", order_by="ProjectUpdate.created_at.desc()"
    )


class Funder(sdk.TenantMixin, sdk.db.Model):
    """Who gives money: INDH, a commune, a region, a foreign donor, members..."""

    __tablename__ = "governance_funder"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: indh, commune, region, state, foreign, private or members.
    kind: Mapped[str] = mapped_column(String(20), default="private")


class Contribution(sdk.TenantMixin, sdk.db.Model):
    """Money a funder pledged to (and paid into) a project in a year."""

    __tablename__ = "governance_contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("governance_project.id", ondelete="CASCADE"), index=True
    )
    funder_id: Mapped[int] = mapped_column(
        ForeignKey("governance_funder.id", ondelete="RESTRICT"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    pledged: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal("0"))
    received: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal("0"))
    received_on: Mapped[date | None] = mapped_column(Date)

    project: Mapped[Project] = relationship(back_populates="contributions")
    funder: Mapped[Funder] = relationship()


class BudgetLine(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "governance_budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("governance_project.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))
    planned: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal("0"))
    committed: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal("0"))
    spent: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal("0"))

    project: Mapped[Project] = relationship(back_populates="budget_lines")


class Milestone(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "governance_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("governance_project.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    project: Mapped[Project] = relationship(back_populates="milestones")


class Indicator(sdk.TenantMixin, sdk.db.Model):
    """What the project changes, measured: baseline, target and values over time."""

    __tablename__ = "governance_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("governance_project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline: Mapped[Decimal] = mapped_column(VALUE, default=Decimal("0"))
    target: Mapped[Decimal] = mapped_column(VALUE)

    project: Mapped[Project] = relationship(back_populates="indicators")
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", order_by="Measurement.measured_on"
    )


class Measurement(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "governance_measurement"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("governance_indicator.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(VALUE)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")


class ProjectUpdate(sdk.TenantMixin, sdk.db.Model):
    """News of a project for its page and the portal, with photos."""

    __tablename__ = "governance_project_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("governance_project.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    #: Keys of the photos stored with ``sdk.store_upload``, in order.
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: What the photos show, for readers who cannot see them (their ``alt`` text).
    photos_alt: Mapped[str] = mapped_column(Text, default="", server_default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    project: Mapped[Project] = relationship(back_populates="updates")
