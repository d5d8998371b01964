"""Whatever a user types into a note, the HTML stays well-formed and the PDF builds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from actions.reports.agenda_html import render_agenda_html
from actions.reports.agenda_pdf import render_agenda_pdf
from actions.reports.charts import clean_text
from actions.reports.model import SupervisionQuestion, VisitPoint
from tests.reports import htmlcheck
from tests.reports.builders import flat, make_agenda, make_case, make_concern, pdf_text

# Any non-empty text (control characters and lone surrogates too), biased towards markup.
# (An empty note is simply not shown, so it would change the page's tags.)
MARKUPISH = st.sampled_from(
    ["<", ">", "&", '"', "'", "/", "=", "<script>", "</b>", "<!--", "]]>", "&amp;", "&#60;", "\x00"]
)
ANY_TEXT = (
    st.lists(st.one_of(st.text(), MARKUPISH), min_size=1, max_size=8).map("".join).filter(bool)
)


def _agenda(note: str):
    case = make_case(
        concerns=(make_concern(worker_note=note, evidence=(note,)),),
        questions=(SupervisionQuestion(1, "What went well?", evidence=(note,), note=note),),
        visits=(VisitPoint(note or "v", 1, 2), VisitPoint("later", 2, 3)),
    )
    return make_agenda(cases=(case,), shared_notes=(note,))


BASELINE_TAGS = htmlcheck.tags(render_agenda_html(_agenda("plain words")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=ANY_TEXT)
def test_any_note_is_escaped_in_html(note):
    html = render_agenda_html(_agenda(note))
    html.encode("utf-8")
    # No new element appears: the page's tags are exactly those of a page with a plain note.
    assert htmlcheck.tags(html) == BASELINE_TAGS
    assert str(escape(clean_text(note))) in html
    # The charts stay well-formed XML whatever the visit labels hold.
    assert len(htmlcheck.svgs(html)) == 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=ANY_TEXT)
def test_any_note_builds_a_pdf(note):
    data = render_agenda_pdf(_agenda(note))
    assert data.startswith(b"%PDF")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=st.text(alphabet="ab <>&/=\"'", min_size=1, max_size=60).filter(str.strip))
def test_markup_characters_print_literally_in_pdf(note):
    agenda = make_agenda(cases=(make_case(concerns=(make_concern(worker_note=note),)),))
    assert flat(note) in flat(pdf_text(render_agenda_pdf(agenda)))
