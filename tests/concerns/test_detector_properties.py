"""Property test: detect() never raises and its evidence always points into the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.bank.schema import TAXONOMY_CODES
from actions.concerns.detector import detect

PHRASES = [
    "I didn't get to see Kyle alone",
    "Mum was shouting",
    "nobody answered the door",
    "I was frightened",
    "<b>the baby was asleep</b>",
    "\u202e\u200bsaw them\u00a0alone",
    "\U0001f621\U0001f476",
    "\u0645\u0631\u062d\u0628\u0627 \u4f60\u597d \u043f\u0440\u0438\u0432\u0435\u0442",
    "\x00\x07\x1b[31m\r\n\t",
    "don\u2019t know who he is",
    "",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PHRASES) | st.text(max_size=20), max_size=12).map(" ".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_detect_never_raises_and_spans_point_into_the_text(text):
    raised = detect(text)
    seen = set()
    for concern in raised:
        assert concern.code in TAXONOMY_CODES
        assert concern.code not in seen
        seen.add(concern.code)
        assert concern.source == "free_text"
        assert 0 <= concern.evidence_start < concern.evidence_end <= len(text)
        assert text[concern.evidence_start : concern.evidence_end] == concern.evidence
