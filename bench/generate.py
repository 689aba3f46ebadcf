"""Write a realistic synthetic plan of N objectives (SPEC §2), deterministic for a seed.

    python bench/generate.py N DIR [--seed S]

The shape follows a national repository: areas of about 70 objectives (every fifth area is an
area for improvement), 2-4 themes each, 3-6 dated ratings per objective with notes from one line
to long multi-line Markdown, 2-6 evidence citations, 1-2 KPIs, re-baselines (`due_history`) on
about a third, `supports:` links to improvement areas, evidence files with Markdown bodies, and
KPI files with monthly series and benchmarks. About 4.1 files and 16 KB per objective
(10,000 objectives: about 41,000 files and 160 MB). The plan validates with no errors and no
warnings. Standard library only: YAML is written as text, every free-text string JSON-quoted.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

AREA_SIZE = 70
EVIDENCE_PER_OBJECTIVE = (2, 3, 3, 3, 3, 4)  # evidence items each objective brings (mean 3)
LAST_RATING = date(2025, 6, 30)  # `report --month 2025-06` is the natural report month
REPORT_MONTH = "2025-06"

VOCABULARY = (
    "assessment plan timeliness review partnership health education social care children "
    "young people families parents carers settings schools tribunal annual reviews quality "
    "assurance audit co-production outcomes impact evidence data dashboard commissioning "
    "therapy speech language occupational neurodevelopmental waiting list pathway transition "
    "preparation adulthood inclusion exclusion attendance alternative provision sufficiency "
    "workforce training caseworkers panel decisions statutory timescales backlog recovery "
    "mainstream specialist places capacity funding budget forecast graduated approach "
    "early help identification needs support ordinarily available toolkit feedback survey "
    "complaints mediation escalation governance board delivery group highlight report risk "
    "mitigation milestone dependency recruitment vacancies agency staff locality hubs outreach"
)
WORDS = VOCABULARY.split()
ROLES = (
    "Head of SEND",
    "Director of Children's Services",
    "Designated Clinical Officer",
    "Head of Inclusion",
    "SEND Programme Manager",
    "Assistant Director, Education",
    "Head of Commissioning (ICB)",
    "Principal Educational Psychologist",
    "Head of Early Help",
    "Parent Carer Forum lead",
    "Transitions Lead",
    "Head of Performance and Insight",
)
RATERS = ("PDG", "SEND Improvement Board", "Programme Office", "Theme lead", "DCO")
EVIDENCE_KINDS = ("document", "data", "minutes", "survey", "report", "web", "other")
BENCHMARK_LABELS = ("England", "Statistical neighbours", "Region")
UNITS = (("%", "higher"), ("days", "lower"), ("", "higher"), ("weeks", "lower"), ("%", "lower"))


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def ym(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return month_end(index // 12, index % 12 + 1)


class Text:
    """Plausible plan prose from a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def sentence(self, low: int = 8, high: int = 22) -> str:
        rng = self.rng
        words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%")
        if rng.random() < 0.1:
            money = f"£{rng.randint(1, 999)},{rng.randint(100, 999)}"
            words.insert(rng.randrange(len(words)), money)
        if rng.random() < 0.1:
            month = calendar.month_name[rng.randint(1, 12)]
            words.insert(rng.randrange(len(words)), f"by {month}")
        return " ".join(words).capitalize() + "."

    def paragraph(self, low: int = 2, high: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def title(self) -> str:
        return self.words(4, 9).capitalize()

    def markdown(self, paragraphs: int) -> str:
        """Multi-line Markdown: paragraphs, a bullet list, emphasis and a link or two."""
        rng = self.rng
        blocks = []
        for i in range(paragraphs):
            roll = rng.random()
            if roll < 0.25:
                blocks.append(
                    "\n".join(f"- {self.sentence(5, 14)}" for _ in range(rng.randint(2, 6)))
                )
            elif roll < 0.35:
                blocks.append(
                    f"**{self.words(2, 4).capitalize()}:** {self.paragraph(1, 3)} See "
                    f"[the {self.words(1, 3)} update](https://example.org/send/{i}/"
                    f"{rng.randint(100, 999)})."
                )
            else:
                blocks.append(self.paragraph())
        return "\n\n".join(blocks)

    def note(self) -> str:
        roll = self.rng.random()
        if roll < 0.6:
            return self.sentence(6, 24)
        if roll < 0.9:
            return self.paragraph(2, 5)
        return self.markdown(self.rng.randint(3, 7))


def block(text: str, indent: int) -> str:
    """A YAML literal block (`|-`) holding `text`, indented by `indent` spaces."""
    pad = " " * indent
    return "|-\n" + "\n".join(pad + line if line else "" for line in text.split("\n"))


def scalar(text: str, indent: int) -> str:
    return block(text, indent) if "\n" in text else q(text)


@dataclass
class AreaPlan:
    number: int
    id: str
    kind: str
    themes: list[str]
    objectives: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)


def _area_sizes(n: int) -> list[int]:
    count = max(2, round(n / AREA_SIZE))
    base, extra = divmod(n, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def _areas(n: int, rng: random.Random) -> list[AreaPlan]:
    sizes = _area_sizes(n)
    areas = []
    for i, size in enumerate(sizes, start=1):
        improvement = i % 5 == 0 or i == len(sizes)  # at least one area for improvement
        area_id = f"AfI{i}" if improvement else f"PAP{i}"
        themes = [f"{area_id}{chr(ord('A') + t)}" for t in range(rng.randint(2, 4))]
        area = AreaPlan(i, area_id, "improvement" if improvement else "priority", themes)
        per_theme: dict[str, int] = {}
        for k in range(size):
            theme = themes[k * len(themes) // size]
            per_theme[theme] = per_theme.get(theme, 0) + 1
            area.objectives.append(f"{theme}:{per_theme[theme]}")
        area.kpis = [f"kpi-{i}-{k}" for k in range(1, max(1, round(size / 7)) + 1)]
        areas.append(area)
    return areas


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _settings(n: int) -> str:
    return (
        f"name: {q(f'National SEND improvement programme ({n:,} objectives, synthetic)')}\n"
        f"partnership: {q('All local area partnerships (benchmark data)')}\n"
        "stale_after_days: 45\n"
        "brag:\n"
        f"  red: {q('Actions delayed and impact not being delivered')}\n"
        f"  amber: {q('Actions on track and expected impact on track')}\n"
        f"  green: {q('Action completed and early evidence of impact')}\n"
        f"  blue: {q('Change is embedded, sustainable and ongoing evidence of impact')}\n"
        "notice: >-\n"
        "  Synthetic plan written by bench/generate.py for benchmarking; every rating,\n"
        "  figure and document in it is made up.\n"
    )


def _area_file(area: AreaPlan, text: Text) -> str:
    lines = [
        f"id: {area.id}",
        f"kind: {area.kind}",
        f"title: {q(text.title())}",
        f"finding: {scalar(text.paragraph(2, 4), 2)}",
        "themes:",
    ]
    for theme in area.themes:
        lines += [
            f"  - id: {theme}",
            f"    title: {q(text.title())}",
            f"    response: {q(text.paragraph(1, 3))}",
            f"    outcomes: {q(text.paragraph(1, 2))}",
            "    success_looks_like:",
            *(f"      - {q(text.sentence())}" for _ in range(text.rng.randint(1, 4))),
        ]
    return "\n".join(lines) + "\n"


def _objective_file(
    obj_id: str,
    area: AreaPlan,
    cited: list[str],
    kpis: list[str],
    supports: list[str],
    text: Text,
) -> str:
    rng = text.rng
    theme = obj_id.split(":")[0]
    lines = [
        f"id: {obj_id}",
        f"theme: {theme}",
        f"title: {q(text.title())}",
        f"commitment: {scalar(text.paragraph(1, 3), 2)}",
        f"owner: {q(rng.choice(ROLES))}",
    ]
    # Ratings: 3-6, strictly increasing dates, the last on or before LAST_RATING.
    count = rng.randint(3, 6)
    day = LAST_RATING - timedelta(days=rng.randint(0, 80))
    dates = []
    for _ in range(count):
        dates.append(day)
        day -= timedelta(days=rng.randint(20, 75))
    dates.reverse()
    start = dates[0]
    ongoing = rng.random() < 0.08
    due = add_months(start, rng.randint(6, 24))
    history = []
    if not ongoing and rng.random() < 0.33:
        original = add_months(start, rng.randint(3, 12))
        moves = rng.randint(1, 3)
        current = original
        on = start + timedelta(days=rng.randint(10, 60))
        for m in range(moves):
            target = add_months(current, rng.randint(1, 6)) if m < moves - 1 else due
            if target == current:
                target = add_months(current, 1)
            history.append((on, current, target, text.sentence(5, 16)))
            current = target
            on += timedelta(days=rng.randint(15, 90))
        due = current
    if ongoing:
        lines.append("ongoing: true")
    else:
        lines.append(f"due: {ym(due)}")
    if history:
        lines.append("due_history:")
        for on, before, after, reason in history:
            lines.append(
                f"  - {{on: {on.isoformat()}, from: {ym(before)}, to: {ym(after)}, "
                f"reason: {q(reason)}}}"
            )
    lines.append("impact:")
    lines += [f"  - {q(text.sentence(6, 18))}" for _ in range(rng.randint(1, 4))]
    lines.append(f"evidence: [{', '.join(cited)}]")
    lines.append(f"kpis: [{', '.join(kpis)}]")
    if supports:
        lines.append(f"supports: [{', '.join(supports)}]")
    brag = rng.choice(("red", "amber", "amber", "green"))
    order = ("red", "amber", "green", "blue")
    ratings = []
    for rating_day in dates:
        step = rng.random()
        index = order.index(brag)
        if step < 0.2 and index > 0:
            brag = order[index - 1]
        elif step > 0.7 and index < 3:
            brag = order[index + 1]
        ratings.append((rating_day, brag))
    if ratings[-1][1] in ("green", "blue") and rng.random() < 0.5:
        lines.append(f"done: {(ratings[-1][0] - timedelta(days=rng.randint(0, 20))).isoformat()}")
    lines.append("ratings:")
    for rating_day, rating_brag in ratings:
        lines += [f"  - date: {rating_day.isoformat()}", f"    brag: {rating_brag}"]
        if rng.random() < 0.5:
            lines.append(f"    by: {q(rng.choice(RATERS))}")
        lines.append(f"    note: {scalar(text.note(), 6)}")
        if rng.random() < 0.4:
            lines.append(f"    evidence: [{', '.join(rng.sample(cited, rng.randint(1, 2)))}]")
    return "\n".join(lines) + "\n"


def _evidence_file(ev_id: str, text: Text) -> str:
    rng = text.rng
    produced = date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))
    lines = [
        "---",
        f"id: {ev_id}",
        f"title: {q(text.title())}",
        f"kind: {rng.choice(EVIDENCE_KINDS)}",
        f"date: {produced.isoformat()}",
        f"owner: {q(rng.choice(ROLES))}",
    ]
    if rng.random() < 0.6:
        lines.append(f"link: https://example.org/send/evidence/{ev_id.lower()}")
    lines.append(f"public: {'false' if rng.random() < 0.15 else 'true'}")
    lines.append("---")
    body = [f"# {text.title()}", "", text.markdown(rng.randint(3, 13))]
    if rng.random() < 0.3:
        body += [
            "",
            "| Measure | Before | After |",
            "| --- | --- | --- |",
            *(
                f"| {text.words(2, 4)} | {rng.randint(1, 99)} | {rng.randint(1, 99)} |"
                for _ in range(rng.randint(2, 8))
            ),
        ]
    return "\n".join(lines) + "\n" + "\n".join(body) + "\n"


def _kpi_file(kpi_id: str, area: AreaPlan, text: Text) -> str:
    rng = text.rng
    unit, better = rng.choice(UNITS)
    points = rng.randint(12, 36)
    first = add_months(LAST_RATING, -(points - 1))
    value = rng.uniform(5, 95)
    lines = [
        f"id: {kpi_id}",
        f"title: {q(text.title())}",
        f"description: {q(text.paragraph(1, 3))}",
        f"owner: {q(rng.choice(ROLES))}",
        f"unit: {q(unit)}",
        f"better: {better}",
        f"target: {{value: {round(value * 1.2, 1)}, by: {ym(add_months(LAST_RATING, 9))}}}",
        "benchmarks:",
    ]
    for label in BENCHMARK_LABELS[: rng.randint(1, 3)]:
        for year in (2023, 2024):
            lines.append(
                f"  - {{label: {label}, period: {year}, value: {round(rng.uniform(5, 95), 1)}, "
                f"source: {q(f'DfE SEN2 statistics {year + 1}')}}}"
            )
    lines.append("data:")
    for p in range(points):
        value = max(0.0, value + rng.uniform(-4, 4))
        point = f"  - {{period: {ym(add_months(first, p))}, value: {round(value, 1)}"
        if rng.random() < 0.2:
            point += f", evidence: [{rng.choice(area.evidence)}]"
        lines.append(point + "}")
    return "\n".join(lines) + "\n"


def generate(n: int, root: Path, seed: int = 1) -> None:
    """Write a plan of `n` objectives into `root` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    text = Text(rng)
    areas = _areas(n, rng)
    improvement = [a.id for a in areas if a.kind == "improvement"]
    _write(root / "sendplan.yaml", _settings(n))
    next_evidence = 1
    for area in areas:
        folder = root / "plan" / area.id
        _write(folder / "area.yaml", _area_file(area, text))
        own: list[list[str]] = []
        for _ in area.objectives:
            k = rng.choice(EVIDENCE_PER_OBJECTIVE)
            own.append([f"E{area.number}-{next_evidence + i}" for i in range(k)])
            next_evidence += k
        area.evidence = [e for items in own for e in items]
        for index, obj_id in enumerate(area.objectives):
            cited = list(own[index])
            for _ in range(rng.randint(0, 2)):  # a few citations of a neighbour's evidence
                other = rng.choice(area.evidence)
                if other not in cited and len(cited) < 6:
                    cited.append(other)
            kpis = rng.sample(area.kpis, min(len(area.kpis), rng.randint(1, 2)))
            supports: list[str] = []
            if area.kind == "priority" and rng.random() < 0.4:
                supports = sorted(rng.sample(improvement, min(len(improvement), rng.randint(1, 2))))
            _write(
                folder / f"{obj_id.replace(':', '-')}.yaml",
                _objective_file(obj_id, area, cited, kpis, supports, text),
            )
        for ev_id in area.evidence:
            _write(root / "evidence" / f"{ev_id}.md", _evidence_file(ev_id, text))
        for kpi_id in area.kpis:
            _write(root / "kpis" / f"{kpi_id}.yaml", _kpi_file(kpi_id, area, text))


def change_files(root: Path, count: int, seed: int = 2) -> list[str]:
    """Edit `count` files the way a month of pull requests would; the plan stays valid.

    Half the edits append a rating to an objective, a quarter add a KPI point, the rest
    reword an evidence body. Returns the changed paths (relative, sorted).
    """
    rng = random.Random(seed)
    text = Text(rng)
    objectives = sorted(p for p in (root / "plan").glob("*/*.yaml") if p.name != "area.yaml")
    kpis = sorted((root / "kpis").glob("*.yaml"))
    evidence = sorted((root / "evidence").glob("*.md"))
    n_obj = min(len(objectives), count // 2)
    n_kpi = min(len(kpis), count // 4)
    n_ev = count - n_obj - n_kpi
    changed = []
    rated = add_months(LAST_RATING, 1) - timedelta(days=5)
    for path in rng.sample(objectives, n_obj):
        body = path.read_text(encoding="utf-8")
        body += (
            f"  - date: {rated.isoformat()}\n    brag: {rng.choice(('amber', 'green', 'red'))}\n"
            f"    by: PDG\n    note: {q(text.sentence())}\n"
        )
        path.write_text(body, encoding="utf-8", newline="\n")
        changed.append(path)
    for path in rng.sample(kpis, n_kpi):
        body = path.read_text(encoding="utf-8")
        body += f"  - {{period: {ym(add_months(LAST_RATING, 1))}, value: {rng.randint(1, 99)}}}\n"
        path.write_text(body, encoding="utf-8", newline="\n")
        changed.append(path)
    for path in rng.sample(evidence, n_ev):
        body = path.read_text(encoding="utf-8")
        path.write_text(body + "\n" + text.paragraph() + "\n", encoding="utf-8", newline="\n")
        changed.append(path)
    return sorted(p.relative_to(root).as_posix() for p in changed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many objectives")
    parser.add_argument("dir", type=Path, help="where to write the plan (emptied first)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.n, args.dir, args.seed)


if __name__ == "__main__":
    main()
