"""Round 75 rule fixes, written from the errors of blind386 to blind401 after each was
scored once (tests/concerns/README.md). Rule-level: the rules alone, without the
classifier. The sentences are new, not copied from those files.
"""

from __future__ import annotations

import pytest

from tests.concerns.detector_helpers import rule_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mum says the boys are happy but they've never been spoken to on their own.",
         "unseen_child"),
        ("I'm not sure whether Aiden was in the house at all, nobody said.",
         "unseen_child"),
        ("As soon as I asked to see the girls on their own she said the visit was over.",
         "unseen_child"),
        ("Gran wouldn't let Orla answer a single question, she spoke over her.",
         "unseen_child"),
        ("Knocked for ten minutes with the telly on. I know Zara's in there.",
         "unseen_child"),
        ("A man's coat on the hook and mum insists nobody else lives there.",
         "hidden_men"),
        ("The children told me they're not allowed to talk about him.", "hidden_men"),
        ("His cousin is round most nights and we've never done checks on him.",
         "hidden_men"),
        ("Team manager wants to hand the case to the student because dad won't engage. "
         "Nobody asked school.", "closure_risk"),
        ("We're stepping it down next week. Health and nursery weren't part of it.",
         "closure_risk"),
        ("They want to close it on Friday and there hasn't been any multi-agency "
         "meeting.", "closure_risk"),
        ("The plan is to transfer it to early help. School haven't been asked.",
         "closure_risk"),
        ("It's getting closed at the end of the month, no strategy or professionals "
         "meeting.", "closure_risk"),
        ("Mum texted to cancel and I said thank god out loud.", "worker_relief"),
        ("Nobody in again and I'm ashamed to say I was glad.", "worker_relief"),
        ("My senior covered the visit and honestly I was so glad not to be going.",
         "worker_relief"),
        ("Her brother has set up a page about me and shares every letter we send.",
         "online_targeting"),
        ("Dad posted a photo of my ID badge on his story.", "online_targeting"),
        ("Sat at the end of the street for ten minutes before I could make myself knock.",
         "worker_fear"),
        ("I've started parking round the corner so he can't see my car.", "worker_fear"),
    ],
)  # fmt: skip
def test_round75_raises(text, code):
    assert code in rule_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("We spent five minutes on the benefits form and the rest of the visit on the "
         "kids, both seen alone.", "adult_focus"),
        ("The court letters were upsetting them, so mum keeps them in a drawer and the "
         "kids aren't seeing them now.", "unseen_child"),
        ("Took the girls out for a hot chocolate on their own and they chatted away.",
         "unseen_child"),
        ("No answer at nine, mum rang to say she was at the dentist. Came back at 3, all "
         "seen.", "avoidance"),
        ("Mum says the ex is gone and I believe her, police confirm no callouts since "
         "May.", "collusion"),
        ("Ava seen alone at the new school, nervous but excited about her class.",
         "worker_fear"),
        ("School and the HV see the same picture as me - things are improving, bit by "
         "bit.", "drift"),
        ("Dad wants everything in writing, which I do anyway, and he came to review.",
         "complaints_pressure"),
        ("I met her new partner; he's been through the checks and comes to core group.",
         "hidden_men"),
        ("Dad called the nursery rubbish, then said he doesn't really mean it.",
         "professional_split"),
    ],
)  # fmt: skip
def test_round75_near_misses_raise_nothing(text, code):
    assert code not in rule_codes(text)
