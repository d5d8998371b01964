"""The per-case chart: scale, wording, SVG well-formedness; and the package's imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from actions.reports.charts import (
    chart_description,
    clean_text,
    shorten,
    value_scale,
    visits_chart_svg,
)
from actions.reports.model import VisitPoint
from tests.reports.htmlcheck import SVG_NS

ROOT = Path(__file__).resolve().parents[2]


def test_value_scale_uses_whole_numbers_and_fits_the_largest_count():
    assert value_scale([]).ticks == [0, 1, 2, 3, 4]
    assert value_scale([VisitPoint("a", 1, 3)]).ticks == [0, 1, 2, 3, 4]
    for largest in (5, 7, 9, 13, 28, 99, 250):
        scale = value_scale([VisitPoint("a", largest, 0)])
        assert scale.top >= largest and scale.step >= 1
        assert 3 <= len(scale.ticks) <= 6
        assert all(isinstance(t, int) for t in scale.ticks)


def test_description_reads_plainly():
    assert chart_description([]) == "No visits are recorded for this case yet."
    assert chart_description([VisitPoint("5 Nov", 1, 0)]) == (
        "One visit so far (5 Nov): 1 concern and 0 ready-reckoner ticks."
    )
    two = chart_description([VisitPoint("1 Nov", 0, 1), VisitPoint("8 Nov", 2, 4)])
    assert two.startswith("2 visits. At the first (1 Nov): 0 concerns and 1 ready-reckoner tick.")
    assert two.endswith("At the latest (8 Nov): 2 concerns and 4 ready-reckoner ticks.")


def test_clean_text_and_shorten():
    assert clean_text("a\x00b\ud800c\tok\n") == "a\ufffdb\ufffdc\tok\n"
    assert shorten("a  b\nc", 10) == "a b c"
    assert shorten("abcdefghijkl", 5) == "abcd…"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_svg_is_well_formed_for_none_one_and_many_visits():
    for visits in (
        (),
        (VisitPoint("only", 0, 0),),
        tuple(VisitPoint(f"{d} Nov", d % 3, d % 5) for d in range(1, 40)),
    ):
        root = _parse(visits_chart_svg("C-1", visits, id_prefix="c1"))
        assert root.tag == f"{SVG_NS}svg"
        assert root.find(f"{SVG_NS}title").get("id") == "c1-title"
        assert root.find(f"{SVG_NS}desc").get("id") == "c1-desc"
        assert "<script" not in ET.tostring(root, encoding="unicode")


def test_svg_draws_two_bars_per_visit_with_their_values():
    visits = (VisitPoint("a", 1, 2), VisitPoint("b", 3, 0))
    root = _parse(visits_chart_svg("C-1", visits, id_prefix="c"))
    rects = root.findall(f".//{SVG_NS}rect")
    assert len(rects) == 2 + 2 * len(visits)  # two legend keys, then the bars
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert texts.count("3") >= 1 and "a" in texts and "b" in texts


def test_svg_escapes_labels_and_reference():
    nasty = "</title><script>alert(1)</script>\"' & \x00"
    svg = visits_chart_svg(nasty, (VisitPoint(nasty, 1, 1),), id_prefix='x" onload="alert(1)')
    root = _parse(svg)
    assert root.find(f"{SVG_NS}title").text.endswith(
        "</title><script>alert(1)</script>\"' & \ufffd"
    )
    assert "onload" not in root.attrib
    assert all(el.tag != f"{SVG_NS}script" for el in root.iter())


def test_reports_package_does_not_import_rasa():
    code = (
        "import sys, actions.reports.agenda_html, actions.reports.agenda_pdf, "
        "actions.reports.charts; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
