"""Findings: what `validate` reports, and its machine-readable formats (SPEC §4)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from sendplan.safetext import github_data, github_property, json_document


class Severity(enum.IntEnum):
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


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


@dataclass(frozen=True)
class Summary:
    errors: int
    warnings: int
    files: int

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def summarise(findings: Iterable[Finding], files: int) -> Summary:
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
