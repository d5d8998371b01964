"""The cross-validation benchmark's combination (benchmarks/concern_hybrid.py) reads the
rules-silent threshold as the detector does: a code at the shared add_at needs
``add_at_when_rules_silent`` on a text the rules raised nothing for; a code with its own
threshold keeps it."""

from __future__ import annotations

import numpy as np

from benchmarks import concern_hybrid as hybrid


def test_combine_asks_more_of_a_code_where_the_rules_raised_nothing():
    codes = len(hybrid.CODES)
    raised = np.zeros((2, codes), dtype=bool)
    raised[1, hybrid.CODES.index("drift")] = True  # the second text: the rules saw drift
    rules = np.hstack([raised, np.zeros_like(raised)])
    p = np.full((2, codes), 0.8)  # above add_at 0.7, under the rules-silent 0.9
    combined = hybrid.combine((0.7, 0.2, 0.5), rules, p)
    assert hybrid.CONFIG.add_at_when_rules_silent == 0.9
    assert np.flatnonzero(combined[0]).tolist() == [hybrid.UNSEEN]  # its own 0.5 holds
    assert combined[1].all()
