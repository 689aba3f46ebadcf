"""Every code sendplan reports, declared once: severity, stage, why it matters, and an example.

A code is raised at one of three stages: `load` (reading a file: bytes, YAML, schema), `check`
(a rule over the loaded plan, in `checks/`, declared there with `@check`) and `diff` (a change
between two versions of the plan). `sendplan checks` and docs/checks.md print this catalogue;
`sendplan.yaml` may change a code's severity (`checks: {missing-owner: off}`) unless the code is
*locked*: it protects the plan's integrity, so it can be neither turned off nor lowered.

To add a load-time or diff code, add one `Code` below and raise it by name with
`findings.finding()` or `findings.change()`; a check's code is declared by its `@check`.
"""

from __future__ import annotations

import enum
import inspect
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Stage = Literal["load", "check", "diff"]
STAGES: tuple[Stage, ...] = ("load", "check", "diff")


class Severity(enum.IntEnum):
    """How much a finding or a change matters: an error fails `validate` (and `diff --check`)."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Code:
    """One stable, kebab-case code and what a user needs to know about it."""

    name: str
    severity: Severity
    """The default; `checks:` in sendplan.yaml may change it unless `locked`."""
    stage: Stage
    summary: str
    """One line: what the code means."""
    explanation: str = ""
    """A paragraph: why it matters and what to do."""
    bad: str = ""
    """An example that raises it."""
    good: str = ""
    """The same example put right."""
    locked: bool = False
    """Protects integrity: cannot be turned off or made a warning."""


def code(
    name: str,
    severity: Severity,
    stage: Stage,
    doc: str,
    bad: str = "",
    good: str = "",
    locked: bool = False,
) -> Code:
    """A Code whose `doc` is a summary line, then (after a blank line) the explanation."""
    summary, _, explanation = inspect.cleandoc(doc).partition("\n\n")
    return Code(
        name,
        severity,
        stage,
        " ".join(summary.split()),
        " ".join(explanation.split()),
        textwrap.dedent(bad).strip("\n"),
        textwrap.dedent(good).strip("\n"),
        locked,
    )


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

LOAD_CODES: tuple[Code, ...] = (
    code(
        "unreadable",
        ERROR,
        "load",
        """A plan file (or folder) cannot be read: a folder where a file belongs, a FIFO, a broken
        symlink, permission denied.

        sendplan never opens anything but a regular file inside the plan. Replace the entry with
        an ordinary file, or remove it.""",
        locked=True,
    ),
    code(
        "file-too-large",
        ERROR,
        "load",
        """A plan file is larger than `max_file_bytes` (sendplan.yaml, default 1 MB); it is not
        read.

        A plan file is a few kilobytes; a huge one is a mistake or an attack on the parser. Split
        the file, or raise `max_file_bytes` (at most 2 MB).""",
        locked=True,
    ),
    code(
        "encoding",
        ERROR,
        "load",
        """A file is not UTF-8 text, or holds a NUL byte.

        Every plan file is UTF-8 (a BOM is allowed). Save it as UTF-8 in your editor.""",
        locked=True,
    ),
    code(
        "path-outside-plan",
        ERROR,
        "load",
        """A plan file is a symlink that resolves outside the plan, or an evidence `file:` leaves
        evidence/ (`..`, an absolute path, a symlink out).

        Nothing outside the plan repository is ever read, so a cloned plan cannot make sendplan
        read (or publish) your files. Keep the file inside the plan.""",
        bad="file: ../../secrets.pdf",
        good="file: files/E24.pdf",
        locked=True,
    ),
    code(
        "personal-data",
        ERROR,
        "load",
        """A line looks like a child's personal data: an NHS number, a Unique Pupil Number, an
        individual's email address or a date of birth.

        A plan repository is shared widely and must never hold personal data. Every text file
        in it is scanned, plan files or not, as written and as a reader sees it (YAML folding
        and escapes, Markdown, HTML entities, any separators). The message never repeats the
        match, and the value is redacted in every output. If the line is not personal data,
        end it with `# sendplan: allow personal-data`.""",
        bad="note: Reviewed with parent (jane.smith@gmail.com).",
        good="note: Reviewed with the parent carer forum.",
        locked=True,
    ),
    code(
        "yaml-syntax",
        ERROR,
        "load",
        """The file is not valid YAML (or its front matter is missing), or uses what plan files
        never need: tabs for indenting, anchors and aliases, tags, nesting deeper than 64 levels.

        Nothing else in the file can be read until it parses. The message gives the line and
        column where the parser stopped.""",
        bad="""
        ratings:
        \t- date: 2024-03-31
        """,
        good="""
        ratings:
          - date: 2024-03-31
        """,
        locked=True,
    ),
    code(
        "duplicate-key",
        ERROR,
        "load",
        """A key appears twice in one mapping.

        Other YAML tools silently keep the last value, so what a reviewer reads is not what the
        tools use. Keep one.""",
        bad="""
        owner: Head of SEND
        owner: Director of children's services
        """,
        good="owner: Head of SEND",
        locked=True,
    ),
    code(
        "unsafe-text",
        ERROR,
        "load",
        """A value holds a control character or a bidi override ("Trojan Source").

        They can drive a terminal or make text read differently from what it says. Remove the
        character; write the text plainly.""",
        bad='title: "Backlog \\u202ecleared"',
        good="title: Backlog cleared",
        locked=True,
    ),
    code(
        "template-refused",
        ERROR,
        "load",
        """A file in the plan's templates/ is a symlink, lies behind one, or is not a regular
        file; sendplan never reads it.

        A plan's templates come with the plan, like its YAML: a symlinked `templates/report.css`
        would copy any file on the machine (`.git/config` with a CI token, say) into every
        report. Make it an ordinary file inside templates/.""",
        bad="templates/report.css -> ../.git/config",
        good="templates/report.css (a file of its own)",
        locked=True,
    ),
    code(
        "template-unsafe",
        ERROR,
        "load",
        """A template of the plan reaches a name starting with `_` (`__class__`,
        `__subclasses__`, `__globals__`): Python's internals, the way out of a template.

        Every template renders in Jinja's sandbox, which refuses these, so no code from a plan
        can run; `report` would stop at this line. Remove it: templates have no need for them.""",
        bad="{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        good="{{ report.header.plan }}",
        locked=True,
    ),
    code(
        "template-syntax",
        ERROR,
        "load",
        """A template of the plan is not valid Jinja: `report` could not use it.

        The message gives the line where Jinja stopped (an unclosed `{% if %}`, a stray
        `}}`).""",
        bad="{% if report.header.notice %}{{ report.header.notice }}",
        good="{% if report.header.notice %}{{ report.header.notice }}{% endif %}",
    ),
    code(
        "template-unknown-name",
        ERROR,
        "load",
        """A template of the plan uses a name, filter or template that does not exist: a typo
        that would stop `report` (templates are strict about undefined names).

        A template sees `report` (the report's data, as `report --format json` prints it),
        the built-in filters and globals, and what templates declare themselves.""",
        bad="{{ report.sumary.objectives }}",
        good="{{ report.summary.objectives }}",
    ),
    code(
        "template-too-large",
        ERROR,
        "load",
        """A file in the plan's templates/ is larger than `max_file_bytes` (default 1 MB); it is
        not read.

        The built-in templates are a few kilobytes each.""",
    ),
    code(
        "ambiguous-boolean",
        ERROR,
        "load",
        """An unquoted `yes`, `no`, `on` or `off`: text to sendplan (YAML 1.2) but a boolean to
        YAML 1.1 tools.

        What the author meant is unclear, and other tools would read it differently. Quote it if
        you mean the word, or write `true` or `false`. (Values under `checks:` in
        sendplan.yaml are exempt: `off` means off either way.)""",
        bad="note: no",
        good='note: "no"',
    ),
    code(
        "comment-in-text",
        WARNING,
        "load",
        """A ` #` in the middle of an unquoted value started a comment, so the value was cut
        short there.

        YAML takes a space followed by `#` as the start of a comment: `title: Charter #2`
        reads as `Charter`. If the `#` is part of the text, put the text in quotes; if it is a
        comment, leave two spaces before the `#` (as yamllint asks too).""",
        bad="title: Charter #2",
        good='title: "Charter #2"',
    ),
    code(
        "schema",
        ERROR,
        "load",
        """A value has the wrong type or shape: a missing required key, a date that is not a
        date, an ID with characters IDs cannot have, a BRAG rating that is not one of the four.

        The message names the key and what is expected.""",
        bad="due: April 2024",
        good="due: 2024-04",
        locked=True,
    ),
    code(
        "unknown-key",
        ERROR,
        "load",
        """A key the file format does not have, usually a typo; the message suggests the closest
        known key.

        An unknown key is never silently ignored: `evidnce:` would otherwise drop the evidence.""",
        bad="evidnce: [E24]",
        good="evidence: [E24]",
        locked=True,
    ),
    code(
        "stray-file",
        WARNING,
        "load",
        """A YAML file where sendplan reads nothing: deeper than `plan/<AREA>/`, or in a sub-folder
        of kpis/.

        It is not read, so what it holds is not in any report. Move it where its kind belongs.""",
        bad="plan/PAP3/old/PAP3A-1.yaml",
        good="plan/PAP3/PAP3A-1.yaml",
    ),
    code(
        "unknown-check",
        ERROR,
        "load",
        """`checks:` in sendplan.yaml names a code sendplan does not have.

        A misspelt code would otherwise leave the check as it was without a word. `sendplan
        checks` lists every code.""",
        bad="checks: {missing-owners: off}",
        good="checks: {missing-owner: off}",
        locked=True,
    ),
    code(
        "locked-check",
        ERROR,
        "load",
        """`checks:` in sendplan.yaml tries to turn off (or make a warning of) a code that
        protects the plan's integrity; the setting is ignored.

        Locked codes (yaml-syntax, schema, personal-data, history-rewritten, ...) keep the plan
        readable, private and its history honest: no plan may opt out of them.""",
        bad="checks: {personal-data: off}",
        good="checks: {missing-owner: off}",
        locked=True,
    ),
)

DIFF_CODES: tuple[Code, ...] = (
    code(
        "added",
        INFO,
        "diff",
        """An objective, evidence item, KPI, area, recommendation, approval or `sendplan.yaml` was
        added.""",
    ),
    code(
        "removed",
        WARNING,
        "diff",
        """An item (or `sendplan.yaml`) was removed; for an objective the message says how many
        ratings went with it.

        Anything leaving the plan loses its history from every later report; a reviewer should
        see that it was meant. A file that cannot be read on the target side is listed as
        unreadable instead, never as removed.""",
    ),
    code(
        "rating-added",
        INFO,
        "diff",
        """A rating dated after the base's latest was appended, with its movement from the rating
        before: up, down, same or new.""",
    ),
    code(
        "history-rewritten",
        ERROR,
        "diff",
        """A past rating, `due_history` entry or recommendation update was edited or removed
        (entries are matched by date), or a new one is dated on or before the base's latest
        (backdated).

        Ratings and re-baselines are the plan's record: what a board saw last month must stay as
        it was. Add a new dated entry instead; `diff --check` fails on this.""",
        bad="""
        ratings:
          - {date: 2024-03-31, brag: green, note: Mapping complete.}   # was amber
        """,
        good="""
        ratings:
          - {date: 2024-03-31, brag: amber, note: Mapping under way.}
          - {date: 2024-06-15, brag: green, note: Mapping complete.}
        """,
        locked=True,
    ),
    code(
        "due-changed",
        INFO,
        "diff",
        """The deadline moved, and a new `due_history` entry from the old deadline to the new one
        gives the reason; or an ongoing objective got a deadline.""",
    ),
    code(
        "silent-rebaseline",
        WARNING,
        "diff",
        """The deadline moved with no `due_history` entry giving the reason, or was dropped for
        `ongoing: true`.

        A moved deadline without a recorded reason hides slippage from the board.""",
        bad="due: 2024-06   # was 2024-04",
        good="""
        due: 2024-06
        due_history:
          - {on: 2024-03-20, from: 2024-04, to: 2024-06, reason: New case system is late}
        """,
    ),
    code(
        "completed",
        INFO,
        "diff",
        """An objective's `done` was newly set (a green or blue rating shows as `rating-added`).""",
    ),
    code(
        "field-changed",
        INFO,
        "diff",
        """Any other field changed: an objective's title, owner, theme, commitment, impact, KPIs,
        supports, area (its folder), an edited `done`, evidence cited or no longer cited; an
        evidence item's, KPI's, area's or recommendation's fields; a `sendplan.yaml` setting (kind
        `config`, the key as its ID). The message gives the old and new values.""",
    ),
    code(
        "kpi-point-added",
        INFO,
        "diff",
        """A KPI value for a new period was added to its series.""",
    ),
    code(
        "kpi-restated",
        WARNING,
        "diff",
        """A past period's KPI value was changed or removed.

        Restating a figure is sometimes right (a revised statistic) but always worth a
        reviewer's look: last month's report showed the old one.""",
        bad="- {period: 2024-05, value: 62}   # was 58.5",
        good="- {period: 2024-05, value: 58.5, note: Revised to 62 in the July release}",
    ),
    code(
        "update-added",
        INFO,
        "diff",
        """A new dated update was appended to a recommendation.""",
    ),
    code(
        "post-approval-change",
        ERROR,
        "diff",
        """A rating or `due_history` entry dated on or before the end of a month a board approved
        (`approvals/`) was added, edited or removed.

        The approved report no longer shows what the board saw. `diff --check` fails; the
        month's report lists the change under "Changes since approval". Date the new entry
        after the approved month. (A KPI point for an approved period is a `kpi-point-added`
        warning instead.)""",
        bad="""
        ratings:   # May 2024 was approved on 26 June
          - {date: 2024-05-28, brag: red, note: Recorded late.}
        """,
        good="""
        ratings:
          - {date: 2024-07-02, brag: red, note: Provider withdrew at the end of May.}
        """,
        locked=True,
    ),
    code(
        "rated-objective-removed",
        ERROR,
        "diff",
        """The file of an objective that has ratings was deleted.

        Its history (and what boards approved of it) would vanish, and a red objective could be
        "solved" by removing it. Keep the file and withdraw the objective:
        `sendplan withdraw ID --reason TEXT`. An objective never rated is `removed`.""",
        good="withdrawn: {on: 2024-06-30, reason: Merged into PAP3A:3.}",
        locked=True,
    ),
    code(
        "withdrawn",
        INFO,
        "diff",
        """An objective was withdrawn (`withdrawn: {on, reason}`): from that date it leaves the
        counts and flags and is listed under Withdrawn.""",
    ),
    code(
        "template-changed",
        WARNING,
        "diff",
        """A file under the plan's own `templates/` was added, edited, removed or made a symlink
        (kind `template`, its path as the ID).

        A plan's templates decide what every report of it shows, so a change to one is a change
        to every board pack: a reviewer should read it like code. A plan cannot turn this off,
        or a pull request could hide a template change by adding `checks:` too.""",
        bad="templates/report.html.j2   # edited in the pull request",
        locked=True,
    ),
)

_DECLARED = {c.name: c for c in (*LOAD_CODES, *DIFF_CODES)}


def declared(name: str) -> Code:
    """The load-time or diff code called `name` (a KeyError is a bug: every code is declared)."""
    return _DECLARED[name]


def all_codes() -> tuple[Code, ...]:
    """Every code, by stage: load, then each check's (`checks.ALL_CHECKS`), then diff."""
    from sendplan.checks import ALL_CHECKS  # the checks import this module

    found: dict[str, Code] = {}
    for each in (*LOAD_CODES, *(check.code for check in ALL_CHECKS), *DIFF_CODES):
        found.setdefault(each.name, each)  # path-outside-plan: the loader's and a check's
    return tuple(found.values())


# --- sendplan.yaml `checks:` --------------------------------------------------------------------

Setting = Literal["off", "warning", "error"]
_SETTING: dict[str, Severity | None] = {
    "off": None,
    "warning": Severity.WARNING,
    "error": Severity.ERROR,
}


@dataclass(frozen=True)
class Refusal:
    """A `checks:` entry that is not applied, and why."""

    name: str
    code: str
    """unknown-check or locked-check."""
    message: str


@dataclass(frozen=True)
class Policy:
    """The severity of every code for one plan: the catalogue's, changed by `checks:`."""

    overrides: Mapping[str, Severity | None]
    """Code name -> its severity, None when turned off."""

    def severity(self, name: str, default: Severity) -> Severity | None:
        """The severity `name` is reported with; None = not reported."""
        return self.overrides.get(name, default)


def policy(
    settings: Mapping[str, Setting | bool], codes: Iterable[Code]
) -> tuple[Policy, list[Refusal]]:
    """The plan's Policy from `checks:`, and the entries refused (unknown or locked codes).

    `false` means `off` (YAML 1.1 tools read an unquoted `off` as false).
    """
    by_name = {c.name: c for c in codes}
    overrides: dict[str, Severity | None] = {}
    refused: list[Refusal] = []
    for name, value in settings.items():
        wanted = _SETTING["off" if value is False else str(value)]
        found = by_name.get(name)
        if found is None:
            refused.append(
                Refusal(
                    name,
                    "unknown-check",
                    f"checks: {name!r} is not a sendplan code; `sendplan checks` lists them",
                )
            )
        elif found.locked and (wanted is None or wanted < found.severity):
            what = "turned off" if wanted is None else "made a warning"
            refused.append(
                Refusal(
                    name,
                    "locked-check",
                    f"checks: {name} protects the plan's integrity and cannot be {what}; "
                    "the setting is ignored",
                )
            )
        else:
            overrides[name] = wanted
    return Policy(overrides), refused


# --- the catalogue as text, JSON and Markdown (`sendplan checks`, docs/checks.md) --------------


def _entries(codes: Iterable[Code]) -> list[dict[str, object]]:
    return [
        {
            "code": c.name,
            "severity": str(c.severity),
            "stage": c.stage,
            "locked": c.locked,
            "summary": c.summary,
            "explanation": c.explanation,
            "bad": c.bad or None,
            "good": c.good or None,
        }
        for c in codes
    ]


def as_json(codes: Iterable[Code]) -> object:
    """`{"codes": [{"code", "severity", "stage", "locked", "summary", "explanation", "bad",
    "good"}]}`: the document `sendplan checks --format json` prints."""
    return {"codes": _entries(codes)}


def as_text(codes: Iterable[Code]) -> str:
    """One line per code: name, severity, stage, `locked`, summary."""
    listed = list(codes)
    width = max(len(c.name) for c in listed)
    lines = [
        f"{c.name:<{width}}  {c.severity!s:<7}  {c.stage:<5}  {'locked' if c.locked else '':<6}"
        f"  {c.summary}"
        for c in listed
    ]
    return "\n".join(lines) + "\n"


_STAGE_HEADINGS = {
    "load": "Reading the files",
    "check": "Checks of the plan",
    "diff": "Changes between two versions (`sendplan diff`)",
}


def _fence(example: str) -> list[str]:
    ticks = "````" if "```" in example else "```"
    return [f"{ticks}yaml", example, ticks]


def as_markdown(codes: Iterable[Code]) -> str:
    """docs/checks.md: every code, with its explanation and examples."""
    listed = list(codes)
    lines = [
        "# What sendplan checks",
        "",
        "<!-- Generated from the catalogue (src/sendplan/catalogue.py and the @check declarations"
        " in src/sendplan/checks/) by `make docs`; do not edit by hand. -->",
        "",
        "`sendplan validate` reads every file of the plan and reports every finding in one run,"
        " each with its file, line and column; an error exits 1, and `--strict` makes warnings"
        " fail too. `sendplan diff` describes each change between two versions with a code of"
        " its own, and `diff --check` exits 1 on an error. `sendplan checks` prints this list"
        " (`--format json` for tools); [security and privacy](security.md) says more about the"
        " hostile-input and personal-data codes.",
        "",
        "## Changing a severity",
        "",
        "`sendplan.yaml` may change the severity of any code that is not *locked*:",
        "",
        "```yaml",
        "checks:",
        "  missing-owner: off          # not reported",
        "  orphan-evidence: error      # validate fails on it",
        "  silent-rebaseline: error    # diff --check fails on it",
        "```",
        "",
        "The values are `off`, `warning` and `error` (`false` means `off`). A code that is not"
        " in this list is reported as `unknown-check`. A locked code protects the plan's"
        " integrity (it can be read, it holds no personal data, its history is honest): it"
        " cannot be turned off or made a warning, and trying to is reported as `locked-check`."
        " A diff takes the severities of the version it compares to.",
        "",
        "| Code | Severity | Stage | Locked | Meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| [`{c.name}`](#{c.name}) | {c.severity} | {c.stage} | {'yes' if c.locked else ''}"
        f" | {c.summary} |"
        for c in listed
    ]
    for stage in STAGES:
        lines += ["", f"## {_STAGE_HEADINGS[stage]}"]
        for c in (c for c in listed if c.stage == stage):
            locked = ", locked" if c.locked else ""
            lines += ["", f"### {c.name}", "", f"*{c.severity}, {c.stage}{locked}.* {c.summary}"]
            if c.explanation:
                lines += ["", c.explanation]
            if c.bad:
                lines += ["", "Raises it:", "", *_fence(c.bad)]
            if c.good:
                lines += ["", "Does not:", "", *_fence(c.good)]
    return "\n".join(lines) + "\n"
