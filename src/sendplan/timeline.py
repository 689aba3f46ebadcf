"""The plan's statutory timeline at an as-of date A: its type and milestones (SPEC §9). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sendplan.model import Milestone, Settings


@dataclass(frozen=True)
class MilestoneState:
    """One milestone at A."""

    name: str
    due: date
    done: date | None
    """When it happened, if that is on or before A."""
    days_left: int
    """Days from A to `due`: negative once it has passed."""
    passed: bool
    """`due` is before A and the milestone is not done at A (flagged in the summary)."""
    note: str | None


def milestone_state(milestone: Milestone, as_of: date) -> MilestoneState:
    done = milestone.done if milestone.done is not None and milestone.done <= as_of else None
    return MilestoneState(
        name=milestone.name,
        due=milestone.due,
        done=done,
        days_left=(milestone.due - as_of).days,
        passed=done is None and milestone.due < as_of,
        note=milestone.note,
    )


def milestones_at(settings: Settings, as_of: date) -> tuple[MilestoneState, ...]:
    """Every milestone at `as_of`, by due date (ties in the order written)."""
    states = (milestone_state(m, as_of) for m in settings.milestones)
    return tuple(sorted(states, key=lambda m: m.due))


def next_milestone(milestones: tuple[MilestoneState, ...]) -> MilestoneState | None:
    """The first milestone due on or after A that is not done yet."""
    return next((m for m in milestones if m.done is None and m.days_left >= 0), None)
