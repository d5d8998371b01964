"""The agenda as a printable HTML page: content, escaping, charts, empty states."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import date

from actions.reports.agenda_html import render_agenda_html
from actions.reports.model import AgreedAction, SupervisionQuestion, VisitPoint
from tests.reports import htmlcheck
from tests.reports.builders import HOSTILE_NOTE, make_agenda, make_case, make_concern

HOSTILE = "<script>alert(1)</script><b>x</b>"


def test_page_carries_the_agenda_content():
    html = render_agenda_html(make_agenda())
    page = htmlcheck.text(html)
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
        "Consider the neglect ready reckoner",
        "What is it like to be this child at home right now?",
        "How are you feeling about going back to this family?",
        "Worker wants a joint visit.",
        "Arrange a joint visit with the team manager",
        "3 Dec 2024",
        "No date set",
        "Update the chronology",
        "For supervision",
        "Urgent: talk about first",
        "Ready reckoner: 5 ticks. Suggested portfolio action: Discuss at the next team meeting",
        "I'd like to talk about the court report.",
        "has asked to talk about how the work is affecting them",
        "Beyond single cases",
        "Questions for the organisation",
        "Is the caseload manageable this month?",
        "Agreed actions not tied to a case",
        "Raise caseload with the service manager",
        "10 Dec 2024",
    ):
        assert expected in page, expected


def test_questions_are_grouped_by_set_with_their_own_numbers():
    html = render_agenda_html(make_agenda())
    page = htmlcheck.text(html)
    # The case has supervision and team-around-the-child questions: both sets get a heading.
    assert page.index("Supervision questions") < page.index("How are you feeling about going")
    assert page.index("How are you feeling about going") < page.index(
        "Questions for the team around the child"
    )
    # Only supervision questions: no set heading.
    plain = make_case(questions=make_case().questions[:2])
    only = htmlcheck.text(render_agenda_html(make_agenda(cases=(plain,), questions=())))
    assert "Supervision questions" not in only
    assert "Questions for the team around the child" not in only


def test_no_general_section_without_general_questions_or_actions():
    page = htmlcheck.text(render_agenda_html(make_agenda(questions=(), actions=())))
    assert "Beyond single cases" not in page


def test_page_is_marked_confidential_and_calm():
    html = render_agenda_html(make_agenda())
    page = htmlcheck.text(html)
    assert "<title>Confidential" in html
    assert "Confidential" in page and "special-category personal data" in page
    assert "prompts for discussion" in page and "not findings" in page


def test_page_is_self_contained_and_printable():
    html = render_agenda_html(make_agenda())
    assert html.startswith("<!DOCTYPE html>")
    assert "script" not in htmlcheck.tags(html)
    lowered = html.lower()
    for external in ("src=", "<link", "@import", "url(", 'href="http', "href='http"):
        assert external not in lowered, external
    assert "@media print" in html and "@page" in html
    # Only in-page links.
    hrefs = [v for k, v in htmlcheck.read(html).attrs if k == "href"]
    assert hrefs and all(h.startswith("#") for h in hrefs)


def test_worker_note_with_markup_prints_as_text():
    html = render_agenda_html(make_agenda())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert HOSTILE_NOTE in htmlcheck.text(html)
    assert "script" not in htmlcheck.tags(html)


def test_markup_in_every_user_field_stays_text():
    case = make_case(
        HOSTILE,
        concerns=(
            make_concern(
                code=HOSTILE,
                title=HOSTILE,
                plain=HOSTILE,
                evidence=(HOSTILE,),
                guidance=HOSTILE,
                status=HOSTILE,
                worker_note=HOSTILE,
            ),
        ),
        visits=(VisitPoint(HOSTILE, 1, 2), VisitPoint('"><b>x', 2, 1)),
        reckoner_action=HOSTILE,
    )
    hostile = make_agenda(
        supervisee=HOSTILE,
        supervisor=HOSTILE,
        cases=(case,),
        shared_notes=(HOSTILE,),
        questions=(SupervisionQuestion(1, HOSTILE, (HOSTILE,), HOSTILE, set_id=HOSTILE),),
        actions=(AgreedAction(HOSTILE, HOSTILE, None, status=HOSTILE),),
    )
    benign = make_agenda(
        supervisee="A", supervisor="B", cases=(make_case("R", visits=case.visits[:1] * 2),)
    )
    html = render_agenda_html(hostile)
    assert "<script" not in html
    assert (
        Counter(htmlcheck.tags(html))["b"]
        == Counter(htmlcheck.tags(render_agenda_html(benign)))["b"]
    )
    for svg in htmlcheck.svgs(html):
        assert svg.find(f"{htmlcheck.SVG_NS}title") is not None


def test_each_case_has_an_accessible_well_formed_chart():
    html = render_agenda_html(make_agenda())
    charts = htmlcheck.svgs(html)
    assert len(charts) == 2
    ids = [v for k, v in htmlcheck.read(html).attrs if k == "id"]
    assert len(ids) == len(set(ids)), "ids must be unique on the page"
    for svg in charts:
        assert svg.get("role") == "img"
        title = svg.find(f"{htmlcheck.SVG_NS}title")
        desc = svg.find(f"{htmlcheck.SVG_NS}desc")
        assert title is not None and "Concerns and ready-reckoner ticks" in title.text
        assert desc is not None and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        words = " ".join(t.text or "" for t in svg.iter(f"{htmlcheck.SVG_NS}text"))
        assert "Visit" in words and "Count" in words
        assert "Concerns" in words and "Ready-reckoner ticks" in words
    desc = charts[0].find(f"{htmlcheck.SVG_NS}desc").text
    assert (
        "3 visits" in desc and "26 Nov" in desc and "3 concerns and 5 ready-reckoner ticks" in desc
    )


def test_chart_numbers_are_also_a_table_for_screen_readers():
    html = render_agenda_html(make_agenda())
    hidden = re.search(r'<div class="visually-hidden">\s*<table>(.*?)</table>', html, flags=re.S)
    assert hidden
    cells = [c.strip() for c in htmlcheck.read(hidden.group(1)).text if c.strip()]
    assert cells[-9:] == ["29 Oct", "1", "2", "12 Nov", "2", "4", "26 Nov", "3", "5"]


def test_empty_agenda_reads_well():
    html = render_agenda_html(
        make_agenda(
            cases=(),
            worker_asked_about_impact=False,
            shared_notes=(),
            period_start=None,
            questions=(),
            actions=(),
        )
    )
    page = htmlcheck.text(html)
    assert "No cases to discuss for this period" in page
    assert "Up to 29 Nov 2024 (no earlier supervision on record)" in page
    assert "<svg" not in html
    assert "Time for the worker" not in page
    assert "Notes the worker shared" not in page
    assert "Beyond single cases" not in page
    assert "Confidential" in page


def test_case_empty_states_read_well():
    quiet = make_case(
        "Q-1", concerns=(), questions=(), actions=(), visits=(VisitPoint("5 Nov", 0, 0),)
    )
    unvisited = make_case("Q-2", visits=())
    html = render_agenda_html(make_agenda(cases=(quiet, unvisited)))
    page = htmlcheck.text(html)
    assert "Only one visit so far" in page
    assert "No visits are recorded for this case yet" in page
    assert "No concerns were noticed for this case" in page
    assert "No questions are set for this case" in page
    assert "No actions agreed yet for this case" in page
    assert len(htmlcheck.svgs(html)) == 1  # no chart for the case without visits


def test_concern_without_evidence_and_statuses_read_plainly():
    concern = make_concern(evidence=(), status="carried_forward", open_days=1, guidance="")
    html = render_agenda_html(make_agenda(cases=(make_case(concerns=(concern,)),)))
    page = htmlcheck.text(html)
    assert "No evidence is recorded with this concern." in page
    assert "Carried forward" in page and "open 1 day." in page
    assert "Guidance:" not in page


def test_control_characters_and_lone_surrogates_do_not_break_the_page():
    odd = "a\x00b\x07c\ud800d \U0001f600 \u4e2d\u6587 \u0627\u0644\u0639\u0631\u0628\u064a\u0629"
    html = render_agenda_html(
        make_agenda(supervisee=odd, cases=(make_case(odd, visits=(VisitPoint(odd, 1, 1),)),))
    )
    html.encode("utf-8")  # would raise on a lone surrogate
    assert "\x00" not in html and "\x07" not in html
    assert "\U0001f600 \u4e2d\u6587" in html
    htmlcheck.svgs(html)


def test_question_numbers_are_kept():
    html = render_agenda_html(make_agenda())
    assert '<li value="4">' in html


def test_fifty_cases_render_quickly():
    visits = tuple(VisitPoint(f"{d} Nov", d % 4, d % 7) for d in range(1, 13))
    cases = tuple(make_case(f"C-{i:04d}", visits=visits) for i in range(50))
    started = time.perf_counter()
    html = render_agenda_html(make_agenda(cases=cases, period_end=date(2024, 12, 31)))
    assert time.perf_counter() - started < 5
    assert len(htmlcheck.svgs(html)) == 50
    assert "C-0049" in html
