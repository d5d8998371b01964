"""The supervision agenda as a PDF (reportlab Platypus), the same content as the HTML page.

All user text goes through `_para_text` before it reaches a `Paragraph`: it is cleaned of
characters a PDF cannot carry, reduced to what the font can draw, and escaped for
reportlab's Paragraph mini-markup, so a worker's note holding `<b>x</b>` prints as text.
Text drawn outside Paragraphs (chart labels, the footer) is not markup and is only cleaned.

Fonts: reportlab's built-in PDF fonts only cover Latin-1-ish text, so a TrueType font is
embedded instead: DejaVu Sans when the system has it (Latin, Greek, Cyrillic, Arabic and
Hebrew letters, many symbols), otherwise Bitstream Vera, which ships inside reportlab. A
character the chosen font has no glyph for (CJK, most emoji, Indic scripts ...) is replaced
by U+FFFD (or "?" when the font lacks that too) rather than drawn as an invisible gap or
risking an error. No shaping or bidi reordering is done: Arabic and Hebrew come out as
unjoined letters, left to right. The HTML page has none of these limits.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from actions.reports.agenda_html import (
    CONFIDENTIAL,
    CONFIDENTIAL_NOTICE,
    PROMPT_NOT_VERDICT,
    due_text,
    format_date,
    format_datetime,
    open_for,
    period_text,
    question_groups,
    reckoner_text,
    single_visit_note,
    status_label,
)
from actions.reports.charts import REPLACEMENT, chart_description, clean_text, shorten, value_scale
from actions.reports.model import (
    Agenda,
    AgendaCase,
    AgendaConcern,
    AgreedAction,
    SupervisionQuestion,
)

# -- fonts -------------------------------------------------------------------------------

FONT = "AgendaSans"
FONT_BOLD = "AgendaSans-Bold"
FONT_ITALIC = "AgendaSans-Italic"
FONT_BOLD_ITALIC = "AgendaSans-BoldItalic"

_DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)
_DEJAVU = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
)
_VERA_DIR = Path(reportlab.__file__).parent / "fonts"
_VERA = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf")

_font_lock = threading.Lock()
_font_source: str | None = None
_drawable: frozenset[int] = frozenset()
_substitute = "?"


def _font_files() -> tuple[str, list[Path]]:
    for folder in _DEJAVU_DIRS:
        files = [folder / name for name in _DEJAVU]
        if all(f.is_file() for f in files):
            return "DejaVu Sans", files
    return "Bitstream Vera", [_VERA_DIR / name for name in _VERA]


def ensure_fonts() -> str:
    """Register the agenda's font family once; return which font it is."""
    global _font_source, _drawable, _substitute
    with _font_lock:
        if _font_source is None:
            source, files = _font_files()
            for name, path in zip(
                (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC), files, strict=True
            ):
                pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
            )
            # The glyphs every face of the family can draw, so bold and italic text is safe too.
            faces = [
                pdfmetrics.getFont(n).face for n in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC)
            ]
            _drawable = frozenset.intersection(*(frozenset(f.charToGlyph) for f in faces))
            _substitute = REPLACEMENT if ord(REPLACEMENT) in _drawable else "?"
            _font_source = source
        return _font_source


def drawable_text(text: str) -> str:
    """`text` with line breaks normalised and every character the font cannot draw replaced."""
    ensure_fonts()
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch if ch == "\n" or ord(ch) in _drawable else _substitute for ch in text)


def _para_text(text: str) -> str:
    """User text made safe for a Paragraph: drawable, escaped, with its line breaks kept."""
    return escape(drawable_text(text)).replace("\n", "<br/>")


# -- styles ------------------------------------------------------------------------------

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#c8c8c8")
SOFT = colors.HexColor("#f1f1f1")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", base, fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2", base, fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=8, spaceAfter=4
        ),
        "h3": ParagraphStyle(
            "h3", base, fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=3
        ),
        "h4": ParagraphStyle(
            "h4", base, fontName=FONT_BOLD, fontSize=10, leading=13.5, spaceAfter=2
        ),
        "muted": ParagraphStyle("muted", base, textColor=MUTED),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=MUTED),
        "label": ParagraphStyle(
            "label",
            base,
            fontName=FONT_BOLD,
            fontSize=8.5,
            leading=11,
            textColor=MUTED,
            spaceBefore=3,
        ),
        "bullet": ParagraphStyle(
            "bullet", base, fontName=FONT_ITALIC, leftIndent=12, bulletIndent=2
        ),
        "note": ParagraphStyle("note", base, leftIndent=8),
        "question": ParagraphStyle("question", base, leftIndent=18, bulletIndent=0, spaceBefore=4),
        "q_bullet": ParagraphStyle(
            "q_bullet",
            base,
            fontName=FONT_ITALIC,
            fontSize=8.5,
            leading=11,
            textColor=MUTED,
            leftIndent=30,
            bulletIndent=20,
        ),
        "q_note": ParagraphStyle("q_note", base, leftIndent=18),
        "q_label": ParagraphStyle(
            "q_label",
            base,
            fontName=FONT_BOLD,
            fontSize=8,
            leading=10.5,
            textColor=MUTED,
            leftIndent=18,
            spaceBefore=2,
        ),
        "set_heading": ParagraphStyle(
            "set_heading",
            base,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            textColor=MUTED,
            spaceBefore=6,
            spaceAfter=1,
        ),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "cell_head": ParagraphStyle(
            "cell_head", base, fontName=FONT_BOLD, fontSize=8.5, leading=11
        ),
        "cell_num": ParagraphStyle("cell_num", base, fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "cell_head_num": ParagraphStyle(
            "cell_head_num", base, fontName=FONT_BOLD, fontSize=8.5, leading=11, alignment=TA_RIGHT
        ),
    }


# -- page furniture ----------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Draws the confidential footer with "Page n of N" once the page count is known."""

    def __init__(self, *args, footer_left: str = CONFIDENTIAL, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []
        self._footer_left = footer_left

    def showPage(self):  # reportlab's method name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(18 * mm, 13 * mm, width - 18 * mm, 13 * mm)
        self.setFillColor(INK)
        self.setFont(FONT_BOLD, 8)
        label = CONFIDENTIAL.upper()
        self.drawString(18 * mm, 9 * mm, label)
        self.setFont(FONT, 8)
        gap = pdfmetrics.stringWidth(label + "  ", FONT_BOLD, 8)
        self.drawString(18 * mm + gap, 9 * mm, self._footer_left)
        self.drawRightString(width - 18 * mm, 9 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


# -- the chart ---------------------------------------------------------------------------

_CHART_W, _CHART_H = 440, 190


def _chart(case: AgendaCase) -> Drawing:
    visits = case.visits
    scale = value_scale(visits)
    d = Drawing(_CHART_W, _CHART_H)
    n = len(visits)
    rotate = n > 8
    bc = VerticalBarChart()
    bc.x, bc.y = 44, 58 if rotate else 40
    bc.width, bc.height = _CHART_W - bc.x - 8, _CHART_H - bc.y - 30
    bc.data = [
        [max(v.concerns, 0) for v in visits],
        [max(v.reckoner_ticks, 0) for v in visits],
    ]
    every = max(1, -(-n // 24))
    limit = 10 if rotate else max(4, int(bc.width / n / 6))
    bc.categoryAxis.categoryNames = [
        shorten(drawable_text(v.label), limit) if i % every == 0 else ""
        for i, v in enumerate(visits)
    ]
    labels = bc.categoryAxis.labels
    labels.fontName, labels.fontSize = FONT, 8
    if rotate:
        labels.angle, labels.boxAnchor, labels.dx, labels.dy = 35, "ne", 4, -4
    else:
        labels.boxAnchor, labels.dy = "n", -4
    bc.valueAxis.valueMin, bc.valueAxis.valueMax, bc.valueAxis.valueStep = 0, scale.top, scale.step
    bc.valueAxis.labels.fontName, bc.valueAxis.labels.fontSize = FONT, 8
    bc.valueAxis.labelTextFormat = "%d"
    bc.valueAxis.visibleGrid = True
    bc.valueAxis.gridStrokeColor = RULE
    bc.valueAxis.gridStrokeWidth = 0.5
    bc.categoryAxis.strokeColor = INK
    bc.groupSpacing, bc.barSpacing = 6, 1
    bc.bars.strokeColor = colors.HexColor("#333333")
    bc.bars.strokeWidth = 0.8
    bc.bars[0].fillColor = colors.HexColor("#333333")
    bc.bars[1].fillColor = colors.white
    if n <= 16:
        bc.barLabelFormat = "%d"
        bc.barLabels.fontName, bc.barLabels.fontSize = FONT, 7.5
        bc.barLabels.nudge = 6
    d.add(bc)

    legend = Legend()
    legend.x, legend.y = bc.x, _CHART_H - 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 150
    legend.fontName, legend.fontSize = FONT, 8.5
    legend.boxAnchor = "nw"
    legend.strokeColor = colors.HexColor("#333333")
    legend.strokeWidth = 0.8
    legend.colorNamePairs = [
        (colors.HexColor("#333333"), "Concerns"),
        (colors.white, "Ready-reckoner ticks"),
    ]
    d.add(legend)

    y_title = Group(
        String(0, 0, "Count", fontName=FONT, fontSize=8.5, fillColor=INK, textAnchor="middle")
    )
    y_title.transform = (0, 1, -1, 0, 12, bc.y + bc.height / 2)
    d.add(y_title)
    d.add(
        String(
            bc.x + bc.width / 2,
            4,
            "Visit",
            fontName=FONT,
            fontSize=8.5,
            fillColor=INK,
            textAnchor="middle",
        )
    )
    return d


# -- the document ------------------------------------------------------------------------

# Characters of user text above which a concern or an action is not set inside a table cell.
_BOX_LIMIT = 4000


def _weight(*texts: str) -> int:
    """Roughly how much room text takes, in characters (a line break counts as a line)."""
    return sum(len(t) + 80 * t.count("\n") for t in texts)


def _p(text: str, style: ParagraphStyle, **kwargs) -> Paragraph:
    """A Paragraph of user (or mixed) text: everything escaped."""
    return Paragraph(_para_text(text), style, **kwargs)


def _labelled(label: str, text: str, style: ParagraphStyle) -> Paragraph:
    # `label` is our own fixed wording; only `text` comes from a user and is escaped.
    return Paragraph(f"<b>{escape(label)}</b> {_para_text(text)}", style)


def _table(rows: list[list], col_widths: list[float]) -> Table:
    """A plain table whose first row is a header repeated on each page it runs onto."""
    table = Table(rows, colWidths=col_widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
    ]
    table.setStyle(TableStyle(style))
    return table


def _confidential_box(s: dict[str, ParagraphStyle], width: float) -> Table:
    box = Table(
        [
            [
                Paragraph(
                    f"<b>{escape(CONFIDENTIAL.upper())}</b>  {escape(CONFIDENTIAL_NOTICE)}",
                    s["body"],
                )
            ]
        ],
        colWidths=[width],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def _header(agenda: Agenda, s: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    rows = [
        [Paragraph("<b>Supervisee</b>", s["muted"]), _p(agenda.supervisee, s["body"])],
        [Paragraph("<b>Supervisor</b>", s["muted"]), _p(agenda.supervisor, s["body"])],
        [Paragraph("<b>Period</b>", s["muted"]), _p(period_text(agenda), s["body"])],
        [
            Paragraph("<b>Prepared</b>", s["muted"]),
            _p(format_datetime(agenda.generated_at), s["body"]),
        ],
    ]
    meta = Table(rows, colWidths=[28 * mm, width - 28 * mm], splitInRow=1, hAlign="LEFT")
    meta.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    flow: list[Flowable] = [
        _confidential_box(s, width),
        Spacer(1, 10),
        Paragraph("Supervision agenda", s["title"]),
        meta,
        Spacer(1, 6),
        Paragraph(escape(PROMPT_NOT_VERDICT), s["muted"]),
    ]
    if agenda.worker_asked_about_impact:
        callout = Table(
            [
                [
                    [
                        Paragraph("Time for the worker", s["h4"]),
                        Paragraph(
                            f"{_para_text(agenda.supervisee)} has asked to talk about how the work "
                            "is affecting them. You may want to make time for this early in the "
                            "session.",
                            s["body"],
                        ),
                    ]
                ]
            ],
            colWidths=[width],
            splitInRow=1,
        )
        callout.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), SOFT),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, INK),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        flow += [Spacer(1, 8), callout]
    if agenda.shared_notes:
        flow.append(Paragraph("Notes the worker shared for this session", s["h3"]))
        flow += [_p(note, s["note"], bulletText="•") for note in agenda.shared_notes]
    return flow


def _summary(agenda: Agenda, s: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    flow: list[Flowable] = [Paragraph("Cases at a glance", s["h2"])]
    if not agenda.cases:
        flow.append(
            Paragraph(
                "<i>No cases to discuss for this period. The session is free for whatever the "
                "worker would like to bring.</i>",
                s["muted"],
            )
        )
        return flow
    heads = ["Debriefs", "Concerns", "Urgent", "Ready-reckoner ticks", "Actions"]
    rows: list[list] = [
        [Paragraph("Case", s["cell_head"])] + [Paragraph(h, s["cell_head_num"]) for h in heads]
    ]
    for case in agenda.cases:
        numbers = [
            case.debrief_count,
            len(case.concerns),
            sum(1 for c in case.concerns if c.urgent),
            case.reckoner_total,
            len(case.actions),
        ]
        rows.append(
            [_p(case.reference, s["cell"])] + [Paragraph(str(x), s["cell_num"]) for x in numbers]
        )
    num_w = [20 * mm, 21 * mm, 17 * mm, 32 * mm, 18 * mm]
    flow.append(_table(rows, [width - sum(num_w)] + num_w))
    return flow


def _concern(concern: AgendaConcern, s: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    status = escape(status_label(drawable_text(concern.status)))
    tags = f'  <font size="8" color="#555555">[{status}]</font>'
    if concern.urgent:
        tags = "  <b>[Urgent: talk about first]</b>" + tags
    parts: list[Flowable] = [
        Paragraph(f"{_para_text(concern.title)}{tags}", s["h4"]),
        _p(concern.plain, s["body"]),
        _p(
            f"Raised {format_date(concern.raised_on)}, {open_for(concern)}. Code {concern.code}.",
            s["small"],
        ),
    ]
    if concern.evidence:
        parts.append(Paragraph("What was noticed", s["label"]))
        parts += [_p(e, s["bullet"], bulletText="•") for e in concern.evidence]
    else:
        parts.append(Paragraph("<i>No evidence is recorded with this concern.</i>", s["muted"]))
    if concern.guidance:
        parts.append(_labelled("Guidance:", concern.guidance, s["body"]))
    if concern.worker_note:
        parts.append(_labelled("Worker's note:", concern.worker_note, s["note"]))
    texts = (
        concern.title,
        concern.plain,
        concern.guidance,
        concern.worker_note or "",
        *concern.evidence,
    )
    if _weight(*texts) > _BOX_LIMIT:
        # Too long for a box: splitting a table cell over pages costs time quadratic in its
        # length, so a very long concern is set as plain paragraphs under a rule instead.
        rule = HRFlowable(
            width="100%", thickness=1.6 if concern.urgent else 0.6, color=INK, spaceAfter=4
        )
        return [rule, *parts]
    box = Table([[parts]], colWidths=[width], splitInRow=1, hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                (
                    "BOX",
                    (0, 0),
                    (-1, -1),
                    1.6 if concern.urgent else 0.6,
                    INK if concern.urgent else RULE,
                ),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [box]


def _question(q: SupervisionQuestion, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    flow: list[Flowable] = [_p(q.text, s["question"], bulletText=f"{q.number}.")]
    if q.evidence:
        flow.append(Paragraph("What bears on this", s["q_label"]))
        flow += [_p(e, s["q_bullet"], bulletText="–") for e in q.evidence]
    if q.note:
        flow.append(_labelled("Supervisor's note:", q.note, s["q_note"]))
    return flow


def _questions(
    questions: tuple[SupervisionQuestion, ...], s: dict[str, ParagraphStyle]
) -> list[Flowable]:
    flow: list[Flowable] = []
    for heading, group in question_groups(questions):
        if heading:
            flow.append(Paragraph(escape(heading), s["set_heading"]))
        flow += [KeepTogether(_question(q, s)) for q in group]
    return flow


def _actions(
    actions: tuple[AgreedAction, ...], s: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    if any(_weight(a.text, a.owner) > _BOX_LIMIT for a in actions):
        # As for concerns: very long text is set as paragraphs, not table cells.
        flow: list[Flowable] = []
        for action in actions:
            flow.append(_p(action.text, s["body"], bulletText="•"))
            flow.append(
                _p(
                    f"Owner: {action.owner}. Due: {due_text(action.due)}. "
                    f"{status_label(action.status)}.",
                    s["q_note"],
                )
            )
        return flow
    rows: list[list] = [
        [Paragraph(h, s["cell_head"]) for h in ("Action", "Owner", "Due", "Status")]
    ]
    for action in actions:
        rows.append(
            [
                _p(action.text, s["cell"]),
                _p(action.owner, s["cell"]),
                _p(due_text(action.due), s["cell"]),
                _p(status_label(action.status), s["cell"]),
            ]
        )
    side = [36 * mm, 24 * mm, 24 * mm]
    return [_table(rows, [width - sum(side)] + side)]


def _general(agenda: Agenda, s: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """Questions and actions that are not about one case."""
    if not (agenda.questions or agenda.actions):
        return []
    flow: list[Flowable] = [Paragraph("Beyond single cases", s["h2"])]
    if agenda.questions:
        flow.append(Paragraph("Questions to cover", s["h3"]))
        flow += _questions(agenda.questions, s)
    if agenda.actions:
        flow.append(Paragraph("Agreed actions not tied to a case", s["h3"]))
        flow += _actions(agenda.actions, s, width)
    return flow


def _case(case: AgendaCase, s: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    debriefs = (
        f"{case.debrief_count} debrief{'' if case.debrief_count == 1 else 's'} in this period."
    )
    flow: list[Flowable] = [
        _p(f"Case {case.reference}", s["h2"]),
        _p(f"{debriefs} {reckoner_text(case)}", s["muted"]),
    ]
    if case.visits:
        flow += [Spacer(1, 4), _chart(case)]
    flow.append(_p(single_visit_note(case) or chart_description(case.visits), s["small"]))

    flow.append(Paragraph("Concerns to talk through", s["h3"]))
    if case.concerns:
        for concern in case.concerns:
            flow += [*_concern(concern, s, width), Spacer(1, 5)]
    else:
        flow.append(
            Paragraph("<i>No concerns were noticed for this case in this period.</i>", s["muted"])
        )

    flow.append(Paragraph("Questions to cover", s["h3"]))
    if case.questions:
        flow += _questions(case.questions, s)
    else:
        flow.append(Paragraph("<i>No questions are set for this case.</i>", s["muted"]))

    flow.append(Paragraph("Agreed actions", s["h3"]))
    if case.actions:
        flow += _actions(case.actions, s, width)
    else:
        flow.append(Paragraph("<i>No actions agreed yet for this case.</i>", s["muted"]))

    notes = Table(
        [[Paragraph("Notes from the session", s["small"])]], colWidths=[width], rowHeights=[22 * mm]
    )
    notes.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    flow += [Spacer(1, 8), notes]
    return flow


def _story(agenda: Agenda, width: float) -> Iterable[Flowable]:
    s = _styles()
    yield from _header(agenda, s, width)
    yield from _summary(agenda, s, width)
    yield from _general(agenda, s, width)
    for case in agenda.cases:
        yield PageBreak()
        yield from _case(case, s, width)


# SimpleDocTemplate's frame keeps 6 pt of padding on each side inside the margins.
_FRAME_PADDING = 6


def render_agenda_pdf(agenda: Agenda) -> bytes:
    """The agenda as an A4 PDF, with a confidential footer and page numbers on every page."""
    ensure_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=20 * mm,
        title="Supervision agenda (confidential)",
        author="Reflective supervision assistant",
        subject="Confidential: special-category personal data",
    )
    footer = f"Supervision agenda: {shorten(drawable_text(agenda.supervisee), 60)}"
    doc.build(
        list(_story(agenda, doc.width - 2 * _FRAME_PADDING)),
        canvasmaker=partial(_NumberedCanvas, footer_left=footer),
    )
    return buffer.getvalue()
