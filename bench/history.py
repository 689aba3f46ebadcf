"""A plan with a git history, for the archive site's benchmark (`sendplan site`).

    python bench/history.py N DIR [--months 24] [--approvals 12] [--seed S]

The plan of bench/generate.py, committed once a month for `--months` months (ending with the
generated plan's report month): each month's commit holds the ratings and KPI figures known by
that month's end, so every commit's objective and KPI files differ, as a real plan's do. The
board approves every other month (`approvals/YYYY-MM.yaml` naming that month's commit); the
last commit adds the approvals and restates one KPI figure per area after its approval, so the
approved months have changes since approval to list. Standard library and git only.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import generate

_RATING = re.compile(r"^  - date: (\d{4}-\d{2}-\d{2})$")
_POINT = re.compile(r"^  - \{period: (\d{4})-(\d{2}),")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def _git(root: Path, *args: str, when: date | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if when is not None:
        stamp = f"{when.isoformat()}T18:00:00+00:00"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    done = subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.stdout


def objective_at(text: str, end: date) -> str:
    """An objective file with only the ratings dated on or before `end`."""
    head, marker, ratings = text.partition("ratings:\n")
    if not marker:
        return text
    kept: list[str] = []
    keep = False
    for line in ratings.splitlines(keepends=True):
        found = _RATING.match(line.rstrip("\n"))
        if found:
            keep = date.fromisoformat(found.group(1)) <= end
        if keep:
            kept.append(line)
    return head + (marker + "".join(kept) if kept else "")


def kpi_at(text: str, end: date) -> str:
    """A KPI file with only the figures whose month has ended by `end`."""
    lines = []
    for line in text.splitlines(keepends=True):
        found = _POINT.match(line)
        if found and generate.month_end(int(found.group(1)), int(found.group(2))) > end:
            continue
        lines.append(line)
    out = "".join(lines)
    return out.replace("data:\n", "data: []\n") if out.endswith("data:\n") else out


def _restated(found: re.Match[str]) -> str:
    return f"value: {float(found.group(1)) + 1:.1f}"


def month_ends(last: date, months: int) -> list[date]:
    return [generate.add_months(last, k - months + 1) for k in range(months)]


def history(n: int, root: Path, months: int = 24, approvals: int = 12, seed: int = 1) -> None:
    """Write the plan into `root` with its monthly history and approvals (emptied first)."""
    generate.generate(n, root, seed)
    final = {p: p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml"))}
    _git(root, "init", "-q")
    ends = month_ends(generate.LAST_RATING, months)
    commits: dict[date, str] = {}
    for end in ends:
        for path, text in final.items():
            parts = path.relative_to(root).parts
            if parts[0] == "plan" and parts[-1] != "area.yaml":
                cut = objective_at(text, end)
            elif parts[0] == "kpis":
                cut = kpi_at(text, end)
            else:
                continue
            path.write_text(cut, encoding="utf-8", newline="\n")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "--allow-empty", "-m", f"Ratings for {end:%B %Y}", when=end)
        commits[end] = _git(root, "rev-parse", "HEAD").strip()
    for path, text in final.items():
        path.write_text(text, encoding="utf-8", newline="\n")
    approved = ends[::2][-approvals:] if approvals else []
    folder = root / "approvals"
    folder.mkdir(exist_ok=True)
    for end in approved:
        meeting = end + timedelta(days=20)
        (folder / f"{end:%Y-%m}.yaml").write_text(
            f"month: {end:%Y-%m}\nboard: SEND Improvement and Assurance Board\n"
            f"date: {meeting.isoformat()}\ncommit: {commits[end]}\nby: Independent chair\n",
            encoding="utf-8",
            newline="\n",
        )
    for kpi in sorted((root / "kpis").glob("kpi-*-1.yaml")):  # one KPI per area
        lines = kpi.read_text(encoding="utf-8").splitlines(keepends=True)
        for i, line in enumerate(lines):
            found = _POINT.match(line)
            if found and generate.month_end(int(found.group(1)), int(found.group(2))) in approved:
                lines[i] = re.sub(r"value: ([\d.]+)", _restated, line)
                break
        kpi.write_text("".join(lines), encoding="utf-8", newline="\n")
    _git(root, "add", "-A")
    last = ends[-1] + timedelta(days=25)
    _git(root, "commit", "-q", "-m", "Approvals, and restated KPI figures", when=last)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="objectives")
    parser.add_argument("root", type=Path)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--approvals", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    history(args.n, args.root, args.months, args.approvals, args.seed)


if __name__ == "__main__":
    main()
