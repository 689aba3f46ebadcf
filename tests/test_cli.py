"""The command line: exit codes, output formats, finding the plan."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan.cli import app

runner = CliRunner()


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    if cwd is not None:
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(cwd)
            result = runner.invoke(app, list(args), catch_exceptions=False)
    else:
        result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def break_owner_and_link(root: Path) -> None:
    path = root / "plan/A1/A1a-1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("owner: Head of SEND\n", "").replace("[E1, E2]", "[E1, E77]"), encoding="utf-8"
    )


def test_validate_clean_plan_exits_0(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    code, out = invoke("validate", "--plan", str(root))
    assert code == 0
    assert "0 errors, 0 warnings in 8 files" in out


def test_validate_finds_the_plan_by_walking_up(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    code, out = invoke("validate", cwd=root / "plan" / "A1")
    assert code == 0, out


def test_validate_reads_sendplan_plan_from_the_environment(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    monkeypatch.setenv("SENDPLAN_PLAN", str(root))
    assert invoke("validate")[0] == 0


def test_no_plan_found_exits_2_with_a_message(tmp_path: Path) -> None:
    code, out = invoke("validate", cwd=tmp_path)
    assert code == 2
    assert "no sendplan.yaml" in out
    assert "--plan" in out


def test_validate_json_shape(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    break_owner_and_link(root)
    code, out = invoke("validate", "--plan", str(root), "--format", "json")
    assert code == 1
    assert json.loads(out) == {
        "findings": [
            {
                "severity": "warning",
                "code": "missing-owner",
                "message": "A1a:1 has no owner",
                "path": "plan/A1/A1a-1.yaml",
                "line": 1,
                "column": 1,
                "id": "A1a:1",
            },
            {
                "severity": "error",
                "code": "unknown-evidence",
                "message": "A1a:1 cites E77, which is not in evidence/",
                "path": "plan/A1/A1a-1.yaml",
                "line": 6,
                "column": 16,
                "id": "A1a:1",
            },
        ],
        "summary": {"errors": 1, "warnings": 1, "files": 8},
    }


def test_validate_github_annotations(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    break_owner_and_link(root)
    code, out = invoke("validate", "--plan", str(root), "--format", "github")
    assert code == 1
    assert out.splitlines() == [
        "::warning file=plan/A1/A1a-1.yaml,line=1,col=1,title=missing-owner::A1a:1 has no owner",
        "::error file=plan/A1/A1a-1.yaml,line=6,col=16,title=unknown-evidence::"
        "A1a:1 cites E77, which is not in evidence/",
    ]


def test_warnings_pass_unless_strict(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    path = root / "plan/A1/A1a-1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("owner: Head of SEND\n", ""), encoding="utf-8"
    )
    assert invoke("validate", "--plan", str(root))[0] == 0
    assert invoke("validate", "--plan", str(root), "--strict")[0] == 1


def test_text_output_groups_by_file_and_counts(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    break_owner_and_link(root)
    code, out = invoke("validate", "--plan", str(root))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "plan/A1/A1a-1.yaml"
    assert "missing-owner" in lines[1]
    assert "unknown-evidence" in lines[2]
    assert "1 error, 1 warning in 8 files" in out


def test_plan_text_is_not_parsed_as_rich_markup(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    path = root / "plan/A1/A1a-1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[E1, E2]", "[E1, '[/bold]']"), encoding="utf-8"
    )
    code, out = invoke("validate", "--plan", str(root))
    assert code == 1
    assert "not a valid ID" in out


def test_unknown_format_is_a_usage_error(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    assert invoke("validate", "--plan", str(root), "--format", "xml")[0] == 2


# --- the console script itself: main() -------------------------------------------------------


def _main(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, bool]:
    """Run the `sendplan` console script in this process: its exit code, and whether it
    turned the cyclic garbage collector off (not done for real here)."""
    import gc

    from sendplan.cli import main

    disabled: list[bool] = []
    monkeypatch.setattr(gc, "disable", lambda: disabled.append(True))
    monkeypatch.setattr("sys.argv", ["sendplan", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    assert isinstance(code, int)
    return code, bool(disabled)


APPROVE_PARAGRAPH = (
    "  Writes approvals/YYYY-MM.yaml with the full hash of the commit the report came from, so "
    "that month's report can name the approval, list what changed since, and render what the "
    "board saw (report --month M --as-approved). Refuses (exit 1, nothing written) a month "
    "already approved, a date in the future, a revision that does not exist, and uncommitted "
    "changes to plan files when --commit is not given. Commit the new file afterwards."
)


def test_main_in_a_pipe_never_wraps_help(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")  # ignored: the output is not a terminal
    code, gc_off = _main(["approve", "--help"], monkeypatch)
    out = capsys.readouterr().out
    assert (code, gc_off) == (0, True)
    assert out.splitlines()[0] == "Usage: sendplan approve [OPTIONS]"
    assert APPROVE_PARAGRAPH in out.splitlines()


def test_main_on_a_terminal_wraps_help_at_its_width(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr("sendplan.cli.is_terminal", lambda _stream: True)
    code, gc_off = _main(["approve", "--help"], monkeypatch)
    lines = capsys.readouterr().out.splitlines()
    assert (code, gc_off) == (0, True)
    assert lines[4:12] == [
        "  Writes approvals/YYYY-MM.yaml with the full hash of the",
        "  commit the report came from, so that month's report can",
        "  name the approval, list what changed since, and render",
        "  what the board saw (report --month M --as-approved).",
        "  Refuses (exit 1, nothing written) a month already",
        "  approved, a date in the future, a revision that does not",
        "  exist, and uncommitted changes to plan files when",
        "  --commit is not given. Commit the new file afterwards.",
    ]


def test_main_runs_a_command_and_exits_with_its_code(
    plan_copy: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = plan_copy("minimal")
    assert _main(["validate", "--plan", str(root)], monkeypatch)[0] == 0
    assert "0 errors, 0 warnings in 8 files" in capsys.readouterr().out
    break_owner_and_link(root)
    assert _main(["validate", "--plan", str(root)], monkeypatch)[0] == 1


def test_a_report_of_a_plan_with_many_errors_shows_twenty_and_counts_the_rest(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    path = root / "plan/I1/I1-1.yaml"
    cited = ", ".join(f"E9{n}" for n in range(10, 32))  # 22 evidence IDs that are not there
    path.write_text(
        path.read_text(encoding="utf-8").replace("evidence: [E2]", f"evidence: [{cited}]"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["report", "--month", "2024-06", "--plan", str(root)], catch_exceptions=False
    )
    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[:20] == [
        f"plan/I1/I1-1.yaml:5:{12 + 6 * i}: unknown-evidence: I1:1 cites E9{10 + i}, which is "
        "not in evidence/"
        for i in range(20)
    ]
    assert lines[20:] == [
        "... and 2 more",
        "sendplan: the plan has 22 errors; fix them (sendplan validate) or pass --allow-invalid",
    ]


def test_a_closed_or_replaced_stream_is_no_terminal() -> None:
    import io

    from sendplan.cli.app import is_terminal

    closed = io.StringIO()
    closed.close()
    assert is_terminal(closed) is False  # isatty() raises ValueError
    assert is_terminal(object()) is False  # type: ignore[arg-type]  # no isatty at all
    assert is_terminal(io.StringIO()) is False


def test_output_may_be_styled_on_a_terminal_or_where_the_environment_asks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib
    import io

    app_module = importlib.import_module("sendplan.cli.app")  # `sendplan.cli.app` is the Typer

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert app_module.may_style(io.StringIO()) is False
    with monkeypatch.context() as terminal:
        terminal.setattr(app_module, "is_terminal", lambda _stream: True)
        assert app_module.may_style(io.StringIO()) is True
    for name, value in (("FORCE_COLOR", ""), ("FORCE_COLOR", "0"), ("TTY_COMPATIBLE", "0")):
        monkeypatch.setenv(name, value)  # rich reads the value: the text goes through rich
        assert app_module.may_style(io.StringIO()) is True
        monkeypatch.delenv(name)


@pytest.mark.parametrize("styled", [False, True])
def test_validate_prints_the_same_text_with_rich_or_without(
    styled: bool,
    plan_copy: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = plan_copy("minimal")
    break_owner_and_link(root)
    # Through rich, told it is no terminal (TTY_COMPATIBLE=0), or without rich: the same bytes.
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    if styled:
        monkeypatch.setenv("TTY_COMPATIBLE", "0")
    else:
        monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert _main(["validate", "--plan", str(root)], monkeypatch)[0] == 1
    assert capsys.readouterr().out == (
        "plan/A1/A1a-1.yaml\n"
        "  1:1     warning missing-owner        A1a:1 has no owner\n"
        "  6:16    error   unknown-evidence     A1a:1 cites E77, which is not in evidence/\n"
        "\n"
        f"1 error, 1 warning in 8 files ({root})\n"
    )


def test_machine_output_is_utf8_whatever_the_console_encoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    from sendplan.cli.app import write_out

    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="cp1252", newline="")
    monkeypatch.setattr(sys, "stdout", console)
    write_out("Café ✓")  # ✓ is not in cp1252
    assert raw.getvalue() == "Café ✓\n".encode()


def test_colour_is_off_when_no_color_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from sendplan.cli.app import use_colour

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour() is True
    monkeypatch.setenv("NO_COLOR", "")
    assert use_colour() is False


def test_python_m_sendplan_runs_the_console_script(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc
    import runpy

    from sendplan import __version__

    monkeypatch.setattr(gc, "disable", lambda: None)  # main() would, for the whole test run
    monkeypatch.setattr("sys.argv", ["sendplan", "--version"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("sendplan", run_name="__main__")
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"sendplan {__version__}\n"
