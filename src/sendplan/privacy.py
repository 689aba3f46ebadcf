"""Personal data in plan text: NHS numbers, UPNs, personal emails, dates of birth."""

from __future__ import annotations


def scan(text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) for each likely piece of personal data in `text`."""
    return []
