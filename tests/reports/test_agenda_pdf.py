"""The agenda as a PDF: content, escaping, page furniture, awkward text, size."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from pypdf import PdfReader

from actions.reports import agenda_pdf
from actions.reports.agenda_pdf import drawable_text, render_agenda_pdf
from actions.reports.model import AgreedAction, SupervisionQuestion, VisitPoint
from tests.reports.builders import (
    HOSTILE_NOTE,
    flat,
    make_agenda,
    make_case,
    make_concern,
    pdf_text,
)

ROOT = Path(__file__).resolve().parents[2]


def test_pdf_is_a_pdf():
    data = render_agenda_pdf(make_agenda())
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 5_000
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3  # summary, then a page per case


def test_pdf_carries_the_agenda_content():
    text = flat(pdf_text(render_agenda_pdf(make_agenda())))
    for expected in (
        "Alex Morgan",
        "Sam Patel",
        "28 Oct 2024 to 29 Nov 2024",
        "C-1042",
        "C-2077",
        "Home conditions noted on two visits",
        "Worker felt unsafe on the doorstep",
        "\u201cthe fridge was empty again\u201d",
        "Heating off at both visits (12 Nov, 26 Nov)",
        "What is it like to be this child at home right now?",
        "How are you feeling about going back to this family?",
        "Worker wants a joint visit.",
        "Arrange a joint visit with the team manager",
        "3 Dec 2024",
        "No date set",
        "Urgent: talk about first",
        "Suggested portfolio action: Discuss at the next team meeting",
        "I'd like to talk about the court report.",
        "prompts for discussion",
        "Beyond single cases",
        "Questions for the organisation",
        "Is the caseload manageable this month?",
        "Raise caseload with the service manager",
        "10 Dec 2024",
        "Questions for the team around the child",
        "Has each part of the team around the child shared what it knows?",
    ):
        assert flat(expected) in text, expected


def test_every_page_is_marked_confidential_and_numbered():
    reader = PdfReader(io.BytesIO(render_agenda_pdf(make_agenda())))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "CONFIDENTIAL" in text
        assert f"Page {number} of {total}" in text


def test_worker_note_with_markup_prints_as_text():
    text = flat(pdf_text(render_agenda_pdf(make_agenda())))
    assert flat(HOSTILE_NOTE) in text
    assert "<script>alert(1)</script>" in text
    assert "<b>x</b>" in text


def test_markup_in_every_user_field_prints_as_text():
    hostile = "<script>alert(1)</script><b>x</b>&amp;<font size=40>"
    case = make_case(
        hostile,
        concerns=(
            make_concern(
                title=hostile, plain=hostile, evidence=(hostile,), guidance=hostile, status=hostile
            ),
        ),
        visits=(VisitPoint(hostile, 1, 1),),
        actions=(AgreedAction(hostile, hostile, None, status=hostile),),
        reckoner_action=hostile,
    )
    agenda = make_agenda(
        supervisee=hostile,
        supervisor=hostile,
        cases=(case,),
        shared_notes=(hostile,),
        questions=(SupervisionQuestion(1, hostile, (hostile,), hostile, set_id=hostile),),
        actions=(AgreedAction(hostile, hostile, None, status=hostile),),
    )
    text = flat(pdf_text(render_agenda_pdf(agenda)))
    assert text.count(flat(hostile)) >= 12


def test_empty_agenda_renders():
    agenda = make_agenda(
        cases=(),
        worker_asked_about_impact=False,
        shared_notes=(),
        period_start=None,
        questions=(),
        actions=(),
    )
    data = render_agenda_pdf(agenda)
    text = pdf_text(data)
    assert data.startswith(b"%PDF")
    assert "No cases to discuss for this period" in text
    assert "Page 1 of 1" in text


def test_case_empty_states_render():
    quiet = make_case(
        "Q-1", concerns=(), questions=(), actions=(), visits=(VisitPoint("5 Nov", 0, 0),)
    )
    unvisited = make_case("Q-2", visits=())
    text = flat(pdf_text(render_agenda_pdf(make_agenda(cases=(quiet, unvisited)))))
    for expected in (
        "Only one visit so far",
        "No visits are recorded for this case yet",
        "No concerns were noticed for this case",
        "No questions are set for this case",
        "No actions agreed yet for this case",
    ):
        assert flat(expected) in text, expected


def test_other_scripts_emoji_and_control_characters_do_not_crash():
    odd = (
        "Zo\u00eb \u0141uk\u0105szewska \u041f\u0440\u0438\u0432\u0435\u0442 "
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u4e2d\u6587 "
        "\u0939\u093f\u0928\u094d\u0926\u0940 "
        "\U0001f600\U0001f469\u200d\U0001f467 e\u0301 \x00\x07\x1b\ud800 \ufffe tab\there\r\nline"
    )
    case = make_case(
        odd, concerns=(make_concern(title=odd, worker_note=odd),), visits=(VisitPoint(odd, 2, 3),)
    )
    data = render_agenda_pdf(make_agenda(supervisee=odd, cases=(case,), shared_notes=(odd,)))
    text = pdf_text(data)
    assert "Zo\u00eb" in text
    if agenda_pdf.ensure_fonts() == "DejaVu Sans":  # Vera has no Cyrillic: "?" instead
        assert "\u041f\u0440\u0438\u0432\u0435\u0442" in text


def test_drawable_text_keeps_only_what_the_font_can_draw():
    agenda_pdf.ensure_fonts()
    out = drawable_text("ok \u4e2d \x00 \ud800 a\r\nb\tc")
    assert out.startswith("ok ")
    assert "\u4e2d" not in out and "\x00" not in out and "\ud800" not in out
    assert "a\nb c" in out
    assert all(ch == "\n" or ord(ch) in agenda_pdf._drawable for ch in out)


def test_falls_back_to_the_font_shipped_with_reportlab():
    # A fresh interpreter, so the font registry starts empty; no system DejaVu is looked for.
    script = textwrap.dedent(
        """
        import io
        from pypdf import PdfReader
        from actions.reports import agenda_pdf
        from tests.reports.builders import make_agenda, make_case, make_concern
        agenda_pdf._DEJAVU_DIRS = ()
        odd = "Zo\\u00eb \\u041f\\u0440\\u0438 \\u4e2d \\U0001f600 <b>x</b>"
        case = make_case(odd, concerns=(make_concern(worker_note=odd),))
        data = agenda_pdf.render_agenda_pdf(make_agenda(supervisee=odd, cases=(case,)))
        assert agenda_pdf.ensure_fonts() == "Bitstream Vera"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "<b>x</b>" in text and "Zo\\u00eb" in text, text
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_very_long_text_splits_across_pages():
    essay = " ".join(f"word{i}" for i in range(3000))
    lines = "line\n" * 400
    unbroken = "x" * 3000
    concern = make_concern(worker_note=essay, evidence=(unbroken,))
    tall = make_concern(title="Many short lines", worker_note=lines)
    case = make_case(concerns=(concern, tall), actions=(AgreedAction(essay, "Sam Patel", None),))
    data = render_agenda_pdf(make_agenda(supervisee=unbroken, cases=(case,)))
    text = flat(pdf_text(data))
    assert "word2999" in text and "Manyshortlines" in text
    assert len(PdfReader(io.BytesIO(data)).pages) > 4


def test_many_visits_chart_renders():
    visits = tuple(VisitPoint(f"{d} November 2024", d % 5, (d * 3) % 11) for d in range(1, 41))
    data = render_agenda_pdf(make_agenda(cases=(make_case(visits=visits),)))
    assert flat("40 visits.") in flat(pdf_text(data))


def test_fifty_cases_render_in_reasonable_time():
    visits = tuple(VisitPoint(f"{d} Nov", d % 4, d % 7) for d in range(1, 13))
    cases = tuple(make_case(f"C-{i:04d}", visits=visits) for i in range(50))
    started = time.perf_counter()
    data = render_agenda_pdf(make_agenda(cases=cases))
    assert time.perf_counter() - started < 30  # about 4 s on a quiet laptop
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 51  # the summary, then at least a page per case
    assert "C-0049" in pages[0].extract_text() + pages[1].extract_text()
    assert "Case C-0049" in "".join(p.extract_text() for p in pages[-3:])
