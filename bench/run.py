"""Time sendplan against its floors, on the bundled plan and on synthetic plans, in one run.

    python bench/run.py [--plans bundled,1k,10k,250] [--rows validate,pdf,...] [--runs N]
                        [--output bench/results.md] [--list]

Each measurement is a whole process (interpreter start, imports, reading, output), run several
times after one warm-up run; the table gives the median wall-clock time, the median CPU time
(user + system of the process and its workers), the ratio to the plan's floor measured in the
same run, the peak resident set size of the largest process (wait4's rusage), and for the PDF
the peak of all its processes together (their proportional set sizes, sampled). The rows of
one plan are interleaved, run after run, so a change of load hits the floor and sendplan
alike; how busy the rest of the machine was is measured too and printed under the table.

Adding a row: append a Measure to MEASURES (a plan of PLANS, or a new Plan), and a Goal to
GOALS if it has one. `make bench` runs it all; it is not part of `make test`.
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
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import history  # noqa: E402
import worst  # noqa: E402

SEED = 1
CHANGED_FILES = 50  # the 1k plan's second commit
HISTORY = 300  # commits that each append a rating to one objective of the 10k plan
BIN = Path(sys.executable).parent
SENDPLAN = str(BIN / "sendplan")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
STACK = "import typer, pydantic, yaml"  # what `validate` cannot do without


# --- plans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A plan repository the measures run on, built once into bench/.cache/."""

    label: str
    runs: int  # runs per measure (medians)
    build: Callable[[Path], None] | None = None  # None: the repository itself (bundled plan)
    version: str = "1"  # part of the cache fingerprint: change it when `build` changes

    def root(self) -> Path:
        if self.build is None:
            return REPO
        root = CACHE / f"plan-{self.label}"
        stamp = CACHE / f"plan-{self.label}.stamp"
        digest = hashlib.sha256()
        for source in (HERE / "generate.py", HERE / "worst.py", HERE / "history.py"):
            digest.update(source.read_bytes())
        digest.update(f"{self.label}/{self.version}/{SEED}/{CHANGED_FILES}/{HISTORY}".encode())
        fingerprint = digest.hexdigest()[:16]
        if root.is_dir() and stamp.is_file() and stamp.read_text() == fingerprint:
            return root
        print(f"building plan {self.label} into {root} ...", file=sys.stderr, flush=True)
        stamp.unlink(missing_ok=True)
        if root.exists():
            shutil.rmtree(root)
        self.build(root)
        stamp.write_text(fingerprint)
        return root


def _git(
    root: Path, *args: str, when: str = "2025-07-01T09:00:00+00:00", input: bytes | None = None
) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
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
        input=input,
    )
    return done.stdout.decode() if isinstance(done.stdout, bytes) else str(done.stdout)


def _committed(root: Path, message: str) -> None:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message, when="2025-06-30T17:00:00+00:00")


def objective_paths(root: Path) -> list[Path]:
    return sorted(p for p in (root / "plan").glob("*/*.yaml") if p.name != "area.yaml")


def history_target(root: Path) -> Path:
    """The objective whose file the 10k plan's last HISTORY commits change, one rating each."""
    return objective_paths(root)[0]


def rate_target(root: Path) -> Path:
    """The objective `rate` appends to (no commit after the first one touches it)."""
    return objective_paths(root)[-1]


def stem_id(path: Path) -> str:
    """The objective's ID from its file's first `id:` line (generate.py writes it first)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("id: "):
            return line[4:].strip().strip('"')
    raise ValueError(f"no id in {path}")


def _with_history(root: Path, commits: int) -> None:
    """`commits` commits on top of HEAD, each appending one rating to history_target()."""
    path = history_target(root)
    relative = path.relative_to(root).as_posix()
    body = path.read_text(encoding="utf-8")
    head = _git(root, "rev-parse", "HEAD").strip()
    stream: list[bytes] = []
    start = generate.LAST_RATING + timedelta(days=1)
    for n in range(commits):
        day = start + timedelta(days=n)
        body += f"  - date: {day.isoformat()}\n    brag: amber\n    note: Review {n + 1}.\n"
        message = f"Rating {n + 1} of {relative}\n".encode()
        content = body.encode()
        when = int(time.mktime(day.timetuple())) + 43_200
        stream += [
            b"commit refs/heads/main\n",
            f"committer bench <bench@example.org> {when} +0000\n".encode(),
            f"data {len(message)}\n".encode() + message,
            f"from {head}\n".encode() if n == 0 else b"",
            f"M 100644 inline {relative}\n".encode(),
            f"data {len(content)}\n".encode() + content + b"\n",
        ]
    _git(root, "fast-import", "--quiet", input=b"".join(stream))
    _git(root, "reset", "-q", "--hard", "main")


def synthetic(objectives: int, *, changed: int = 0, history: int = 0) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        generate.generate(objectives, root, SEED)
        _committed(root, "Generated plan")
        if changed:
            generate.change_files(root, changed, SEED + 1)
            _git(root, "add", "-A")
            _git(root, "commit", "-q", "-m", f"{changed} files changed")
        if history:
            _with_history(root, history)

    return build


SITE_MONTHS, SITE_APPROVALS = 24, 12  # the archive site's plan (issue 18)


def _site_history(root: Path) -> None:
    """1k objectives committed once a month for 24 months, 12 of them approved."""
    history.history(1_000, root, SITE_MONTHS, SITE_APPROVALS, SEED)


def _worst(kind: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        kind(root)
        _committed(root, "Worst case")

    return build


PLANS = {
    plan.label: plan
    for plan in (
        Plan("bundled", 7),
        Plan("250", 3, synthetic(250)),
        Plan("1k", 5, synthetic(1_000, changed=CHANGED_FILES)),
        Plan("10k", 3, synthetic(10_000, history=HISTORY)),
        Plan("worst-keys", 3, _worst(worst.unknown_keys)),
        Plan("worst-files", 3, _worst(worst.broken_files)),
        Plan("1k-history", 3, _site_history),
    )
}


# --- measures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    root: Path
    out: Path


@dataclass(frozen=True)
class Measure:
    """One row per plan it runs on."""

    key: str  # its name for --rows (measures may share one)
    label: str
    plans: tuple[str, ...]
    argv: Callable[[Context], list[str]]
    ok: tuple[int, ...] = (0,)
    after: Callable[[Context], None] | None = None  # after each run, untimed (undo a write)
    all_processes: bool = False  # sample the memory of the process and its workers
    floor: bool = False  # the row the others of its plan are compared with


def _report(fmt: str) -> Callable[[Context], list[str]]:
    def argv(c: Context) -> list[str]:
        out = c.out / f"report.{fmt}"
        return [SENDPLAN, "report", "--plan", str(c.root), "--month", _month(c), "-o", str(out)]

    return lambda c: [*argv(c), "--format", fmt, "--quiet"]


def _month(c: Context) -> str:
    return "2024-06" if c.root == REPO else generate.REPORT_MONTH


def _rate(c: Context) -> list[str]:
    target = rate_target(c.root)
    day = (generate.LAST_RATING + timedelta(days=40)).isoformat()
    return [
        SENDPLAN,
        "rate",
        stem_id(target),
        "amber",
        "--note",
        "Bench rating.",
        "--date",
        day,
        "--plan",
        str(c.root),
    ]


def _undo_rate(c: Context) -> None:
    _git(c.root, "checkout", "-q", "--", rate_target(c.root).relative_to(c.root).as_posix())


SYNTHETIC = ("1k", "10k")
MEASURES: list[Measure] = [
    Measure(
        "floor",
        "floor (libyaml parse only)",
        ("bundled", *SYNTHETIC, "250", "worst-keys", "worst-files"),
        lambda c: [sys.executable, str(HERE / "floor.py"), str(c.root)],
        floor=True,
    ),
    Measure("startup", "`python -c pass`", ("bundled",), lambda c: [sys.executable, "-c", "pass"]),
    Measure(
        "startup", f"`python -c '{STACK}'`", ("bundled",), lambda c: [sys.executable, "-c", STACK]
    ),
    Measure("startup", "`sendplan --version`", ("bundled",), lambda c: [SENDPLAN, "--version"]),
    Measure(
        "validate",
        "`validate --format json`",
        ("bundled", *SYNTHETIC, "worst-keys", "worst-files"),
        lambda c: [SENDPLAN, "validate", "--plan", str(c.root), "-f", "json"],
        ok=(0, 1),
    ),
    Measure(
        "validate",
        "`validate` (text, as in pre-commit)",
        ("bundled",),
        lambda c: [SENDPLAN, "validate", "--plan", str(c.root)],
        ok=(0, 1),
    ),
    Measure("report", "`report --format html`", (*SYNTHETIC, "250", "1k-history"), _report("html")),
    Measure(
        "site",
        f"`site` ({SITE_MONTHS} months, {SITE_APPROVALS} approved)",
        ("1k-history",),
        lambda c: [
            *(SENDPLAN, "site", "--plan", str(c.root), "--to", generate.REPORT_MONTH),
            *("-o", str(c.out / "site"), "--quiet"),
        ],
        all_processes=True,
    ),
    Measure(
        "flags",
        "`flags --format json`",
        SYNTHETIC,
        lambda c: [SENDPLAN, "flags", "--plan", str(c.root), "--month", _month(c), "-f", "json"],
    ),
    Measure(
        "diff",
        f"`diff HEAD~1 HEAD` ({CHANGED_FILES} files changed)",
        ("1k",),
        lambda c: [SENDPLAN, "diff", "HEAD~1", "HEAD", "--plan", str(c.root), "-f", "json"],
    ),
    Measure(
        "diff",
        "`diff HEAD~1 HEAD` (one file changed)",
        ("10k",),
        lambda c: [SENDPLAN, "diff", "HEAD~1", "HEAD", "--plan", str(c.root), "-f", "json"],
    ),
    Measure(
        "diff",
        "`diff HEAD~1` (working tree, one file changed)",
        ("10k",),
        lambda c: [SENDPLAN, "diff", "HEAD~1", "--plan", str(c.root), "-f", "json"],
    ),
    Measure(
        "history",
        f"`history ID` ({HISTORY} changes)",
        ("10k",),
        lambda c: [SENDPLAN, "history", stem_id(history_target(c.root)), "--plan", str(c.root)],
    ),
    Measure("rate", "`rate ID amber --note ...`", ("10k",), _rate, after=_undo_rate),
    Measure(
        "pdf", "`report --format pdf`", ("bundled", "250", "1k"), _report("pdf"), all_processes=True
    ),
]


# --- running ---------------------------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float  # the largest single process (wait4: the process or a worker it reaped)
    all_mb: float | None  # all its processes together (sampled PSS), where measured


@dataclass
class Row:
    measure: Measure
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

    @property
    def all_mb(self) -> float | None:
        values = [s.all_mb for s in self.samples if s.all_mb is not None]
        return max(values) if values else None


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry))
    return tree


def _pss_mb(pid: int) -> float:
    """The proportional set size of a process and its descendants (shared pages split)."""
    tree, total, todo = _children(), 0.0, [pid]
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def measure(command: list[str], ok: tuple[int, ...], all_processes: bool) -> Sample:
    """One whole-process run: wall time, CPU time and peak memory of exactly that process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _pss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True) if all_processes else None
    if sampler:
        sampler.start()
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    if sampler:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(
            f"{' '.join(command)} exited {process.returncode}:\n{err.decode(errors='replace')}"
        )
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, usage.ru_maxrss / 1024, peak[0] if all_processes else None)


def count_files(root: Path) -> int:
    return 1 + sum(
        1
        for top, pattern in (("plan", "*/*.yaml"), ("evidence", "*.md"), ("kpis", "*.yaml"))
        for _ in (root / top).glob(pattern)
    )


def has_command(name: str) -> bool:
    done = subprocess.run([SENDPLAN, name, "--help"], capture_output=True, check=False)
    return done.returncode == 0


@dataclass
class Busy:
    """How busy the rest of the machine was while one plan's rows ran."""

    load_before: tuple[float, ...]
    load_after: tuple[float, ...] = ()
    others: float = 0.0  # CPUs used by other processes, on average


def _cpu_jiffies() -> tuple[int, int]:
    """(busy, all) clock ticks of every CPU since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields[:8]) - idle, sum(fields[:8])


def run_plan(
    plan: Plan, measures: Sequence[Measure], runs: int, out: Path
) -> tuple[list[Row], Busy]:
    root = plan.root()
    files = count_files(root)
    context = Context(root, out)
    rows = [Row(m, plan.label, files) for m in measures]
    for row in rows:
        command = row.measure.argv(context)
        if (
            command[0] == SENDPLAN
            and command[1] in ("diff", "history", "rate")
            and not has_command(command[1])
        ):
            row.note = f"skipped: this build has no `sendplan {command[1]}`"
    live = [r for r in rows if not r.note]
    busy = Busy(os.getloadavg())
    busy_start, ours = _cpu_jiffies()[0], 0.0
    started = time.perf_counter()
    for index in range(runs + 1):  # run 0 is the warm-up: file cache, .pyc
        for row in live:
            sample = measure(row.measure.argv(context), row.measure.ok, row.measure.all_processes)
            ours += sample.cpu
            if row.measure.after:
                row.measure.after(context)
            if index:
                row.samples.append(sample)
        if index:
            print(f"  {plan.label}: run {index}/{runs} done", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    busy_end, _ = _cpu_jiffies()
    ticks = os.sysconf("SC_CLK_TCK")
    busy.others = max(0.0, ((busy_end - busy_start) / ticks - ours) / elapsed)
    busy.load_after = os.getloadavg()
    return rows, busy


# --- goals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    issue: int
    name: str
    target: str
    limit: float
    fmt: str
    value: Callable[[dict[tuple[str, str], Row]], float | None]


def _wall(plan: str, label: str) -> Callable[[dict[tuple[str, str], Row]], float | None]:
    return lambda rows: rows[plan, label].wall if (plan, label) in rows else None


def _ratio(
    plan: str, label: str, base_plan: str, base: str, attribute: str = "wall"
) -> Callable[[dict[tuple[str, str], Row]], float | None]:
    def value(rows: dict[tuple[str, str], Row]) -> float | None:
        a, b = rows.get((plan, label)), rows.get((base_plan, base))
        if a is None or b is None:
            return None
        x, y = getattr(a, attribute), getattr(b, attribute)
        return None if x is None or y is None else x / y

    return value


def _memory(plan: str, label: str) -> Callable[[dict[tuple[str, str], Row]], float | None]:
    def value(rows: dict[tuple[str, str], Row]) -> float | None:
        row = rows.get((plan, label))
        return None if row is None else max(row.rss, row.all_mb or 0.0)

    return value


FLOOR, VALIDATE, REPORT = (
    "floor (libyaml parse only)",
    "`validate --format json`",
    "`report --format html`",
)
PRECOMMIT, PDF = "`validate` (text, as in pre-commit)", "`report --format pdf`"
SITE = f"`site` ({SITE_MONTHS} months, {SITE_APPROVALS} approved)"
GOALS = [
    Goal(
        18,
        f"`site`, 1k objectives, {SITE_MONTHS} months, {SITE_APPROVALS} approvals",
        "≤ 4 x `report --format html`",
        4.0,
        "{:.2f} x report",
        _ratio("1k-history", SITE, "1k-history", REPORT),
    ),
    Goal(
        18,
        "`site`: peak memory (all processes)",
        "≤ 1 GB",
        1024,
        "{:.0f} MB",
        _memory("1k-history", SITE),
    ),
    Goal(19, "PDF, bundled plan", "≤ 2.5 s", 2.5, "{:.2f} s", _wall("bundled", PDF)),
    Goal(19, "PDF, 1,000 objectives: time", "≤ 30 s", 30, "{:.1f} s", _wall("1k", PDF)),
    Goal(
        19,
        "PDF, 1,000 objectives: memory (all processes)",
        "≤ 500 MB",
        500,
        "{:.0f} MB",
        _memory("1k", PDF),
    ),
    Goal(
        19,
        "PDF growth 250 → 1,000 objectives: time",
        "≤ 4.5 x",
        4.5,
        "{:.2f} x",
        _ratio("1k", PDF, "250", PDF),
    ),
    Goal(
        19,
        "PDF growth 250 → 1,000 objectives: memory",
        "≤ 2 x",
        2.0,
        "{:.2f} x",
        lambda rows: _ratio_of(_memory("1k", PDF)(rows), _memory("250", PDF)(rows)),
    ),
    Goal(
        19,
        "`validate`, bundled plan (text, as in pre-commit)",
        "≤ 0.25 s",
        0.25,
        "{:.3f} s",
        _wall("bundled", PRECOMMIT),
    ),
    Goal(
        19,
        "`validate --format json`, bundled plan",
        "≤ 0.25 s",
        0.25,
        "{:.3f} s",
        _wall("bundled", VALIDATE),
    ),
    Goal(
        19,
        "`rate`, 10k objectives",
        "≤ 1.0 x `validate`",
        1.0,
        "{:.2f} x validate",
        _ratio("10k", "`rate ID amber --note ...`", "10k", VALIDATE),
    ),
    Goal(
        19,
        "`diff HEAD~1` (working tree), 10k, one file changed",
        "≤ 0.5 s",
        0.5,
        "{:.2f} s",
        _wall("10k", "`diff HEAD~1` (working tree, one file changed)"),
    ),
    Goal(
        19,
        f"`history ID`, {HISTORY} changes",
        "≤ 1 s",
        1.0,
        "{:.2f} s",
        _wall("10k", f"`history ID` ({HISTORY} changes)"),
    ),
    Goal(
        9,
        "`validate`, 10k objectives",
        "≤ 1.5 x floor",
        1.5,
        "{:.2f} x floor",
        _ratio("10k", VALIDATE, "10k", FLOOR),
    ),
    Goal(
        9,
        "`report --format html`, 10k",
        "≤ 2 x floor",
        2.0,
        "{:.2f} x floor",
        _ratio("10k", REPORT, "10k", FLOOR),
    ),
    Goal(
        9,
        "peak RSS of `validate`, `report` and `flags` at 10k",
        "≤ 1 GB",
        1024,
        "{:.0f} MB",
        lambda rows: max(
            (
                r.rss
                for (p, k), r in rows.items()
                if p == "10k" and r.samples and r.measure.key in ("validate", "report", "flags")
            ),
            default=None,
        ),
    ),
    Goal(
        9,
        "growth 1k → 10k, `validate`",
        "≤ 11 x",
        11.0,
        "{:.1f} x",
        _ratio("10k", VALIDATE, "1k", VALIDATE),
    ),
    Goal(
        9,
        "growth 1k → 10k, `report`",
        "≤ 11 x",
        11.0,
        "{:.1f} x",
        _ratio("10k", REPORT, "1k", REPORT),
    ),
    Goal(
        9,
        f"`diff HEAD~1 HEAD`, {CHANGED_FILES} files of 1k",
        "≤ 1 s",
        1.0,
        "{:.2f} s",
        _wall("1k", f"`diff HEAD~1 HEAD` ({CHANGED_FILES} files changed)"),
    ),
]


def _ratio_of(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


# --- output ----------------------------------------------------------------------------------


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def markdown(rows: list[Row], busy: dict[str, Busy], runs: dict[str, int]) -> str:
    floors = {r.plan: r for r in rows if r.measure.floor and r.samples}
    lines = [
        "| measure | plan | files | median wall | median CPU | x floor | peak RSS "
        "| all processes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if not row.samples:
            lines.append(
                f"| {row.measure.label} | {row.plan} | {row.files:,} | {row.note} | | | | |"
            )
            continue
        floor = floors.get(row.plan)
        ratio = f"{row.wall / floor.wall:.2f}" if floor else ""
        together = f"{row.all_mb:.0f} MB" if row.all_mb is not None else ""
        lines.append(
            f"| {row.measure.label} | {row.plan} | {row.files:,} | {row.wall:.3f} s | "
            f"{row.cpu:.3f} s | {ratio} | {row.rss:.0f} MB | {together} |"
        )
    by_key = {(r.plan, r.measure.label): r for r in rows if r.samples}
    lines += ["", "| issue | goal | target | measured | met |", "| --- | --- | --- | --- | --- |"]
    for goal in GOALS:
        value = goal.value(by_key)
        measured = "not measured" if value is None else goal.fmt.format(value)
        met = "-" if value is None else ("yes" if value <= goal.limit else "**no**")
        lines.append(f"| {goal.issue} | {goal.name} | {goal.target} | {measured} | {met} |")
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    lines += [
        "",
        f"sendplan {commit or '(not a git checkout)'}. Machine: {os.cpu_count()} CPUs "
        f"({_cpu_name()}), Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}. Medians of "
        + ", ".join(f"{runs[p]} runs ({p})" for p in runs)
        + " after one warm-up run each.",
        "",
        "How busy the machine was while each plan's rows ran (other processes' CPUs in use on "
        "average, and the load average before and after):",
        "",
    ]
    for label, b in busy.items():
        before = " ".join(f"{x:.2f}" for x in b.load_before)
        after = " ".join(f"{x:.2f}" for x in b.load_after)
        lines.append(f"- {label}: {b.others:.2f} CPUs busy elsewhere; load {before} → {after}")
    return "\n".join(lines) + "\n"


def _byte_compiled() -> None:
    """sendplan's modules compiled, as `pip install` leaves an installed package.

    An editable checkout under PYTHONDONTWRITEBYTECODE (as CI and this machine set it) would
    otherwise compile every module again in every process: 35 ms of a 0.3 s validate that no
    user's pre-commit hook pays. The warm-up run cannot do it when writing .pyc is off.
    """
    import compileall

    compileall.compile_dir(REPO / "src" / "sendplan", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", default=",".join(PLANS), help=f"any of {','.join(PLANS)}")
    keys = sorted({m.key for m in MEASURES})
    parser.add_argument("--rows", default=",".join(keys), help=f"any of {','.join(keys)}")
    parser.add_argument("--runs", type=int, help="runs per measure (default: per plan)")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    parser.add_argument("--list", action="store_true", help="list the rows and goals, run none")
    # --sizes: the name of --plans before issue 19 (`make bench BENCH_ARGS="--sizes 1k"`).
    parser.add_argument("--sizes", help=argparse.SUPPRESS)
    args = parser.parse_args()
    plans = [p.strip() for p in (args.sizes or args.plans).split(",") if p.strip()]
    wanted = {r.strip() for r in args.rows.split(",") if r.strip()}
    for name in plans:
        if name not in PLANS:
            parser.error(f"unknown plan {name!r} (plans: {', '.join(PLANS)})")
    for name in wanted - set(keys):
        parser.error(f"unknown row {name!r} (rows: {', '.join(keys)})")
    if args.list:
        for m in MEASURES:
            print(f"{m.key:9} {', '.join(m.plans):40} {m.label}")
        return
    out = CACHE / "out"
    out.mkdir(parents=True, exist_ok=True)
    chosen = {
        p: [m for m in MEASURES if p in m.plans and (m.key in wanted or m.floor)] for p in plans
    }
    chosen = {p: ms for p, ms in chosen.items() if any(not m.floor for m in ms)}
    for label in chosen:
        PLANS[label].root()  # build every plan before timing anything
    _byte_compiled()
    os.sync()  # let a fresh plan's writes (and its git objects) settle before timing
    rows: list[Row] = []
    busy: dict[str, Busy] = {}
    runs = {p: args.runs or PLANS[p].runs for p in chosen}
    for label, measures in chosen.items():
        plan_rows, busy[label] = run_plan(PLANS[label], measures, runs[label], out)
        rows += plan_rows
    text = markdown(rows, busy, runs)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    shown = args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output
    print(f"wrote {shown}")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
