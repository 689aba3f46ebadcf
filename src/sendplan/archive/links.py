"""Where each page of the archive site lives, and the relative links between them.

Every link is relative to the page it is on, so the site works from `file://` and from any
sub-path of a web server. Page names come from IDs the way plan file names do (`:` becomes
`-`); IDs that differ only in case (or in `:` against `-`) would share a file on Windows and
macOS, so the later ones get `~2`, `~3` ... (`~` is not allowed in an ID, so no real ID can
take that name).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from sendplan.safetext import html_value
from sendplan.vocabulary import file_stem

INDEX = "index.html"
_text = html_value()  # plan text as every template value: escaped, schemes defanged


def month_path(month: date) -> str:
    return f"months/{month.year:04d}-{month.month:02d}.html"


def page_names(ids: Iterable[str]) -> dict[str, str]:
    """ID -> page file stem, unique even on a file system that ignores case."""
    taken: dict[str, int] = {}
    names = {}
    for item_id in ids:
        stem = file_stem(item_id)
        key = stem.casefold()
        seen = taken.get(key, 0)
        taken[key] = seen + 1
        names[item_id] = stem if seen == 0 else f"{stem}~{seen + 1}"
    return names


@dataclass(frozen=True)
class SitePaths:
    """The pages that exist: every link is checked against these, so none can dangle."""

    objectives: dict[str, str]
    """Objective ID -> file stem."""
    kpis: dict[str, str]
    """KPI ID -> file stem."""
    months: frozenset[date]
    """Month ends that have a page."""

    def objective(self, objective_id: str) -> str | None:
        stem = self.objectives.get(objective_id)
        return None if stem is None else f"objectives/{stem}.html"

    def kpi(self, kpi_id: str) -> str | None:
        stem = self.kpis.get(kpi_id)
        return None if stem is None else f"kpis/{stem}.html"

    def month(self, month: date) -> str | None:
        return month_path(month) if month in self.months else None


class Links:
    """Links as seen from one page (templates call these as `site.objective_href(id)`).

    Pages sit in the site's top folder or one folder down, so each link to an objective or
    KPI is worked out once per folder and looked up after that (a month page has thousands).
    """

    def __init__(self, paths: SitePaths, page: str, shared: dict[str, dict[str, str]]) -> None:
        self.paths = paths
        self.page = page
        self.folder = posixpath.dirname(page)
        self._up = "../" if self.folder else ""
        key = self._up
        if key not in shared:
            shared[key] = {
                **{i: f"{self._up}objectives/{s}.html" for i, s in paths.objectives.items()},
                **{f"kpi:{i}": f"{self._up}kpis/{s}.html" for i, s in paths.kpis.items()},
            }
        self._hrefs = shared[key]

    def href(self, path: str | None, fragment: str = "") -> str | None:
        """A link to `path` (inside the site) from this page; None when there is no such page."""
        if path is None:
            return None
        anchor = f"#{fragment}" if fragment else ""
        if path == self.page:
            return anchor or "#main"
        folder, _, name = path.rpartition("/")
        if folder == self.folder:
            return name + anchor
        return self._up + path + anchor

    def index_href(self, fragment: str = "") -> str:
        href = self.href(INDEX, fragment)
        assert href is not None
        return href

    def objective_href(self, objective_id: str) -> str | None:
        return self._hrefs.get(objective_id)

    def kpi_href(self, kpi_id: str) -> str | None:
        return self._hrefs.get(f"kpi:{kpi_id}")

    def objective_link(self, objective_id: str) -> Markup:
        """The ID as a link to its page (only escaped text when it has none)."""
        return self._link(self._hrefs.get(objective_id), objective_id)

    def kpi_link(self, kpi_id: str, title: str) -> Markup:
        return self._link(self._hrefs.get(f"kpi:{kpi_id}"), title)

    @staticmethod
    def _link(href: str | None, text: str) -> Markup:
        shown = Markup(_text(text, False))
        return shown if href is None else Markup('<a href="%s">') % href + shown + Markup("</a>")

    def month_href(self, month: date | None) -> str | None:
        return None if month is None else self.href(self.paths.month(month))
