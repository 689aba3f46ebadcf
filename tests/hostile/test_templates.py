"""A plan's own templates/ is untrusted: no code runs, no file outside it is read (issue 13).

Each classic Jinja escape is committed as the plan's report template. `validate` reports it
on its line; `report --allow-invalid` stops with a one-line error naming the file and line
(exit 2), never a traceback; and the command the payload tries to run never runs (it would
create a marker file).
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sendplan import plantemplates
from sendplan.cli import app
from sendplan.plantemplates import (
    PlanTemplate,
    TemplateRefused,
    list_templates,
    read_template,
    template_findings,
)


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--plan", str(root)], catch_exceptions=False)
    return result.exit_code, result.output


def _findings(root: Path) -> list[tuple[str, str, int]]:
    _, out = _run(root, "validate", "--format", "json")
    return [
        (f["code"], f["path"], f["line"] or 0)
        for f in json.loads(out)["findings"]
        if f["path"].startswith("templates")
    ]


# Each payload would create MARKER if it ran: `touch` through os.popen, or open() for writing.
ESCAPES = [
    ("cycler", "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}", 2),
    ("lipsum", "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}", 2),
    ("joiner", "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}", 2),
    (
        "subclasses",
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
        "{% if c.__name__ == 'Popen' %}{{ c(['touch', 'MARKER']) }}{% endif %}{% endfor %}",
        2,
    ),
    ("attr-filter", "{{ (report|attr('__class__')).__init__.__globals__ }}", 2),
    ("self", "{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}", 2),
    ("format", "{{ '{0.__class__.__init__.__globals__}'.format(report) }}", 2),
    ("namespace", "{{ namespace.__init__.__globals__['os'].popen('touch MARKER') }}", 2),
    # Fields of the view records are read without the sandbox's checks, `_` names never are.
    ("view-record", "{{ report.header.__class__.__init__.__globals__['os'].popen('x') }}", 2),
    ("view-fields", "{{ report.summary.__dataclass_fields__ }}", 2),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "payload", "line"), ESCAPES, ids=[e[0] for e in ESCAPES])
def test_a_template_escape_runs_nothing_and_is_reported_on_its_line(
    plan_copy: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    payload: str,
    line: int,
) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text(f"# {{{{ report.header.plan }}}}\n{payload}\n")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    assert _findings(root) == [("template-unsafe", "templates/report.md.j2", line)]
    code, out = _run(root, "report", "--month", "2024-06")
    assert code == 1  # refused: the plan has an error
    assert "templates/report.md.j2:2:0: template-unsafe: reaches" in out
    code, out = _run(root, "report", "--month", "2024-06", "--allow-invalid")
    assert code == 2, out
    message = " ".join(out.split())
    assert message.startswith("sendplan: templates/report.md.j2:2: refused by the template sandbox")
    assert "Traceback" not in out
    assert list(workdir.iterdir()) == []  # the payload's `touch MARKER` never ran
    assert not (root / "MARKER").exists()


@pytest.mark.slow
def test_a_symlinked_stylesheet_copies_no_file_into_the_report(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    secret = tmp_path / "secret-config"
    secret.write_text("[credential]\n\ttoken = ghp_SECRET_TOKEN_123\n", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates/report.css").symlink_to(secret)
    assert _findings(root) == [("template-refused", "templates/report.css", 0)]
    for fmt in ("html", "md"):
        code, out = _run(root, "report", "--month", "2024-06", "--allow-invalid", "-f", fmt)
        assert "ghp_SECRET_TOKEN_123" not in out
        if fmt == "html":  # the HTML includes report.css; Markdown never reads it
            assert code == 2
            assert " ".join(out.split()) == (
                "sendplan: templates/report.css is a symlink: sendplan reads plan templates only "
                "as regular files inside templates/, never through a symlink (see `sendplan "
                "validate`)"
            )
        else:
            assert code == 0


def test_a_symlinked_templates_folder_is_refused_whole(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    root = plan_copy("minimal")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "report.md.j2").write_text("# {{ report.header.plan }} from elsewhere\n")
    (root / "templates").symlink_to(elsewhere, target_is_directory=True)
    assert _findings(root) == [("template-refused", "templates", 0)]
    code, out = _run(root, "report", "--month", "2024-06", "--allow-invalid")
    assert code == 2
    assert "from elsewhere" not in out
    assert "templates/report.md.j2 lies behind a symlink" in " ".join(out.split())


def test_a_symlink_inside_a_templates_subfolder_is_refused(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "templates/parts").mkdir(parents=True)
    (root / "templates/parts/head.j2").symlink_to(root / "sendplan.yaml")
    assert _findings(root) == [("template-refused", "templates/parts/head.j2", 0)]
    with pytest.raises(Exception, match="is a symlink"):
        read_template(root, "parts/head.j2", 1_000_000)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_templates_is_refused_without_blocking(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    os.mkfifo(root / "templates/report.md.j2")
    assert _findings(root) == [("template-refused", "templates/report.md.j2", 0)]
    code, out = _run(root, "report", "--month", "2024-06", "--allow-invalid")
    assert code == 2
    assert "templates/report.md.j2 is not a regular file" in " ".join(out.split())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# {{ report.header.plan }}\n{% if report.header.notice %}\nno end\n",
            [("template-syntax", 3, "template syntax: Unexpected end of template.")],
        ),
        (
            "{{ report.sumary.objectives }}\n",
            [("template-unknown-name", 1, "the report has no 'sumary'")],
        ),
        ("{{ reprot.header }}\n", [("template-unknown-name", 1, "unknown name 'reprot'")]),
        ("\n{{ report.header.plan | shout }}\n", [("template-unknown-name", 2, "no filter named")]),
        ("{% include 'missing.j2' %}\n", [("template-unknown-name", 1, "uses template")]),
        ("{% set x = [] %}\n{{ x.append(1) }}\n", [("template-unsafe", 2, "calls append()")]),
        ('{{ "a\\u202eb" }}\n\x1b[2J\n', [("unsafe-text", 2, "control character")]),
    ],
    ids=["syntax", "report-field", "name", "filter", "include", "mutation", "control"],
)
def test_template_mistakes_are_findings_on_their_line(
    plan_copy: Callable[[str], Path], text: str, expected: list[tuple[str, int, str]]
) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text(text, encoding="utf-8")
    found = template_findings(root, 1_000_000)
    assert [(f.code, f.line) for f in found] == [(code, line) for code, line, _ in expected]
    for f, (_, _, fragment) in zip(found, expected, strict=True):
        assert fragment in f.message
        assert f.path == "templates/report.md.j2"
    code, out = _run(root, "report", "--month", "2024-06", "--allow-invalid")
    if not any(c == "unsafe-text" for c, _, _ in expected):
        assert code == 2, out  # each stops the report with its file and line, no traceback
        assert out.startswith("sendplan: templates/report.md.j2:")
    assert "Traceback" not in out


def test_a_template_over_the_size_limit_is_not_read(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text("x" * 2_001, encoding="utf-8")
    found = template_findings(root, 2_000)
    assert [(f.code, f.line, f.message) for f in found] == [
        (
            "template-too-large",
            0,
            "is 2,001 bytes, over the 2,000-byte limit (max_file_bytes in sendplan.yaml); not read",
        )
    ]


def test_a_plan_template_overrides_the_built_in_inside_the_sandbox(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text(
        "# {{ report.header.plan | md }}\n{% for r in report.summary.ratings %}"
        "{{ BRAG_WORDS[r.rating] }}: {{ r.now }}\n{% endfor %}{{ 6 * 7 }} {{ 2 ** 10 }}\n",
        encoding="utf-8",
    )
    assert _findings(root) == []
    code, out = _run(root, "report", "--month", "2024-06")
    assert code == 0
    assert out.splitlines()[0] == "# Riverside SEND Improvement Plan"
    assert out.rstrip().endswith("42 1024")


def test_the_built_in_templates_copied_into_a_plan_are_not_checked_again(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    built_in = Path(__file__).parents[2] / "templates"
    (root / "templates").mkdir()
    for path in built_in.glob("*.j2"):
        (root / "templates" / path.name).write_bytes(path.read_bytes())
    assert template_findings(root, 1_000_000) == []
    assert {t.name for t in list_templates(root)} == {p.name for p in built_in.glob("*.j2")}


# --- edges of reading: names, bytes, errors, and the path for systems without O_NOFOLLOW -------


@pytest.mark.parametrize(
    "name", ["", "../sendplan.yaml", "parts/../report.md.j2", "./report.md.j2", "a//b.j2", "/etc"]
)
def test_a_name_that_leaves_or_bends_the_folder_is_no_template(
    plan_copy: Callable[[str], Path], name: str
) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text("# plan\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError) as raised:
        read_template(root, name, 1_000_000)
    assert raised.value.args == (name,)


def test_a_template_that_is_not_utf8_is_refused_by_read_and_by_validate(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_bytes(b"# caf\xe9 {{ report.header.plan }}\n")
    message = "templates/report.md.j2 is not UTF-8 text; save it as UTF-8"
    with pytest.raises(TemplateRefused) as raised:
        read_template(root, "report.md.j2", 1_000_000)
    assert str(raised.value) == message
    found = template_findings(root, 1_000_000)
    assert [(f.code, f.path, f.line, f.message) for f in found] == [
        ("template-refused", "templates/report.md.j2", 0, message)
    ]


def test_a_template_read_over_the_limit_is_refused_after_max_bytes_plus_one(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.css").write_bytes(b"a" * 10_000)
    with pytest.raises(TemplateRefused) as raised:
        read_template(root, "report.css", 100)
    # Only max_bytes + 1 bytes are read: the message gives that count, not the file's size.
    assert str(raised.value) == (
        "templates/report.css is 101 bytes, over the 100-byte limit "
        "(max_file_bytes in sendplan.yaml); not read"
    )
    assert read_template(root, "report.css", 10_000) == "a" * 10_000


def test_a_file_on_the_way_to_a_template_means_no_such_template(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/parts").write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError) as raised:
        read_template(root, "parts/head.j2", 1_000_000)
    assert raised.value.args == ("templates/parts/head.j2",)


def test_a_template_that_cannot_be_opened_is_refused_with_the_reason(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root no permission is ever denied: os.open is made to deny the one file."""
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text("# plan\n", encoding="utf-8")
    real_open = os.open

    def denying_open(path: str, flags: int, *args: object, **kwargs: object) -> int:
        if path == "report.md.j2":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denying_open)
    with pytest.raises(TemplateRefused) as raised:
        read_template(root, "report.md.j2", 1_000_000)
    assert str(raised.value) == (
        "templates/report.md.j2 cannot be read (permission denied): sendplan reads plan "
        "templates only as regular files inside templates/, never through a symlink "
        "(see `sendplan validate`)"
    )
    found = template_findings(root, 1_000_000)
    assert [(f.code, f.path, f.message) for f in found] == [
        ("template-refused", "templates/report.md.j2", str(raised.value))
    ]


def _refusal(shown: str, why: str) -> str:
    return (
        f"{shown} {why}: sendplan reads plan templates only as regular files inside "
        "templates/, never through a symlink (see `sendplan validate`)"
    )


def test_without_o_nofollow_each_part_is_looked_at_before_it_is_read(
    plan_copy: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path for systems without openat/O_NOFOLLOW (Windows): the same answers."""
    monkeypatch.setattr(plantemplates, "_BY_FD", False)
    root = plan_copy("minimal")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "head.j2").write_text("SECRET\n", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text("# {{ report.header.plan }}\n", encoding="utf-8")
    (root / "templates/report.css").symlink_to(outside / "head.j2")
    (root / "templates/linked").symlink_to(outside, target_is_directory=True)
    (root / "templates/folder").mkdir()
    (root / "templates/big.css").write_bytes(b"b" * 300)
    assert read_template(root, "report.md.j2", 1_000) == "# {{ report.header.plan }}\n"
    for name, why in [
        ("report.css", "is a symlink"),
        ("linked/head.j2", "lies behind a symlink"),
        ("folder", "is not a regular file"),
    ]:
        with pytest.raises(TemplateRefused) as raised:
            read_template(root, name, 1_000)
        assert str(raised.value) == _refusal(f"templates/{name}", why)
    with pytest.raises(TemplateRefused) as raised:
        read_template(root, "big.css", 299)
    assert str(raised.value) == (
        "templates/big.css is 300 bytes, over the 299-byte limit "
        "(max_file_bytes in sendplan.yaml); not read"
    )
    with pytest.raises(FileNotFoundError) as missing:
        read_template(root, "folder/missing.j2", 1_000)
    assert missing.value.args == ("templates/folder/missing.j2",)


def test_without_o_nofollow_a_symlinked_templates_folder_is_refused(
    plan_copy: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plantemplates, "_BY_FD", False)
    root = plan_copy("minimal")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "report.md.j2").write_text("from elsewhere\n", encoding="utf-8")
    (root / "templates").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(TemplateRefused) as raised:
        read_template(root, "report.md.j2", 1_000)
    assert str(raised.value) == _refusal("templates/report.md.j2", "lies behind a symlink")


def test_a_templates_file_instead_of_a_folder_has_no_templates(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "templates").write_text("{{ not a folder }}\n", encoding="utf-8")
    assert list_templates(root) == []
    assert template_findings(root, 1_000_000) == []
    with pytest.raises(FileNotFoundError):
        read_template(root, "report.md.j2", 1_000_000)


def test_a_subfolder_that_cannot_be_listed_is_left_out(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    (root / "templates/parts").mkdir(parents=True)
    (root / "templates/parts/head.j2").write_text("head\n", encoding="utf-8")
    (root / "templates/report.css").write_text("body {}\n", encoding="utf-8")
    real_scandir = os.scandir

    def denying_scandir(path: str) -> Iterator[os.DirEntry[str]]:
        if Path(path).name == "parts":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", denying_scandir)
    assert list_templates(root) == [PlanTemplate("report.css", len("body {}\n"))]


def test_a_template_gone_between_listing_and_reading_is_skipped(
    plan_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy("minimal")
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text("{{ reprot }}\n", encoding="utf-8")
    listed = list_templates(root)
    (root / "templates/report.md.j2").unlink()  # deleted after the listing
    monkeypatch.setattr(plantemplates, "list_templates", lambda _root: listed)
    assert template_findings(root, 1_000_000) == []


def test_a_built_in_that_cannot_be_read_counts_as_none(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.resources

    assert plantemplates.built_in("report.css") is not None
    for name in ("parts/x.j2", ".hidden.j2", "__init__.py", "no-such.j2"):
        assert plantemplates.built_in(name) is None

    class Unreadable:
        def __truediv__(self, name: str) -> Unreadable:
            return self

        def is_file(self) -> bool:
            return True

        def read_bytes(self) -> bytes:
            raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(importlib.resources, "files", lambda _package: Unreadable())
    assert plantemplates.built_in("report.css") is None


# --- the sandbox's arithmetic limits, in the environment every template renders in ---------------

POWER = "a power this large is refused in templates"
REPEAT = "repeating text or a list this many times is refused in templates"


@pytest.mark.parametrize(
    ("source", "refusal"),
    [
        ("{{ 2 ** 5000 }}", POWER),
        ("{{ 10 ** 1025 }}", POWER),
        ("{{ 'ab' * 6000000 }}", REPEAT),
        ("{{ 6000000 * 'ab' }}", REPEAT),
    ],
)
def test_arithmetic_that_would_take_unbounded_memory_is_refused(source: str, refusal: str) -> None:
    from jinja2.exceptions import SecurityError

    from sendplan.render import environment

    with pytest.raises(SecurityError) as raised:
        environment(None, "md").from_string(source).render()
    assert str(raised.value) == refusal


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("{{ 2 ** 10 }}", "1024"),
        ("{{ 2.0 ** 3 }}", "8.0"),  # floats overflow to an error of their own: not counted
        ("{{ 'ab' * 3 }}", "ababab"),
        ("{{ 3 * 'ab' }}", "ababab"),
        ("{{ (1, 2) * 2 }}", "(1, 2, 1, 2)"),
        ("{{ 6 * 7 }}", "42"),
    ],
)
def test_arithmetic_within_the_limits_renders(source: str, text: str) -> None:
    from sendplan.render import environment

    assert environment(None, "md").from_string(source).render() == text


def test_no_figure_is_no_text() -> None:
    from sendplan.render import number, signed

    assert (number(None), signed(None), number(None, "%")) == ("", "", "")
    assert (number(58.5, "%"), signed(-161, "days"), signed(8.5, "%")) == (
        "58.5%",
        "\N{MINUS SIGN}161 days",
        "+8.5pp",
    )
