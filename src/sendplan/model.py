"""The plan's file formats (SPEC §2) as pydantic models: data only, no I/O.

Field docstrings become the JSON Schema descriptions editors show (`sendplan schema`).
"""

from __future__ import annotations

import ast
import inspect
import itertools
import math
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, lru_cache
from typing import Annotated, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sendplan.dates import Period, parse_month, parse_period, parse_plan_date
from sendplan.vocabulary import Brag, PlanType, RecommendationStatus, Response

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]

FIGURE_LIMIT = 1e15


def _no_boolean(value: object) -> object:
    """`true` is no figure; and one too large for a float is reported as not finite (before
    the range check, which would say it is too large)."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a figure: write a number")
    if isinstance(value, (int, float, str)):
        try:
            number = float(value)
        except (ValueError, OverflowError) as e:
            if isinstance(e, OverflowError):
                raise ValueError("Input should be a finite number") from None
            return value  # not a number: the schema says so
        if not math.isfinite(number):
            raise ValueError("Input should be a finite number")
    return value


Figure = Annotated[
    float,
    BeforeValidator(_no_boolean),
    Field(allow_inf_nan=False, ge=-FIGURE_LIMIT, le=FIGURE_LIMIT),
]
"""A KPI figure: a number (`true` is YAML's boolean, no figure), finite, and at most 10^15
either side of 0, so expected values and tolerances stay finite (1.7e308 overflowed them;
issue 13)."""


def _to_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD, or YYYY-MM for a month's end")
    return _plan_date(value)


def _to_period(value: object) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a period: use YYYY, YYYY-MM or YYYY-MM-DD")
    return _period(value)


# A plan repeats the same few hundred dates and periods thousands of times; both results are
# immutable, so each text is parsed once (errors are raised again every time: not cached).
_plan_date = lru_cache(maxsize=8192)(parse_plan_date)
_period = lru_cache(maxsize=8192)(parse_period)

PlanDate = Annotated[
    date,
    PlainValidator(_to_date),
    PlainSerializer(date.isoformat, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
            "description": "YYYY-MM-DD, or YYYY-MM meaning the last day of that month",
        }
    ),
]
PeriodValue = Annotated[
    Period,
    PlainValidator(_to_period),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "description": "YYYY, YYYY-MM or YYYY-MM-DD",
        }
    ),
]


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


# One ID may be written without brackets; the JSON Schema says so too (`sendplan schema`).
IdList = Annotated[list[Id], BeforeValidator(_one_or_many, json_schema_input_type=list[Id] | Id)]


class _Model(BaseModel):
    # Field docstrings become JSON Schema descriptions through describe_fields(), called by
    # `sendplan schema`: pydantic's use_attribute_docstrings parses this file's source at
    # import, 9% of the time of `validate` on a small plan (issue 9).
    model_config = ConfigDict(extra="forbid", frozen=True)


class _FileModel(_Model):
    """A model read from one file; `path` is set by the loader, relative to the plan root."""

    _path: str = PrivateAttr(default="")

    @property
    def path(self) -> str:
        return self._path


class BragDefinitions(_Model):
    """What each BRAG rating means, printed as the report's key."""

    red: str = "Actions delayed and impact not being delivered"
    amber: str = "Actions on track and expected impact on track"
    green: str = "Action completed and early evidence of impact"
    blue: str = "Change is embedded, sustainable and ongoing evidence of impact"


class Milestone(_Model):
    """A statutory or agreed date in the plan's timeline (an inspection, a revisit ...)."""

    name: str
    """What happens, e.g. "Monitoring inspection"."""
    due: PlanDate
    """When it is expected (YYYY-MM: by the end of that month)."""
    done: PlanDate | None = None
    """When it happened; a milestone whose date has passed without `done` is flagged."""
    note: str | None = None
    """Where the date comes from (e.g. that it is inferred)."""


class Settings(_FileModel):
    """sendplan.yaml: the plan's settings."""

    name: str
    """The plan's name, shown on every report."""
    partnership: str | None = None
    """The local area partnership that owns the plan."""
    stale_after_days: StrictInt = Field(45, ge=1)
    """A latest rating older than this many days is stale."""
    brag: BragDefinitions = BragDefinitions()
    """The definitions of red, amber, green and blue."""
    notice: str | None = None
    """A banner printed on every report (e.g. that ratings are illustrative)."""
    kpi_tolerance: Annotated[float, BeforeValidator(_no_boolean)] = Field(
        10, ge=0, le=100, allow_inf_nan=False
    )
    """How far, in percent of the expected value, a KPI may fall short of its trajectory and
    still be on track; a KPI's own `tolerance` overrides it."""
    claims_progress: list[Brag] = ["green", "blue"]
    """The ratings that claim progress: one of these beside an off-track or missed KPI is
    flagged `contradicted`. A plan whose amber means "on track" adds amber."""
    type: PlanType | None = None
    """pap (Priority Action Plan), wsoa (Written Statement of Action), app (Accelerated
    Progress Plan) or strategic (a strategic improvement plan)."""
    milestones: list[Milestone] = []
    """The plan's statutory timeline: monitoring inspection, revisit, reinspection ..."""
    response_days: StrictInt = Field(28, ge=1)
    """A recommendation still `response: pending` this many days after it was made is
    flagged unanswered."""
    checks: dict[str, Literal["off", "warning", "error", False]] = {}
    """Severities to change, by code: `off`, `warning` or `error` (`sendplan checks` lists the
    codes; those that protect the plan's integrity cannot be lowered)."""
    personal_data_skip: list[str] = []
    """Folders or files (paths from the plan's folder) that the personal-data scan of files
    other than plan files leaves out, such as a tool's own source and tests kept in the same
    repository. Plan files are always scanned."""
    max_file_bytes: StrictInt = Field(1_000_000, ge=1, le=2_000_000)
    """Plan files larger than this are refused unread. At most 2 MB: the costliest YAML takes
    about 2.5 s and 200 MB to parse per MB."""


class Theme(_Model):
    """A sub-theme of an area; objectives name it in `theme:`."""

    id: Id
    title: str | None = None
    """A short title for the theme."""
    response: str | None = None
    """The partnership's response ("our response")."""
    outcomes: str | None = None
    """The intended outcomes."""
    success_looks_like: list[str] = []
    """What success will look like for children, young people and families."""


class Area(_FileModel):
    """plan/<AREA>/area.yaml: a priority action area or an area for improvement."""

    id: Id
    kind: Literal["priority", "improvement"]
    """`priority` for a priority action area; `improvement` for an area for improvement."""
    title: str
    finding: str | None = None
    """The inspection's finding for this area."""
    themes: list[Theme] = []
    """Sub-themes; an area without themes is one implicit theme."""


class DueChange(_Model):
    """One re-baseline of an objective's deadline."""

    on: PlanDate
    """When the deadline was moved."""
    from_: PlanDate = Field(alias="from")
    """The deadline before the move."""
    to: PlanDate
    """The deadline after the move."""
    reason: str
    """Why it moved."""


class Rating(_Model):
    """One dated BRAG rating; the list is append-only history."""

    date: PlanDate
    brag: Brag
    """red, amber, green or blue (lower case)."""
    note: str = ""
    """What the rating is based on (Markdown)."""
    by: str | None = None
    """Who gave the rating (a person's role or a group)."""
    evidence: IdList = []
    """Evidence IDs behind this rating."""


class Withdrawal(_Model):
    """When and why an objective was withdrawn: it stays in the plan with its history."""

    on: PlanDate
    """From this date the objective leaves the counts and flags."""
    reason: str
    """Why it was withdrawn (e.g. merged into another objective)."""

    @field_validator("reason")
    @classmethod
    def _says_why(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("a withdrawal needs a reason: say why the objective was withdrawn")
        return reason


class Objective(_FileModel):
    """plan/<AREA>/<ID>.yaml: one objective of the plan."""

    id: Id
    theme: Id | None = None
    """The theme within the area; required when the area has more than one theme."""
    title: str
    commitment: str | None = None
    """The objective as written in the plan."""
    owner: str | None = None
    """The accountable role."""
    due: PlanDate | None = None
    """The current deadline."""
    ongoing: StrictBool = False
    """True for an objective without a deadline (instead of `due`)."""
    due_history: list[DueChange] = []
    """Every re-baseline of the deadline, oldest first."""
    impact: list[str] = []
    """What the impact will be."""
    evidence: IdList = []
    """Evidence IDs the objective cites."""
    kpis: IdList = []
    """KPI IDs that measure the objective."""
    supports: IdList = []
    """Areas for improvement (kind: improvement) this objective contributes to."""
    done: PlanDate | None = None
    """The date the objective was completed."""
    ratings: list[Rating] = []
    """Dated BRAG history, oldest first, append-only."""
    withdrawn: Withdrawal | None = None
    """Set instead of deleting the file: the objective keeps its history."""

    _area: str = PrivateAttr(default="")

    @property
    def area(self) -> str:
        """The ID of the area whose folder holds this objective."""
        return self._area

    @model_validator(mode="after")
    def _due_or_ongoing(self) -> Objective:
        if self.due is None and not self.ongoing:
            raise ValueError("needs a deadline: add `due: YYYY-MM` or `ongoing: true`")
        if self.due is not None and self.ongoing:
            raise ValueError("has both `due` and `ongoing: true`; keep one")
        return self


class Evidence(_FileModel):
    """evidence/<ID>.md front matter: one evidence item."""

    id: Id
    title: str
    kind: Literal["document", "data", "minutes", "survey", "report", "web", "other"] = "document"
    """document, data, minutes, survey, report, web or other."""
    date: PlanDate | None = None
    """When the evidence was produced."""
    owner: str | None = None
    link: str | None = None
    """An http(s) address."""
    file: str | None = None
    """A file relative to evidence/; it must stay inside the plan."""
    public: StrictBool = True
    """false = internal: hidden by `report --public`."""

    _body: str = PrivateAttr(default="")

    @property
    def body(self) -> str:
        return self._body

    @field_validator("link")
    @classmethod
    def _http_only(cls, link: str | None) -> str | None:
        if link is not None and not link.lower().startswith(("https://", "http://")):
            raise ValueError("link must be an http:// or https:// address")
        return link


class Target(_Model):
    value: Figure
    by: PlanDate | None = None
    """The date the target should be met by."""


class KpiMilestone(_Model):
    """One interim point of the agreed path to a KPI's target."""

    by: PlanDate
    """The date the value should be reached by."""
    value: Figure


class Benchmark(_Model):
    label: str
    """Who the benchmark is for, e.g. England."""
    period: PeriodValue
    value: Figure
    source: str | None = None
    """The release the figure comes from; never "latest"."""


class DataPoint(_Model):
    period: PeriodValue
    value: Figure
    evidence: IdList = []
    """Evidence IDs the figure comes from."""
    note: str | None = None


class Kpi(_FileModel):
    """kpis/<ID>.yaml: a key performance indicator and its data series."""

    id: Id
    title: str
    description: str | None = None
    owner: str | None = None
    unit: str = ""
    """e.g. "%" or "days"."""
    better: Literal["higher", "lower"] | None = None
    """Whether a higher or a lower value is better."""
    target: Target | None = None
    trajectory: list[KpiMilestone] = []
    """Interim milestones on the way to the target, oldest first."""
    tolerance: Annotated[float, BeforeValidator(_no_boolean)] | None = Field(
        None, ge=0, le=100, allow_inf_nan=False
    )
    """Percent of the expected value the KPI may fall short by and still be on track
    (default: `kpi_tolerance` in sendplan.yaml)."""
    benchmarks: list[Benchmark] = []
    data: list[DataPoint] = []
    """The series, one point per period."""


def _month_text(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}", value):
        raise ValueError(f"{value!r} is not a month: use YYYY-MM")
    parse_month(value)  # a real month (01..12)
    return value


MonthText = Annotated[
    str,
    PlainValidator(_month_text),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}$", "description": "YYYY-MM"}),
]
_Day = date  # `date` is also a field name in the models below
COMMIT_PATTERN = r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$"


class Approval(_FileModel):
    """approvals/<YYYY-MM>.yaml: a board approved that month's report, made from `commit`."""

    month: MonthText
    """The month whose report was approved (YYYY-MM); the file is named after it."""
    board: str
    """The board that approved it."""
    date: PlanDate
    """The day of the meeting."""
    commit: str = Field(json_schema_extra={"pattern": COMMIT_PATTERN})
    """The full hash of the plan commit the approved report came from (git rev-parse HEAD)."""
    by: str | None = None
    """Who signed it off for the board (a role)."""
    note: str | None = None
    """e.g. actions the board set."""

    @field_validator("board")
    @classmethod
    def _named(cls, board: str) -> str:
        if not board.strip():
            raise ValueError("name the board that approved the report")
        return board

    @field_validator("commit")
    @classmethod
    def _full_hash(cls, commit: str) -> str:
        if not re.fullmatch(COMMIT_PATTERN, commit):
            raise ValueError(
                "commit must be a full commit hash: 40 (or 64) lower-case hex digits, "
                "as `git rev-parse HEAD` prints"
            )
        return commit

    @property
    def month_end(self) -> _Day:
        """The as-of date of the approved report: the month's last day."""
        return parse_month(self.month)


class RecommendationUpdate(_Model):
    """One dated progress update of a recommendation; the list is append-only history."""

    date: PlanDate
    status: RecommendationStatus
    """open, in-progress, implemented or closed."""
    note: str = ""
    """What happened (Markdown)."""


class Recommendation(_FileModel):
    """recommendations/<ID>.yaml: what scrutiny or inspectors asked for, and the response."""

    id: Id
    from_: str = Field(alias="from")
    """Who made it, e.g. "Joint Health Overview and Scrutiny Committee"."""
    made: PlanDate
    """When it was made."""
    text: str
    """The recommendation, as a short paraphrase."""
    response: Response
    """accepted, partly-accepted, rejected or pending."""
    response_note: str | None = None
    """The gist of the response, e.g. which part of the plan addresses it."""
    responded: PlanDate | None = None
    """When the response was given; before this date the response counts as pending."""
    owner: str | None = None
    """Who is accountable for delivering it."""
    due: PlanDate | None = None
    """When it should be implemented."""
    objectives: IdList = []
    """The plan objectives that deliver it."""
    updates: list[RecommendationUpdate] = []
    """Dated status updates, oldest first, append-only."""

    @property
    def title(self) -> str:
        """What lists and diffs show as its title: the recommendation's text."""
        return self.text


def _field_docstrings(body: list[ast.stmt]) -> dict[str, str]:
    """`name: type` followed by a string: pydantic's use_attribute_docstrings rule."""
    docs = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


@cache
def describe_fields() -> None:
    """Give every model field its docstring as its description, for the JSON Schema."""
    models = {m.__name__: m for m in _Model.__subclasses__() + _FileModel.__subclasses__()}
    tree = ast.parse(inspect.getsource(sys.modules[__name__]))
    for node in tree.body:  # in order of definition: a model's parts are rebuilt before it
        if not isinstance(node, ast.ClassDef) or node.name not in models:
            continue
        model = models[node.name]
        docs = _field_docstrings(node.body)
        for name, info in model.model_fields.items():
            if info.description is None and name in docs:
                info.description = docs[name]
        model.model_rebuild(force=True)


@dataclass
class Plan:
    """Everything loaded from one plan repository (or one git revision of it)."""

    settings: Settings
    areas: list[Area] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    files: int = 0
    """How many plan files were read."""

    @cached_property
    def area_by_id(self) -> dict[str, Area]:
        return _first_by_id(self.areas)

    @cached_property
    def objective_by_id(self) -> dict[str, Objective]:
        return _first_by_id(self.objectives)

    @cached_property
    def evidence_by_id(self) -> dict[str, Evidence]:
        return _first_by_id(self.evidence)

    def theme_of(self, objective: Objective) -> str | None:
        """The objective's theme, or its area's only theme when it names none."""
        if objective.theme is not None:
            return objective.theme
        area = self.area_by_id.get(objective.area)
        return area.themes[0].id if area is not None and len(area.themes) == 1 else None

    @cached_property
    def kpi_by_id(self) -> dict[str, Kpi]:
        return _first_by_id(self.kpis)

    @cached_property
    def approval_by_month(self) -> dict[str, Approval]:
        """Each approved month's approval (the first file read, if two claim one month)."""
        by_month: dict[str, Approval] = {}
        for approval in self.approvals:
            by_month.setdefault(approval.month, approval)
        return by_month

    @cached_property
    def recommendation_by_id(self) -> dict[str, Recommendation]:
        return _first_by_id(self.recommendations)


_Item = TypeVar("_Item", Area, Objective, Evidence, Kpi, Recommendation)


def _first_by_id(items: list[_Item]) -> dict[str, _Item]:
    by_id: dict[str, _Item] = {}
    for item in items:
        by_id.setdefault(item.id, item)
    return by_id
