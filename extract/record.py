"""The shared data model of extraction.

Two levels, both frozen dataclasses:

* a format backend (``extract/<format>.py``) turns a file into a :class:`Document`: the
  report's paragraphs and tables in reading order, each with its provenance, with every
  check-box style already mapped to the two canonical marks ``☑`` (checked) and ``☐``
  (empty);
* :func:`certreport.extract.assemble.assemble` turns any :class:`Document` into the one intermediate
  :class:`Record` (fields, check-box groups, team rows, part totals, stated total, score
  rows as raw cell text). Nothing after that knows which format the file had.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from certreport.extract.pages import PageInfo

CHECKED = "☑"
UNCHECKED = "☐"
UNSURE = "⍰"  # a check box (on a scan) whose ink does not tell ticked from empty


@dataclass(frozen=True)
class Where:
    """Provenance: 1-based page (None where the format has no pages), 1-based line or
    block index in the source, and a bounding box (x0, top, x1, bottom) where known."""

    page: int | None = None
    line: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    conf: float | None = None  # lowest OCR confidence (0–1) of the text; None: not OCR

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts) or "unknown position"


@dataclass(frozen=True)
class Text:
    """A piece of text (a cell, a value) with where it came from."""

    text: str
    where: Where = field(default_factory=Where)

    def __bool__(self) -> bool:
        text = self.text  # bool(text.strip()), without making the stripped copy
        return text != "" and not text.isspace()


@dataclass(frozen=True)
class Paragraph:
    """A line or paragraph of running text."""

    text: str
    where: Where = field(default_factory=Where)


@dataclass(frozen=True)
class Table:
    """A physical table (one page's piece of it, for paged formats).

    ``rows`` hold one :class:`Text` per grid column; a cell covered by a merge from
    above or from the left holds the merged cell's text again only if the backend
    knows it, otherwise an empty Text. ``header_rows`` is how many leading rows the
    source marks as a header (0 when the format does not say).
    """

    rows: tuple[tuple[Text, ...], ...]
    where: Where = field(default_factory=Where)
    header_rows: int = 0


Block = Union[Paragraph, Table]


@dataclass(frozen=True)
class Document:
    """What a format backend yields: blocks in reading order plus what it noticed."""

    source_path: str
    source_format: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    problems: tuple[str, ...] = ()
    # pages that carried no text layer (scans); reported, not read
    image_only_pages: tuple[int, ...] = ()
    # running headers/footers: not report content, but they may name the body
    running_texts: tuple[str, ...] = ()
    # paged formats: per page, text layer or OCR, its quality and OCR confidence
    page_info: tuple["PageInfo", ...] = ()


# ---------------------------------------------------------------- the record


@dataclass(frozen=True)
class FieldValue:
    """A labelled value: ``name`` is the canonical field, ``label`` the words found."""

    name: str
    label: str
    value: Text


@dataclass(frozen=True)
class CheckOption:
    label: str
    checked: bool | None  # None: the option carried no box at all
    where: Where = field(default_factory=Where)


@dataclass(frozen=True)
class CheckGroup:
    """A line of check boxes (审查类型, 审查方式 …); ``marked`` is False when the source
    shows no box at all on the line, or ``ambiguous`` marks that cannot be told to belong
    to one option, or ``unsure`` an OCR'd box whose ink does not tell: in all these cases
    the choice is unknown."""

    name: str
    options: tuple[CheckOption, ...]
    marked: bool
    where: Where = field(default_factory=Where)
    ambiguous: bool = False
    unsure: bool = False  # a scanned box beside its options whose ink does not tell

    @property
    def checked(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.options if o.checked)


@dataclass(frozen=True)
class PartHeading:
    """A part of the score results (售后服务体系 …) with its stated maximum and score."""

    title: Text
    stated_max: Text | None = None
    stated_score: Text | None = None


@dataclass(frozen=True)
class SubsectionHeading:
    """A 序号/标题 cell pair as seen in a score table (e.g. ``5.1.1`` / ``组织架构(4+8分)``)."""

    part: str | None
    number: Text | None
    heading: Text | None


@dataclass(frozen=True)
class ScoreRow:
    """One logical clause row of a score table, cells as raw text.

    ``part`` is the title of the part heading the table sits under (None when none was
    seen); ``subsection``/``heading`` are the 序号/标题 cells in force for this row
    (carried forward from a merged or earlier cell).
    """

    part: str | None
    subsection: Text | None
    heading: Text | None
    content: Text
    weight: Text | None = None
    code: Text | None = None
    pct: Text | None = None
    score: Text | None = None
    pct_header: str = ""
    where: Where = field(default_factory=Where)
    # "table": read from a recognised score table; "layout": found by its clause number
    # in the page layout (certreport.extract.catalogue_rows) where no table was read
    read_by: str = "table"


@dataclass(frozen=True)
class TeamRow:
    """A member of the audit team: role name -> cell (member_code, name, role, …)."""

    cells: tuple[tuple[str, Text], ...]

    def get(self, key: str) -> str | None:
        for k, v in self.cells:
            if k == key:
                return v.text.strip() or None
        return None


@dataclass(frozen=True)
class SpecialItems:
    """The 特别项 part as stated: counts and points of special deductions (特别扣分项) and
    additions (特别加分项), their reasons; ``none`` when the report says there are none of
    that kind (``无特别扣分项``), which reads as 0 items and 0 points."""

    deduction_count: Text | None = None
    deduction_points: Text | None = None
    deduction_none: bool = False
    addition_count: Text | None = None
    addition_points: Text | None = None
    addition_none: bool = False
    reasons: tuple[Text, ...] = ()
    where: Where = field(default_factory=Where)


@dataclass(frozen=True)
class ScoreFigures:
    """The intermediate figures of a final score where a report states them: the raw sum
    of the parts (实际得分合计), the applicable points (涉及项总分值) and the normalised score
    (评分 = 85.5 ÷ 95 × 100 = 90.0) with the operands its formula writes."""

    raw_total: Text | None = None
    applicable_max: Text | None = None
    normalised: Text | None = None
    formula_raw: Text | None = None
    formula_max: Text | None = None


@dataclass(frozen=True)
class Record:
    """The one intermediate record every format reader yields."""

    source_path: str
    source_format: str
    fields: tuple[FieldValue, ...] = ()
    checkboxes: tuple[CheckGroup, ...] = ()
    team: tuple[TeamRow, ...] = ()
    parts: tuple[PartHeading, ...] = ()
    rows: tuple[ScoreRow, ...] = ()
    subsections: tuple[SubsectionHeading, ...] = ()
    stated_total: Text | None = None  # the final score (after normalisation and special items)
    special: SpecialItems | None = None  # None: the report has no 特别项 part that was read
    figures: ScoreFigures = field(default_factory=ScoreFigures)
    levels: tuple[FieldValue, ...] = ()  # every place a level is stated (scope, conclusion …)
    cert_body: Text | None = None
    criteria: str = ""  # the text that names the scheme (依据 / 审查准则 lines)
    pages: int | None = None
    problems: tuple[str, ...] = ()
    image_only_pages: tuple[int, ...] = ()
    # what the catalogue-guided layout reader noticed: clauses it added to the table
    # path's rows, and clauses both read with different values
    layout_added: tuple[str, ...] = ()
    layout_disagreements: tuple[str, ...] = ()
    page_info: tuple["PageInfo", ...] = ()

    def page_source(self, page: int | None) -> str | None:
        """``text`` or ``ocr``: where the text of ``page`` came from (None when unknown;
        formats without pages are all text)."""
        if not self.page_info:
            return "text"
        for p in self.page_info:
            if p.page == page:
                return p.source
        return None

    def field(self, name: str) -> FieldValue | None:
        """The first value found for a canonical field name."""
        for f in self.fields:
            if f.name == name:
                return f
        return None
