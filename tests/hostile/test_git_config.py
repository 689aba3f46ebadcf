"""A plan repository whose own git configuration tries to run programs and read outside files.

Every setting below is set, in the plan's `.git/config` (and its `.gitattributes`), to a
program that leaves a marker file, or to a FIFO outside the repository (a git that opens it
blocks, so the command times out). Each attack is first shown to work on plain git (the
`control_*` tests: the fixture is armed), then every sendplan command is run on the same
repository: no marker may appear and nothing may block. docs/security.md ("git") lists the
settings and where git documents them.
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app
from tests.conftest import PLANS
from tests.gitrepo import commit, git, git_env, init_repo

pytestmark = pytest.mark.skipif(os.name != "posix", reason="marker scripts and FIFOs: POSIX")

runner = CliRunner()
HOOKS = (
    "pre-commit",
    "post-commit",
    "post-checkout",
    "post-index-change",
    "reference-transaction",
    "pre-auto-gc",
    "post-rewrite",
    "fsmonitor-watchman",
)
PROGRAMS = (
    "fsmonitor",
    "pager",
    "editor",
    "askpass",
    "credential",
    "ssh",
    "proxy",
    "external-diff",
    "diff-command",
    "textconv",
    "clean",
    "smudge",
    "process",
    "merge-driver",
    "gpg",
    "alternate-refs",
    "upload-pack",
    "ext",
    "diff-filter",
)
FIFOS = ("mailmap", "attributes", "excludes", "order", "signers")


@dataclass(frozen=True)
class Hostile:
    root: Path
    markers: Path
    outside: Path

    def fired(self) -> list[str]:
        return sorted(p.name for p in self.markers.iterdir())

    def reset(self) -> None:
        for marker in self.markers.iterdir():
            marker.unlink()


def _program(folder: Path, name: str, markers: Path, body: str = "") -> Path:
    path = folder / name
    path.write_text(f'#!/bin/sh\ntouch "{markers}/{name}"\n{body}exit 1\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _signed_commit(root: Path) -> None:
    """A commit with a (fake) signature: showing it with log.showSignature runs gpg.program."""
    head = git(root, "rev-parse", "HEAD").strip()
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    body = (
        f"tree {tree}\nparent {head}\nauthor Alice Officer <alice@example.org> 1717232400 +0000\n"
        "committer Alice Officer <alice@example.org> 1717232400 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQ==\n -----END PGP SIGNATURE-----\n\n"
        "Signed, nothing changed\n"
    )
    done = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=root,
        input=body.encode(),
        capture_output=True,
        check=True,
        env=git_env(),
    )
    git(root, "update-ref", "refs/heads/main", done.stdout.decode().strip())


def build(tmp: Path) -> Hostile:
    markers = tmp / "markers"
    markers.mkdir()
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    outside = tmp / "outside"
    outside.mkdir()
    programs = {name: _program(bin_dir, name, markers) for name in PROGRAMS}
    hooks = tmp / "hooks"
    hooks.mkdir()
    for hook in HOOKS:
        _program(hooks, hook, markers)
    fifos = {}
    for name in FIFOS:
        fifos[name] = outside / name
        os.mkfifo(fifos[name])
    root = init_repo(tmp / "plan-repo", PLANS / "minimal")
    (root / "templates").mkdir()
    (root / "templates" / "report.css").write_text("body { color: black; }\n", encoding="utf-8")
    (root / ".gitattributes").write_text(
        "*.yaml filter=evil merge=evil\nkpis/*.yaml diff=evil\n*.md filter=evil2 diff=conv\n"
        "*.css filter=evil2\n",
        encoding="utf-8",
    )
    agreed = commit(root, "Plan as agreed")
    # An approval: validate and report look its commit up in git (missing_commits).
    (root / "approvals").mkdir()
    (root / "approvals/2024-05.yaml").write_text(
        f"month: 2024-05\nboard: Improvement Board\ndate: 2024-06-03\ncommit: {agreed}\n",
        encoding="utf-8",
    )
    (root / "plan/I1/I1-1.yaml").write_text(
        (root / "plan/I1/I1-1.yaml").read_text(encoding="utf-8")
        + "  - date: 2024-06-20\n    brag: amber\n    note: Pathway agreed in principle.\n",
        encoding="utf-8",
    )
    (root / "kpis/k20.yaml").write_text(
        (root / "kpis/k20.yaml").read_text(encoding="utf-8") + "  - {period: 2024-06, value: 61}\n",
        encoding="utf-8",
    )
    commit(root, "June rating", when="2024-06-21T16:30:00+01:00")
    _signed_commit(root)
    for hook in HOOKS:
        shutil.copy2(hooks / hook, root / ".git" / "hooks" / hook)
    (outside / "worktree" / "plan" / "I1").mkdir(parents=True)
    (outside / "worktree" / "plan" / "I1" / "I1-1.yaml").write_text("elsewhere\n", "utf-8")
    settings = {
        "core.fsmonitor": programs["fsmonitor"],
        "core.hooksPath": hooks,
        "core.pager": programs["pager"],
        "pager.log": programs["pager"],
        "pager.diff": programs["pager"],
        "core.editor": programs["editor"],
        "sequence.editor": programs["editor"],
        "core.askPass": programs["askpass"],
        "credential.helper": programs["credential"],
        "core.sshCommand": programs["ssh"],
        "core.gitProxy": programs["proxy"],
        "core.alternateRefsCommand": programs["alternate-refs"],
        "diff.external": programs["external-diff"],
        "diff.evil.command": programs["diff-command"],
        "diff.conv.textconv": programs["textconv"],
        "diff.conv.cachetextconv": "true",
        "filter.evil.process": programs["process"],
        "filter.evil.required": "true",
        "filter.evil2.clean": programs["clean"],
        "filter.evil2.smudge": programs["smudge"],
        "merge.evil.driver": programs["merge-driver"],
        "interactive.diffFilter": programs["diff-filter"],
        "gpg.program": programs["gpg"],
        "gpg.openpgp.program": programs["gpg"],
        "gpg.ssh.program": programs["gpg"],
        "gpg.ssh.allowedSignersFile": fifos["signers"],
        "log.showSignature": "true",
        "log.mailmap": "true",
        "mailmap.file": fifos["mailmap"],
        "core.attributesFile": fifos["attributes"],
        "core.excludesFile": fifos["excludes"],
        "diff.orderFile": fifos["order"],
        "core.worktree": outside / "worktree",
        "color.ui": "always",
        "diff.relative": "true",
        "i18n.logOutputEncoding": "UTF-16",
        "core.checkStat": "minimal",
        "core.trustctime": "false",
        "protocol.allow": "always",
        "protocol.ext.allow": "always",
        "remote.origin.url": f"ext::{programs['ext']}",
        "remote.origin.uploadpack": programs["upload-pack"],
        "remote.origin.promisor": "true",
        "extensions.partialClone": "origin",
        "core.repositoryFormatVersion": "1",
        "gc.auto": "1",
    }
    for key, value in settings.items():
        git(root, "config", key, str(value))
    # The working tree as a user may leave it: a file touched but unchanged, a file changed.
    os.utime(root / "kpis/k20.yaml")
    os.utime(root / "templates/report.css")
    os.utime(root / ".git/index", (1, 1))  # every entry "racily clean": git would re-read each
    (root / "evidence/E1.md").write_text(
        (root / "evidence/E1.md").read_text(encoding="utf-8") + "\nMore detail.\n", "utf-8"
    )
    return Hostile(root, markers, outside)


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return build(tmp_path_factory.mktemp("hostile-git"))


@pytest.fixture
def hostile(hostile_template: Hostile, tmp_path: Path) -> Hostile:
    """A copy of the hostile repository: new inodes, so git would re-read every file."""
    root = tmp_path / "plan-repo"
    shutil.copytree(hostile_template.root, root, symlinks=True)
    hostile_template.reset()
    return Hostile(root, hostile_template.markers, hostile_template.outside)


# --- the fixture is armed: plain git runs every program ---------------------------------------


def disarmed(root: Path) -> list[str]:
    """Options that keep git away from the FIFOs and the outside work tree."""
    options = [f"--work-tree={root}"]
    for key in ("mailmap.file", "core.attributesFile", "core.excludesFile", "diff.orderFile"):
        options += ["-c", f"{key}={os.devnull}"]
    return options


def plain(
    repo: Hostile,
    *args: str,
    stdin: bytes = b"",
    tty: bool = False,
    timeout: float = 10,
    armed: bool = False,
) -> None:
    """Plain git as a user would run it: the repository's own configuration applies.

    The settings that point outside (FIFOs, core.worktree) are disarmed unless `armed`, so
    that the program under test is reached.
    """
    command = ["git", *args] if armed else ["git", *disarmed(repo.root), *args]
    env = {**git_env(), "GIT_TERMINAL_PROMPT": "0"}
    if not tty:
        subprocess.run(
            command, cwd=repo.root, env=env, input=stdin, capture_output=True, timeout=timeout,
            check=False,
        )  # fmt: skip
        return
    leader, follower = pty.openpty()
    try:
        subprocess.run(
            command, cwd=repo.root, env=env, stdin=subprocess.DEVNULL, stdout=follower,
            stderr=follower, timeout=timeout, check=False,
        )  # fmt: skip
    finally:
        os.close(leader)
        os.close(follower)


NO_FILTER = (
    *("-c", "filter.evil.process=", "-c", "filter.evil.required=false"),
    *("-c", "filter.evil2.clean=", "-c", "filter.evil2.smudge=", "-c", "core.fsmonitor=false"),
)
"""For the controls of other programs: a failing filter would stop git before it runs them."""
CREDENTIAL_REQUEST = b"protocol=https\nhost=example.org\n\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "stdin", "fires"),
    [
        (("status",), b"", {"fsmonitor", "process"}),
        ((*NO_FILTER, "status"), b"", {"post-index-change"}),
        (("-c", "core.fsmonitor=false", "diff-index", "HEAD"), b"", {"process"}),
        ((*NO_FILTER[:4], "-c", "core.fsmonitor=false", "diff-index", "HEAD"), b"", {"clean"}),
        ((*NO_FILTER, "diff", "HEAD~2", "HEAD~1", "--", "kpis"), b"", {"diff-command"}),
        ((*NO_FILTER, "diff", "HEAD~2", "HEAD~1", "--", "plan"), b"", {"external-diff"}),
        (("log", "-1", "--format=%H"), b"", {"gpg"}),
        ((*NO_FILTER, "commit", "--allow-empty", "-q"), b"", {"pre-commit"}),
        ((*NO_FILTER, "-c", f"core.hooksPath={os.devnull}", "commit", "--allow-empty"), b"",
         {"editor"}),
        (("credential", "fill"), CREDENTIAL_REQUEST, {"credential", "askpass"}),
        (("ls-remote", "ssh://example.invalid/plan"), b"", {"ssh"}),
        (("ls-remote", "git://example.invalid/plan"), b"", {"proxy"}),
        (("ls-remote", "origin"), b"", {"ext"}),
    ],
)  # fmt: skip
def test_control_plain_git_runs_the_plans_programs(
    hostile: Hostile, args: tuple[str, ...], stdin: bytes, fires: set[str]
) -> None:
    plain(hostile, *args, stdin=stdin)
    assert fires <= set(hostile.fired())


def test_control_plain_git_runs_textconv(hostile: Hostile) -> None:
    plain(hostile, *NO_FILTER, "--no-pager", "log", "-p", "-3", "--", "evidence")
    assert "textconv" in hostile.fired()


def test_control_plain_git_runs_the_pager_on_a_terminal(hostile: Hostile) -> None:
    plain(hostile, *NO_FILTER, "log", "-1", "--format=%H", tty=True)
    assert "pager" in hostile.fired()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("log", "-1", "--format=%aN", "HEAD~1"),  # mailmap.file
        ("check-attr", "-a", "plan/A1/area.yaml"),  # core.attributesFile
        ("ls-files", "--others", "--exclude-standard"),  # core.excludesFile
        ("diff", "--stat", "--no-ext-diff", "HEAD~2", "HEAD~1"),  # diff.orderFile
    ],
)
def test_control_plain_git_opens_files_outside_the_repository(
    hostile_template: Hostile, args: tuple[str, ...]
) -> None:
    with pytest.raises(subprocess.TimeoutExpired):  # it blocks on the FIFO
        plain(
            hostile_template,
            f"--work-tree={hostile_template.root}",
            *args,
            timeout=1.5,
            armed=True,
        )


def test_control_plain_git_works_in_the_tree_core_worktree_names(hostile_template: Hostile) -> None:
    env = {**git_env(), "GIT_TERMINAL_PROMPT": "0"}
    done = subprocess.run(
        ["git", "-c", "core.fsmonitor=false", "ls-files", "--deleted"],
        cwd=hostile_template.root, env=env, capture_output=True, text=True, check=False,
        timeout=10,
    )  # fmt: skip
    assert "sendplan.yaml" in done.stdout  # git looks in outside/worktree, not here


# --- sendplan runs none of them -----------------------------------------------------------------


def invoke(repo: Hostile, *args: str) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(repo.root)
        mp.setattr("sendplan.git.TIMEOUT", 15.0)  # a FIFO opened would end the command
        for name in list(os.environ):
            if name.startswith("GIT_"):
                mp.delenv(name)
        result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


READING = [
    ("validate",),
    ("validate", "--format", "json"),
    ("report", "--month", "2024-06", "--format", "md"),
    ("report", "--month", "2024-06", "--format", "html"),
    ("report", "--month", "2024-06", "--format", "json"),
    ("flags", "--as-of", "2024-06-30"),
    ("flags", "--as-of", "2024-06-30", "--format", "json"),
    ("flags", "--as-of", "2024-06-30", "--format", "md"),
    ("export", "--month", "2024-06", "--format", "csv"),
    ("export", "--month", "2024-06", "--format", "json"),
    ("diff", "HEAD~2"),
    ("diff", "HEAD~2", "--format", "json"),
    ("diff", "HEAD~2", "--format", "md", "--check"),
    ("diff", "HEAD~2", "HEAD"),
    ("diff", "HEAD~2", "HEAD", "--format", "json"),
    ("history", "I1:1"),
    ("history", "I1:1", "--format", "json"),
    ("history", "I1:1", "--format", "md"),
    ("schema",),
]
WRITING = [
    ("rate", "A1a:1", "green", "--note", "Done.", "--date", "2024-06-30"),
    ("new", "evidence", "E9", "--title", "Minutes"),
    ("new", "objective", "A1a:2", "--due", "2024-12"),
    ("new", "kpi", "k40", "--title", "Plans reviewed on time"),
    ("init", "fresh"),
]


@pytest.mark.slow
@pytest.mark.parametrize("args", READING + WRITING, ids=lambda a: " ".join(a))
def test_no_command_runs_the_plans_git_configuration(
    hostile: Hostile, args: tuple[str, ...]
) -> None:
    code, out, err = invoke(hostile, *args)
    assert code in (0, 1), err
    assert hostile.fired() == []
    assert "\x1b[" not in out  # color.ui=always gives no colour escapes either
    assert "Traceback" not in err


@pytest.mark.slow
def test_report_pdf_runs_nothing_either(hostile: Hostile) -> None:
    pytest.importorskip("weasyprint")
    code, _, err = invoke(hostile, "report", "--month", "2024-06", "-o", "board.pdf", "-q")
    assert code == 0, err
    assert hostile.fired() == []


@pytest.mark.slow
def test_results_read_the_repository_itself_not_what_its_config_points_at(
    hostile: Hostile,
) -> None:
    code, out, _ = invoke(hostile, "diff", "HEAD~2", "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    # Paths from the plan root although diff.relative asks otherwise; the file changed in
    # the working tree found although core.worktree points elsewhere and core.checkStat is
    # minimal; the touched template unchanged, so not reported.
    assert [(c["kind"], c["id"], c["change"], c["path"]) for c in changes] == [
        ("objective", "I1:1", "rating-added", "plan/I1/I1-1.yaml"),
        ("evidence", "E1", "field-changed", "evidence/E1.md"),
        ("kpi", "k20", "kpi-point-added", "kpis/k20.yaml"),
        # approvals are compared too since issue 16 (this one is added in the range)
        ("approval", "2024-05", "added", "approvals/2024-05.yaml"),
    ]
    code, out, _ = invoke(hostile, "history", "I1:1", "--format", "json")
    assert code == 0
    commits = json.loads(out)["commits"]
    # i18n.logOutputEncoding=UTF-16 does not garble the log, mailmap maps no one.
    assert [(c["subject"], c["author"]) for c in commits] == [
        ("Plan as agreed", "Alice Officer"),
        ("June rating", "Alice Officer"),
    ]
    code, out, _ = invoke(hostile, "report", "--month", "2024-06", "--format", "json")
    assert json.loads(out)["header"]["dirty"] is True  # evidence/E1.md changed


@pytest.mark.slow
def test_a_partial_clones_lazy_fetch_runs_no_transport(hostile: Hostile, tmp_path: Path) -> None:
    """A blob missing from a partial clone is not fetched: ext::, file:// and ssh are refused."""
    root = hostile.root
    missing = "1234567890123456789012345678901234567890"
    env = {**git_env(), "GIT_INDEX_FILE": str(tmp_path / "index")}
    quiet = (*disarmed(root), *NO_FILTER, "-c", f"core.hooksPath={os.devnull}")

    def setup(*args: str, stdin: str = "") -> str:
        done = subprocess.run(
            ["git", *quiet, *args], cwd=root, env=env, input=stdin, text=True,
            capture_output=True, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    setup("read-tree", "HEAD")
    setup("update-index", "--index-info", stdin=f"100644 {missing}\tplan/A1/A1a-9.yaml\n")
    tree = setup("write-tree", "--missing-ok")
    new = setup("commit-tree", "-p", "HEAD", "-m", "Missing blob", tree)
    setup("update-ref", "refs/heads/main", new)
    plain(hostile, "cat-file", "-p", missing)
    assert "ext" in hostile.fired()  # the control: plain git tries to fetch it
    hostile.reset()
    code, out, err = invoke(hostile, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["unreadable"] == [
        {
            "side": "target",
            "path": "plan/A1/A1a-9.yaml",
            "message": "unreadable: cannot be read: its git object is missing "
            "(a partial or damaged clone)",
        }
    ]
    assert hostile.fired() == []


@pytest.mark.slow
def test_index_flags_cannot_hide_a_change_from_diff_or_the_report(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "plan", PLANS / "minimal")
    commit(root, "Plan as agreed")
    git(root, "update-index", "--assume-unchanged", "plan/A1/A1a-1.yaml")
    git(root, "update-index", "--skip-worktree", "kpis/k20.yaml")
    (root / "plan/A1/A1a-1.yaml").write_text(
        (root / "plan/A1/A1a-1.yaml").read_text(encoding="utf-8").replace("Head of SEND", "DCS"),
        encoding="utf-8",
    )
    (root / "kpis/k20.yaml").write_text(
        (root / "kpis/k20.yaml").read_text(encoding="utf-8").replace("value: 40,", "value: 41,"),
        encoding="utf-8",
    )
    assert git(root, "diff-index", "HEAD") == ""  # the control: plain git sees nothing
    made = Hostile(root, tmp_path, tmp_path)
    code, out, _ = invoke(made, "diff", "HEAD", "--format", "json")
    assert code == 0
    assert [(c["id"], c["change"]) for c in json.loads(out)["changes"]] == [
        ("A1a:1", "field-changed"),
        ("k20", "kpi-restated"),
    ]
    code, out, _ = invoke(made, "report", "--month", "2024-06", "--format", "json")
    assert json.loads(out)["header"]["dirty"] is True


def test_an_embedded_bare_repository_is_not_used(tmp_path: Path) -> None:
    """A plan folder that is itself a bare repository (safe.bareRepository)."""
    bare = tmp_path / "bare"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True, env=git_env())
    shutil.copytree(PLANS / "minimal", bare, dirs_exist_ok=True)
    markers = tmp_path / "markers"
    markers.mkdir()
    fsmonitor = _program(tmp_path, "fsmonitor", markers)
    git(bare, "config", "core.fsmonitor", str(fsmonitor))
    made = Hostile(bare, markers, tmp_path)
    code, _, err = invoke(made, "diff", "HEAD")
    assert code == 2
    assert "not inside a git repository" in " ".join(err.split())
    code, out, _ = invoke(made, "report", "--month", "2024-06", "--format", "json")
    assert code == 0
    assert json.loads(out)["header"]["commit"] is None
    assert made.fired() == []
