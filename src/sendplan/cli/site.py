"""`sendplan site`: the archive site of the plan's whole history (SPEC §10)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sendplan.cli.app import (
    AllowInvalidOption,
    PlanOption,
    command,
    load_valid,
    plan_root,
    stderr,
    today,
)
from sendplan.errors import SendplanError

MAX_MONTHS = 600
"""Fifty years: a longer site is almost surely a mistyped date, and would take long to build."""


def _month(option: str, text: str | None) -> date | None:
    from sendplan.dates import parse_month

    if text is None:
        return None
    try:
        return parse_month(text)
    except ValueError as e:
        raise SendplanError(f"{option}: {e}") from None


@command(
    "sendplan site                          # build/site: every month since the first rating",
    "sendplan site -o public --public       # for the web: internal evidence left out",
    "sendplan site --from 2024-01 --to 2024-12",
)
def site(
    plan: PlanOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The folder to write the site into (default: build/site in the plan).",
            file_okay=False,
        ),
    ] = None,
    from_month: Annotated[
        str | None,
        typer.Option("--from", help="YYYY-MM: the first month (default: the first rated month)."),
    ] = None,
    to_month: Annotated[
        str | None, typer.Option("--to", help="YYYY-MM: the last month (default: this month).")
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Leave out evidence marked public: false.")
    ] = False,
    allow_invalid: AllowInvalidOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
) -> None:
    """The archive site: every month's report, every objective's and KPI's story."""
    from rich.text import Text

    from sendplan import git
    from sendplan.archive.board import board_months, first_rated_month, months_between
    from sendplan.archive.pages import Site
    from sendplan.archive.publish import check_target, render_processes, write_site
    from sendplan.cli.report import generated_at
    from sendplan.comparison import approved_month
    from sendplan.dates import month_end, month_label
    from sendplan.render import render_site
    from sendplan.views import ReportMeta

    root = plan_root(plan)
    out = output if output is not None else root / "build" / "site"
    check_target(out, root)  # before the work, so a wrong -o fails at once
    now = today()
    last = _month("--to", to_month) or month_end(now.year, now.month)
    loaded, errors = load_valid(root, allow_invalid)
    approvals = {a.month_end: a for a in loaded.plan.approval_by_month.values()}
    first = _month("--from", from_month) or min(
        [d for d in (first_rated_month(loaded.plan), *approvals) if d is not None] or [last]
    )
    if first > last:
        raise SendplanError(
            f"--from {first:%Y-%m} is after --to {last:%Y-%m}; the first month comes first"
        )
    months = months_between(first, last)
    if len(months) > MAX_MONTHS:
        raise SendplanError(
            f"the site would have {len(months):,} months ({first:%Y-%m} to {last:%Y-%m}); "
            f"pass --from YYYY-MM to start it later (at most {MAX_MONTHS})"
        )
    head = git.head_info(root)
    commit, dirty = (head.commit, head.dirty) if head else (None, False)
    # The plan at each approval commit: only the files that differ from the current plan.
    approved = {
        m: approved_month(root, loaded.plan, a) for m, a in approvals.items() if first <= m <= last
    }
    boards = board_months(months, loaded.plan, commit, dirty, approved)
    meta = ReportMeta(
        generated_at=generated_at(), commit=commit, dirty=dirty, public=public, invalid=errors
    )
    archive = Site(boards, loaded.plan, meta)
    every = list(archive.pages())  # each month's view is worked out once, here
    max_bytes = loaded.plan.settings.max_file_bytes

    def share(k: int, n: int) -> Iterable[tuple[str, str]]:
        return render_site(archive, every[k::n], root, max_bytes)

    pages = write_site(share, out, root, render_processes(len(every)))
    if not quiet:
        signed = sum(1 for b in boards if b.approval is not None)
        stderr().print(
            Text(
                f"wrote {pages:,} pages to {out}: {len(boards)} months "
                f"({month_label(first)} to {month_label(last)}, {signed} approved), "
                f"{len(archive.paths.objectives):,} objectives, {len(archive.paths.kpis):,} KPIs"
            )
        )
