"""The plan's integrity checks: each a small generator of Problems; the runner stamps codes.

A check says *where* and *what* (a `Problem`); `run_checks` gives it its code, severity and
line, and applies the plan's `checks:` (sendplan.yaml) to every finding in one place.
To add a check: write it with `@check(code, severity, bad=..., good=...)` in the module of its
topic (its docstring is its entry in `sendplan checks` and docs/checks.md) and list it here.
"""

from __future__ import annotations

from datetime import date

from sendplan import catalogue
from sendplan.checks import approvals, files, history, kpis, links, quality, recommendations
from sendplan.checks.base import Check, CommitLookup, Context, _no_history
from sendplan.findings import Finding, apply, finding
from sendplan.load import Loaded

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
    loaded: Loaded, today: date, missing_commits: CommitLookup = _no_history
) -> list[Finding]:
    """Every finding of the plan: loading problems and every check, with the severities the
    plan's `checks:` sets, sorted.

    `missing_commits` looks approval commits up in git; without it they are not checked.
    """
    context = Context(loaded, today, missing_commits)
    problems = [(each, problem) for each in ALL_CHECKS for problem in each.run(context)]
    # Placed all at once: each file with problems is parsed once more, whatever their number.
    places = loaded.locate_all([(problem.path, problem.yaml_path) for _, problem in problems])
    found = list(loaded.findings)
    for (each, problem), (line, column) in zip(problems, places, strict=True):
        found.append(finding(each.code, problem.path, line, column, problem.message, problem.id))
    settings = loaded.plan.settings
    policy, refused = catalogue.policy(settings.checks, catalogue.all_codes())
    refusal_places = loaded.locate_all([(settings.path, ("checks", r.name)) for r in refused])
    for refusal, (line, column) in zip(refused, refusal_places, strict=True):
        found.append(finding(refusal.code, settings.path, line, column, refusal.message))
    return sorted(apply(policy, found))
