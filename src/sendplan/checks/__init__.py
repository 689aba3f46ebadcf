"""The plan's integrity checks: each a small generator of Problems; the runner stamps codes.

A check says *where* and *what* (a `Problem`); `run_checks` gives it its code, severity and
line, and applies the plan's `checks:` (sendplan.yaml) to every finding in one place.
To add a check: write it with `@check(code, severity, bad=..., good=...)` in the module of its
topic (its docstring is its entry in `sendplan checks` and docs/checks.md) and list it here.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from sendplan import catalogue
from sendplan.checks import approvals, files, history, kpis, links, quality, recommendations
from sendplan.checks.base import Check, CommitLookup, Context, _no_history
from sendplan.findings import Finding, apply, finding
from sendplan.load import Loaded
from sendplan.model import Objective, Plan

ALL_CHECKS: tuple[Check, ...] = (
    files.duplicate_id,
    files.id_filename_mismatch,
    files.evidence_file_missing,
    files.path_outside_plan,
    links.unknown_evidence,
    links.unknown_kpi,
    links.unknown_area,
    links.unknown_theme,
    links.unknown_support,
    recommendations.unknown_objective,
    history.ratings_order,
    history.future_rating,
    history.due_history,
    history.future_withdrawal,
    history.future_record,
    history.rated_after_withdrawal,
    kpis.duplicate_period,
    kpis.trajectory,
    approvals.approval_commit_unknown,
    recommendations.recommendation_dates,
    links.orphan_evidence,
    quality.missing_owner,
    quality.unevidenced_rating,
)


def run_checks(
    loaded: Loaded,
    today: date,
    missing_commits: CommitLookup = _no_history,
    about: tuple[str, str] | None = None,
) -> list[Finding]:
    """Every finding of the plan: loading problems and every check, with the severities the
    plan's `checks:` sets, sorted.

    `missing_commits` looks approval commits up in git; without it they are not checked.
    `about` (a file and the ID of the item it holds: an approval's month) keeps only the
    findings on that file or naming that ID, the same ones as a whole run, at the cost of
    that item (`_focused`): what a write checks its one file with (rate.py, issue 19).
    """

    def wanted(path: str, item_id: str) -> bool:
        return about is None or path == about[0] or (bool(item_id) and item_id == about[1])

    context = Context(
        loaded if about is None else _focused(loaded, about[1]), today, missing_commits
    )
    problems = [
        (each, problem)
        for each in ALL_CHECKS
        for problem in each.run(context)
        if wanted(problem.path, problem.id)
    ]
    # Placed all at once: each file with problems is parsed once more, whatever their number.
    places = loaded.locate_all([(problem.path, problem.yaml_path) for _, problem in problems])
    found = [f for f in loaded.findings if wanted(f.path, f.id)]
    for (each, problem), (line, column) in zip(problems, places, strict=True):
        found.append(finding(each.code, problem.path, line, column, problem.message, problem.id))
    settings = loaded.plan.settings
    policy, refused = catalogue.policy(settings.checks, catalogue.all_codes())
    refused = refused if wanted(settings.path, "") else []
    refusal_places = loaded.locate_all([(settings.path, ("checks", r.name)) for r in refused])
    for refusal, (line, column) in zip(refused, refusal_places, strict=True):
        found.append(finding(refusal.code, settings.path, line, column, refusal.message))
    return sorted(apply(policy, found))


_INDEXES = (
    "area_by_id",
    "objective_by_id",
    "evidence_by_id",
    "kpi_by_id",
    "recommendation_by_id",
    "approval_by_month",
)


def _focused(loaded: Loaded, item_id: str) -> Loaded:
    """The plan cut down to what the checks need to find everything about one item: the items
    with its ID (a duplicate is one of them), for an evidence item those citing it (whether
    it is cited at all), every area and approval (few), and the whole plan's indexes, so each
    link is looked up as in a whole run. Every check reports a problem with the ID of the
    item it is about; tests/test_checks_focused.py holds this to a whole run on every item
    of every fixture plan."""
    plan = loaded.plan
    evidence = item_id in plan.evidence_by_id

    def cites(obj: Objective) -> bool:
        return item_id in obj.evidence or any(item_id in r.evidence for r in obj.ratings)

    focused = Plan(
        settings=plan.settings,
        areas=plan.areas,
        objectives=[o for o in plan.objectives if o.id == item_id or (evidence and cites(o))],
        evidence=[e for e in plan.evidence if e.id == item_id],
        kpis=[
            k
            for k in plan.kpis
            if k.id == item_id or (evidence and any(item_id in p.evidence for p in k.data))
        ],
        approvals=plan.approvals,
        recommendations=[r for r in plan.recommendations if r.id == item_id],
        files=plan.files,
    )
    for index in _INDEXES:
        focused.__dict__[index] = getattr(plan, index)  # cached_property: the whole plan's
    return dataclasses.replace(loaded, plan=focused)
