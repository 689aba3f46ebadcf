"""Time sendplan against the floor on synthetic plans of 1,000 and 10,000 objectives.

    python bench/run.py [--sizes 1k,10k] [--rows floor,validate,report,flags,diff,bundled,site]
                        [--runs N] [--output bench/results.md]

Each measurement is a whole process (interpreter start, imports, reading, output), run
several times after one warm-up run; the table gives the median wall-clock time, the median CPU
time (user + system, less sensitive to a busy machine), the ratio to the floor measured in the
same run, and the peak resident set size (from wait4's rusage of that very process).
Plans are generated once into bench/.cache/ (each a git repository: the 1k plan has two commits
50 files apart, for `diff`; the 1k plan with history has 24 monthly commits and 12 approvals,
for `site`). `make bench` runs it all; it is not part of `make test`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import history  # noqa: E402

SIZES = {"1k": 1_000, "10k": 10_000}
RUNS = {"1k": 5, "10k": 3, "bundled": 7, "site": 3}
ROWS = ("floor", "validate", "report", "flags", "diff", "bundled", "site")
SITE_MONTHS, SITE_APPROVALS = 24, 12
SEED = 1
CHANGED_FILES = 50
BIN = Path(sys.executable).parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float


@dataclass
class Row:
    measure: str
    plan: str
    files: int
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> float:
        return max(s.rss_mb for s in self.samples)


def _git(root: Path, *args: str, when: str = "2025-07-01T09:00:00+00:00") -> None:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
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
    )


def _fingerprint(n: int) -> str:
    digest = hashlib.sha256((HERE / "generate.py").read_bytes())
    digest.update(f"{n}/{SEED}/{CHANGED_FILES}".encode())
    return digest.hexdigest()[:16]


def plan_dir(label: str) -> Path:
    """The cached plan of this size, generated (and committed) when missing or outdated."""
    n = SIZES[label]
    root = CACHE / f"plan-{label}"
    stamp = CACHE / f"plan-{label}.stamp"
    if root.is_dir() and stamp.is_file() and stamp.read_text() == _fingerprint(n):
        return root
    print(f"generating {n:,} objectives into {root} ...", file=sys.stderr, flush=True)
    stamp.unlink(missing_ok=True)
    generate.generate(n, root, SEED)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Generated plan", when="2025-06-30T17:00:00+00:00")
    if n <= 1_000:
        generate.change_files(root, CHANGED_FILES, SEED + 1)
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"{CHANGED_FILES} files changed")
    stamp.write_text(_fingerprint(n))
    return root


def history_dir() -> Path:
    """The cached 1k plan with 24 monthly commits and 12 approvals (bench/history.py)."""
    root = CACHE / "plan-1k-history"
    stamp = CACHE / "plan-1k-history.stamp"
    digest = hashlib.sha256((HERE / "history.py").read_bytes())
    digest.update(_fingerprint(SIZES["1k"]).encode())
    digest.update(f"{SITE_MONTHS}/{SITE_APPROVALS}".encode())
    if root.is_dir() and stamp.is_file() and stamp.read_text() == digest.hexdigest()[:16]:
        return root
    print(f"generating the history of 1,000 objectives into {root} ...", file=sys.stderr)
    stamp.unlink(missing_ok=True)
    history.history(SIZES["1k"], root, SITE_MONTHS, SITE_APPROVALS, SEED)
    stamp.write_text(digest.hexdigest()[:16])
    return root


def count_files(root: Path) -> int:
    return 1 + sum(
        1
        for top, pattern in (("plan", "*/*.yaml"), ("evidence", "*.md"), ("kpis", "*.yaml"))
        for _ in (root / top).glob(pattern)
    )


def measure(command: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> Sample:
    """One whole-process run: wall time, CPU time and peak RSS of exactly that process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(
            f"{' '.join(command)} exited {process.returncode}:\n{err.decode(errors='replace')}"
        )
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def has_diff() -> bool:
    done = subprocess.run(
        [str(BIN / "sendplan"), "diff", "--help"], capture_output=True, check=False
    )
    return done.returncode == 0


def commands(label: str, root: Path, out: Path) -> dict[str, list[str]]:
    sendplan = str(BIN / "sendplan")
    return {
        "floor": [sys.executable, str(HERE / "floor.py"), str(root)],
        "validate": [sendplan, "validate", "--plan", str(root), "--format", "json"],
        "report": [
            sendplan,
            "report",
            "--plan",
            str(root),
            "--month",
            generate.REPORT_MONTH,
            "--format",
            "html",
            "-o",
            str(out / f"report-{label}.html"),
            "--quiet",
        ],
        "flags": [
            sendplan,
            "flags",
            "--plan",
            str(root),
            "--month",
            generate.REPORT_MONTH,
            "--format",
            "json",
        ],
        "diff": [sendplan, "diff", "HEAD~1", "HEAD", "--plan", str(root), "--format", "json"],
    }


NAMES = {
    "floor": "floor (libyaml parse only)",
    "validate": "`validate --format json`",
    "report": "`report --format html`",
    "flags": "`flags --format json`",
    "diff": f"`diff HEAD~1 HEAD` ({CHANGED_FILES} files changed)",
}


def run_size(label: str, rows: list[str], runs: int, out: Path) -> list[Row]:
    root = plan_dir(label)
    files = count_files(root)
    wanted = [r for r in ("floor", "validate", "report", "flags", "diff") if r in rows]
    if label != "1k" and "diff" in wanted:
        wanted.remove("diff")
    table = {name: Row(NAMES[name], label, files) for name in wanted}
    if "diff" in table and not has_diff():
        table["diff"].note = "skipped: this build has no `sendplan diff` yet"
        wanted.remove("diff")
    every = commands(label, root, out)
    # Flags and report exit 0 on a valid plan; interleave the rows so that a change of load
    # on the machine hits the floor and sendplan alike.
    for name in wanted:
        measure(every[name], REPO)  # warm-up: file cache, .pyc
    for i in range(runs):
        for name in wanted:
            table[name].samples.append(measure(every[name], REPO))
        print(f"  {label}: run {i + 1}/{runs} done", file=sys.stderr, flush=True)
    return list(table.values())


def run_bundled(runs: int) -> list[Row]:
    """The plan at the repository root, as the pre-commit hook sees it."""
    files = count_files(REPO)
    sendplan = str(BIN / "sendplan")
    rows = {
        "floor": (NAMES["floor"], [sys.executable, str(HERE / "floor.py"), str(REPO)]),
        "json": (NAMES["validate"], [sendplan, "validate", "--plan", str(REPO), "-f", "json"]),
        "text": (
            "`validate` (text, as in pre-commit)",
            [sendplan, "validate", "--plan", str(REPO)],
        ),
    }
    table = {key: Row(name, "bundled", files) for key, (name, _) in rows.items()}
    for _, command in rows.values():
        measure(command, REPO, ok=(0, 1))  # warm-up
    for _ in range(runs):
        for key, (_, command) in rows.items():
            table[key].samples.append(measure(command, REPO, ok=(0, 1)))
    return list(table.values())


SITE_PLAN = "1k, 24 months"


def run_site(runs: int, out: Path) -> list[Row]:
    """The whole archive site against one HTML report of the same plan, interleaved."""
    root = history_dir()
    files = count_files(root) + SITE_APPROVALS
    sendplan = str(BIN / "sendplan")
    month = generate.REPORT_MONTH
    rows = {
        "report": (
            NAMES["report"],
            [
                sendplan,
                "report",
                "--plan",
                str(root),
                "--month",
                month,
                "--format",
                "html",
                "-o",
                str(out / "report-history.html"),
                "--quiet",
            ],
        ),
        "site": (
            f"`site` ({SITE_MONTHS} months, {SITE_APPROVALS} approved)",
            [
                sendplan,
                "site",
                "--plan",
                str(root),
                "--to",
                month,
                "-o",
                str(out / "site"),
                "--quiet",
            ],
        ),
    }
    table = {key: Row(name, SITE_PLAN, files) for key, (name, _) in rows.items()}
    for _, command in rows.values():
        measure(command, REPO)  # warm-up
    for i in range(runs):
        for key, (_, command) in rows.items():
            table[key].samples.append(measure(command, REPO))
        print(f"  site: run {i + 1}/{runs} done", file=sys.stderr, flush=True)
    return list(table.values())


def _floor_of(rows: list[Row], plan: str) -> Row | None:
    return next((r for r in rows if r.plan == plan and r.measure.startswith("floor")), None)


def _find(rows: list[Row], plan: str, key: str) -> Row | None:
    return next((r for r in rows if r.plan == plan and key in r.measure and r.samples), None)


def goals(rows: list[Row]) -> list[tuple[str, str, str, str]]:
    """(goal, target, measured, met) for every goal the rows can answer."""
    result = []

    def add(goal: str, target: str, value: float | None, limit: float, fmt: str) -> None:
        if value is None:
            result.append((goal, target, "not measured", "-"))
        else:
            result.append((goal, target, fmt.format(value), "yes" if value <= limit else "**no**"))

    bundled = _find(rows, "bundled", "validate")
    add("`validate`, bundled plan", "≤ 0.35 s", bundled.wall if bundled else None, 0.35, "{:.2f} s")
    floor10 = _floor_of(rows, "10k")
    v10, r10 = _find(rows, "10k", "validate"), _find(rows, "10k", "report")
    ratio = v10.wall / floor10.wall if v10 and floor10 and floor10.samples else None
    add("`validate`, 10k objectives", "≤ 1.5 x floor", ratio, 1.5, "{:.2f} x floor")
    ratio = r10.wall / floor10.wall if r10 and floor10 and floor10.samples else None
    add("`report --format html`, 10k", "≤ 2 x floor", ratio, 2.0, "{:.2f} x floor")
    peak = max((r.rss for r in rows if r.plan == "10k" and r.samples), default=None)
    add("peak RSS at 10k", "≤ 1 GB", peak, 1024, "{:.0f} MB")
    for key in ("validate", "report"):
        small, large = _find(rows, "1k", key), _find(rows, "10k", key)
        growth = large.wall / small.wall if small and large else None
        add(f"growth 1k → 10k, `{key}`", "≤ 11 x", growth, 11.0, "{:.1f} x")
    report, site = _find(rows, SITE_PLAN, "report"), _find(rows, SITE_PLAN, "site")
    ratio = site.wall / report.wall if site and report else None
    add(f"`site`, {SITE_PLAN}", "≤ 4 x `report --format html`", ratio, 4.0, "{:.2f} x report")
    add(f"peak RSS of `site`, {SITE_PLAN}", "≤ 1 GB", site.rss if site else None, 1024, "{:.0f} MB")
    diff = _find(rows, "1k", "diff")
    add(
        f"`diff`, {CHANGED_FILES} files of 1k",
        "≤ 1 s",
        diff.wall if diff else None,
        1.0,
        "{:.2f} s",
    )
    return result


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def markdown(rows: list[Row], loads: tuple[str, str], runs: dict[str, int]) -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown CPU",
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    lines = [
        "| measure | plan | files | median wall | median CPU | x floor | peak RSS |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if not row.samples:
            lines.append(f"| {row.measure} | {row.plan} | {row.files:,} | {row.note} | | | |")
            continue
        floor = _floor_of(rows, row.plan)
        ratio = f"{row.wall / floor.wall:.2f}" if floor and floor.samples else ""
        lines.append(
            f"| {row.measure} | {row.plan} | {row.files:,} | {row.wall:.3f} s | "
            f"{row.cpu:.3f} s | {ratio} | {row.rss:.0f} MB |"
        )
    lines += ["", "| goal | target | measured | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {g} | {t} | {m} | {ok} |" for g, t, m, ok in goals(rows)]
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    lines += [
        "",
        f"sendplan {commit or '(not a git checkout)'}. "
        f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Runs per measure (medians): "
        + ", ".join(f"{k} {v}" for k, v in runs.items())
        + f", after one warm-up run. Load average (1, 5, 15 min) before: {loads[0]}; "
        f"after: {loads[1]}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k, 10k")
    parser.add_argument("--rows", default=",".join(ROWS), help=f"any of {','.join(ROWS)}")
    parser.add_argument("--runs", type=int, help="runs per measure (default 5 at 1k, 3 at 10k)")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    for name in (*sizes, *rows):
        if name not in SIZES and name not in ROWS:
            parser.error(f"unknown size or row {name!r}")
    out = CACHE / "out"
    out.mkdir(parents=True, exist_ok=True)
    runs = {s: args.runs or RUNS[s] for s in sizes}
    for label in sizes:
        plan_dir(label)  # generate before timing anything
    if "site" in rows:
        history_dir()
    os.sync()  # let the writes of a fresh plan (and its git objects) settle before timing
    before = load_average()
    table: list[Row] = []
    if "bundled" in rows:
        runs["bundled"] = args.runs or RUNS["bundled"]
        table += run_bundled(runs["bundled"])
    for label in sizes:
        if set(rows) - {"bundled", "site"}:
            table += run_size(label, rows, runs[label], out)
    if "site" in rows:
        runs["site"] = args.runs or RUNS["site"]
        table += run_site(runs["site"], out)
    text = markdown(table, (before, load_average()), runs)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    shown = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    print(f"wrote {shown}")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
