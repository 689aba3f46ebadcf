"""Findings and diff changes: what sendplan reports, built by one factory each, and the
machine-readable formats of findings (SPEC §4).

`finding()` and `change()` are the only way to make one: they take the code's severity from the
catalogue (`catalogue.py`) and redact personal data from every text they are given, so no
output can forget either. `sendplan.yaml`'s `checks:` is applied afterwards, by `apply()`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, TypeVar

from sendplan import privacy
from sendplan.catalogue import Code, Policy, Severity, declared
from sendplan.safetext import github_data, github_property, json_document

__all__ = ["Change", "Finding", "Severity", "change", "finding"]

ItemKind = Literal[
    "objective", "evidence", "kpi", "area", "recommendation", "approval", "config", "template"
]
"""What a change is to, in the order `diff` lists them."""


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in the plan. Sorts by path, line, column, then code."""

    path: str
    """Relative to the plan root, "/" separators."""
    line: int
    """1-based; 0 = the whole file."""
    column: int
    code: str
    """Stable kebab-case code, e.g. "unknown-evidence"; never renamed."""
    severity: Severity
    message: str
    """What is wrong and what to do. Never echoes personal data."""
    id: str = ""
    """The objective, area, evidence item or KPI concerned ("" when none)."""

    def __str__(self) -> str:
        """`path:line:column: code: message`, the one-line form every command prints."""
        return f"{self.path}:{self.line}:{self.column}: {self.code}: {self.message}"


@dataclass(frozen=True)
class Change:
    """One change to one item of the plan (the JSON of `diff`, plus the item's title)."""

    kind: ItemKind
    id: str
    change: str
    """The change's code, e.g. "rating-added" (catalogue stage `diff`)."""
    message: str
    path: str
    title: str = ""
    severity: Severity = Severity.INFO
    on: date | None = field(default=None, compare=False)
    """The plan date the change concerns (a rating's or re-baseline's date, a KPI point's
    period end, a completion or withdrawal date); None for undated fields."""


def _code(code: Code | str) -> Code:
    return code if isinstance(code, Code) else declared(code)


def finding(
    code: Code | str, path: str, line: int, column: int, message: str, item_id: str = ""
) -> Finding:
    """A finding of `code` (a Code, or the name of a load-time one) with its default severity;
    personal data in the message or the ID is redacted."""
    found = _code(code)
    return Finding(
        path,
        line,
        column,
        found.name,
        found.severity,
        privacy.redact(message),
        privacy.redact(item_id),
    )


def change(
    kind: ItemKind,
    item_id: str,
    code: Code | str,
    message: str,
    path: str,
    title: str = "",
    on: date | None = None,
) -> Change:
    """A diff change of `code` with its default severity; personal data in its texts redacted.
    `on`: the plan date it concerns, if any."""
    found = _code(code)
    return Change(
        kind,
        privacy.redact(item_id),
        found.name,
        privacy.redact(message),
        path,
        privacy.redact(title),
        found.severity,
        on,
    )


_Reported = TypeVar("_Reported", Finding, Change)


def apply(policy: Policy, reported: Iterable[_Reported]) -> list[_Reported]:
    """`reported` with each code's severity as the plan sets it; codes turned off left out."""
    kept: list[_Reported] = []
    for each in reported:
        name = each.code if isinstance(each, Finding) else each.change
        severity = policy.severity(name, each.severity)
        if severity is None:
            continue
        kept.append(
            each if severity is each.severity else dataclasses.replace(each, severity=severity)
        )
    return kept


@dataclass(frozen=True)
class Summary:
    errors: int
    warnings: int
    files: int

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def summarise(findings: Iterable[Finding], files: int) -> Summary:
    """How many errors and warnings (info findings count as neither)."""
    severities = [f.severity for f in findings]
    return Summary(
        errors=severities.count(Severity.ERROR),
        warnings=severities.count(Severity.WARNING),
        files=files,
    )


def as_json(findings: list[Finding], summary: Summary) -> str:
    """The `validate --format json` document."""
    return json_document(
        {
            "findings": [
                {
                    "severity": str(f.severity),
                    "code": f.code,
                    "message": f.message,
                    "path": f.path,
                    "line": f.line or None,
                    "column": f.column or None,
                    "id": f.id or None,
                }
                for f in findings
            ],
            "summary": {
                "errors": summary.errors,
                "warnings": summary.warnings,
                "files": summary.files,
            },
        }
    )


def as_github(findings: list[Finding]) -> str:
    """GitHub workflow commands: one `::error` / `::warning` annotation per finding."""
    lines = []
    for f in findings:
        props = [f"file={github_property(f.path)}"]
        if f.line:
            props.append(f"line={f.line}")
            if f.column:
                props.append(f"col={f.column}")
        props.append(f"title={github_property(f.code)}")
        lines.append(f"::{f.severity}{' ' + ','.join(props)}::{github_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
