"""What a check is: a generator of Problems, declared with its code and severity."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sendplan import catalogue
from sendplan.catalogue import Code, Severity
from sendplan.load import Loaded
from sendplan.model import Plan
from sendplan.yamlfile import YamlPath


@dataclass(frozen=True)
class Problem:
    """Where (a file and a path inside its YAML) and what."""

    path: str
    yaml_path: YamlPath
    message: str
    id: str = ""


CommitLookup = Callable[[Sequence[str]], set[str]]
"""Which of these commit hashes are certainly not in the plan's git history (an empty set
when there is no history to look in: no git, a folder from a zip, a shallow clone)."""


def _no_history(commits: Sequence[str]) -> set[str]:
    return set()


@dataclass(frozen=True)
class Context:
    """What a check may look at: the plan, how it was loaded, today's date, its git history."""

    loaded: Loaded
    today: date
    missing_commits: CommitLookup = _no_history

    @property
    def plan(self) -> Plan:
        return self.loaded.plan


CheckFunction = Callable[[Context], Iterator[Problem]]


@dataclass(frozen=True)
class Check:
    """A rule over the loaded plan and the code it reports (its catalogue entry)."""

    code: Code
    run: CheckFunction


def check(
    code: str | Code,
    severity: Severity | None = None,
    *,
    bad: str = "",
    good: str = "",
    locked: bool = False,
) -> Callable[[CheckFunction], Check]:
    """Declare a check with its stable code and severity: its catalogue entry, whose summary
    and explanation are the function's docstring (yamllint's rule modules are the model).

    A code the loader raises too (`path-outside-plan`) is passed as its declared `Code`.
    """

    def wrap(run: CheckFunction) -> Check:
        if isinstance(code, Code):
            return Check(code, run)
        assert severity is not None, f"{code}: a check declares its severity"
        doc = run.__doc__ or ""
        return Check(catalogue.code(code, severity, "check", doc, bad, good, locked), run)

    return wrap
