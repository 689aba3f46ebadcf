"""Findings: what `validate` reports, and its machine-readable formats (SPEC §4)."""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.IntEnum):
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


# Characters that must not reach a terminal or a CI log raw: C0/C1 controls (ESC starts a
# terminal escape sequence; C1 0x9b does too), DEL, and the bidi controls of "Trojan Source".
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

_RAW_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control or bidi character written as an escape such as `\\x1b`."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


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
    document = json.dumps(
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
        },
        indent=2,
        ensure_ascii=False,
    )
    # json escapes C0 controls itself; C1 and bidi controls would otherwise pass through raw.
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: list[Finding]) -> str:
    """GitHub workflow commands: one `::error` / `::warning` annotation per finding."""
    lines = []
    for f in findings:
        props = [f"file={_escape_property(printable(f.path))}"]
        if f.line:
            props.append(f"line={f.line}")
            if f.column:
                props.append(f"col={f.column}")
        props.append(f"title={_escape_property(f.code)}")
        lines.append(f"::{f.severity}{' ' + ','.join(props)}::{_escape_data(printable(f.message))}")
    return "\n".join(lines) + ("\n" if lines else "")
