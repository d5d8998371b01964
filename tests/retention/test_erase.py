"""`erase`: one person's content goes from every table and from the tracker store;
others' records survive; what others need stays without anything identifying; the
erasure is audited; it is refused without --confirm and to anyone but an administrator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.people import cli as people_cli
from actions.services import identity, retention
from actions.services.access import AccessDenied
from actions.store import people
from actions.store.db import session_scope
from actions.store.models import (
    AgreedAction,
    AuditEntry,
    Debrief,
    Person,
    SupervisionNote,
    SupervisionSession,
)
from tests.retention.conftest import JO_WORDS, LEE_WORDS, SAM_WORDS
from tests.retention.world import every_text, table_counts, tracker_rows


def traces(words, text: str) -> list[str]:
    return [word for word in words if word.lower() in text.lower()]


def lee_records(s) -> tuple:
    lee_id = people.get_by_handle(s, "lee.m").id
    debriefs = s.execute(select(Debrief).where(Debrief.person_id == lee_id)).scalars().all()
    return (
        [(a.value, a.free_text) for d in debriefs for a in d.answers],
        [(c.evidence, c.worker_note) for d in debriefs for c in d.concerns],
        sorted(
            s.execute(select(AgreedAction.text).where(AgreedAction.worker_id == lee_id)).scalars()
        ),
    )


# --- erasing a worker -------------------------------------------------------------------


def test_erasing_a_worker_leaves_no_trace_of_them_anywhere(office, tracker_url):
    with session_scope() as s:
        assert traces(JO_WORDS, every_text(s)) == list(JO_WORDS)  # there before
        lee_before = lee_records(s)

    report = retention.erase(office["ana"], "jo.zeb")

    assert report.erased and report.person_id == office["jo"]
    with session_scope() as s:
        assert traces(JO_WORDS, every_text(s)) == []
        assert lee_records(s) == lee_before
        jo = s.get(Person, office["jo"])
        assert (jo.username, jo.display_name, jo.email, jo.external_id) == (None,) * 4
        assert not jo.active and jo.erased_at is not None
        assert people.current_supervisor(s, jo.id) is None
    events = tracker_rows(tracker_url)
    assert [sender for sender, _ in events] == ["lee-chat"]
    assert traces(JO_WORDS, repr(events)) == []


def test_what_the_supervisor_needs_stays_without_the_worker(office):
    retention.erase(office["ana"], "jo.zeb")

    with session_scope() as s:
        [session] = s.execute(
            select(SupervisionSession).where(SupervisionSession.worker_id == office["jo"])
        ).scalars()
        assert session.notes == [] and session.concern_outcomes == []
        [kept] = s.execute(
            select(AgreedAction).where(AgreedAction.session_id == session.id)
        ).scalars()
    assert kept.owner_id == office["sam"] and kept.case_id is None
    assert kept.text == "Sam to ask Kim about [erased person]'s cover."


def test_the_counts_are_reported_and_audited(office):
    report = retention.erase(office["ana"], "jo.zeb")

    assert report.counts == {
        "debriefs": 1, "answers": 1, "answer_revisions": 1, "concerns": 1,
        "session_concerns": 1, "supervision_notes": 1, "agreed_actions": 1,
        "agreed_actions_kept_anonymised": 1, "cases": 1, "chat_identities": 1,
        "team_memberships": 1, "chat_events": 3,
    }  # fmt: skip
    with session_scope() as s:
        rows = (
            s.execute(select(AuditEntry).where(AuditEntry.subject_id == office["jo"]))
            .scalars()
            .all()
        )
    actions = {row.action: row for row in rows}
    assert set(actions) == {"read:prepare", "data:erase"}  # the trail stays
    erased = actions["data:erase"]
    assert erased.actor_id == office["ana"]
    assert erased.detail.startswith("reason=request ") and "debriefs=1" in erased.detail


def test_the_erased_person_cannot_chat_any_more(office):
    retention.erase(office["ana"], "jo.zeb")

    with pytest.raises(identity.PersonDeactivated), session_scope() as s:
        identity.resolve_person(s, "web", office["jo"])  # a token channel's sender id


def test_erasing_twice_is_harmless(office):
    retention.erase(office["ana"], "jo.zeb")
    again = retention.erase(office["ana"], office["jo"])  # by id: the username is gone
    assert again.counts == {}


# --- erasing a supervisor ---------------------------------------------------------------


def test_erasing_a_supervisor_keeps_the_workers_records(office):
    retention.erase(office["ana"], "sam.k")

    with session_scope() as s:
        assert traces(SAM_WORDS, every_text(s)) == []
        assert s.execute(select(SupervisionNote)).scalars().all() == []  # Sam wrote them
        sessions = s.execute(select(SupervisionSession)).scalars().all()
        assert {x.worker_id for x in sessions} == {office["jo"], office["lee"]}
        assert traces(("Heron",), every_text(s)) == ["Heron"]  # Lee's own words stay
        lee_actions = {
            a.text: a.owner_id
            for a in s.execute(
                select(AgreedAction).where(AgreedAction.worker_id == office["lee"])
            ).scalars()
        }
    assert lee_actions == {
        "Lee to book Heron training.": office["lee"],
        "[erased person] to chase the school.": office["sam"],  # owner anonymised
    }


# --- refusals ---------------------------------------------------------------------------


def test_without_confirm_nothing_is_erased_and_the_reason_is_given(office, invoke):
    with session_scope() as s:
        before = table_counts(s)

    result = invoke("--as", "ana.a", "erase", "jo.zeb")

    assert result.exit_code == people_cli.EXIT_INVALID
    assert "nothing was erased" in result.stderr and "--confirm" in result.stderr
    assert "Erasing would remove (Jo Zebrafinch" in result.stdout
    assert "debriefs=1" in result.stdout and "chat_events=3" in result.stdout
    with session_scope() as s:
        assert table_counts(s) == before
        assert s.get(Person, office["jo"]).username == "jo.zeb"


def test_the_preview_matches_the_erasure(office):
    preview = retention.erasure_preview(office["ana"], "jo.zeb")
    done = retention.erase(office["ana"], "jo.zeb")
    assert not preview.erased and preview.counts == done.counts


def test_with_confirm_the_cli_erases(office, invoke):
    result = invoke("--as", "ana.a", "erase", "jo.zeb", "--confirm")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Erased (Jo Zebrafinch, id ")
    with session_scope() as s:
        assert traces(JO_WORDS, every_text(s)) == []


@pytest.mark.parametrize("who", ["jo.zeb", "sam.k"])
def test_only_an_administrator_may_erase(office, invoke, who):
    result = invoke("--as", who, "erase", "lee.m", "--confirm")

    assert result.exit_code == people_cli.EXIT_REFUSED
    assert "administrator" in result.stderr
    with session_scope() as s:
        assert traces(LEE_WORDS, every_text(s)) == list(LEE_WORDS)


def test_an_administrator_cannot_erase_themselves(office):
    with pytest.raises(AccessDenied, match="yourself"):
        retention.erase(office["ana"], "ana.a")


def test_an_unknown_person_is_not_found(office, invoke):
    result = invoke("--as", "ana.a", "erase", "nobody", "--confirm")
    assert result.exit_code == people_cli.EXIT_NOT_FOUND


def test_agenda_files_naming_the_person_go(office, agenda_dir):
    for stem, name in (("agenda-1-jo", "Jo Zebrafinch"), ("agenda-2-lee", "Lee Moss")):
        (agenda_dir / f"{stem}.html").write_text(f"<dd>{name}</dd>", encoding="utf-8")
        (agenda_dir / f"{stem}.pdf").write_bytes(b"%PDF-1.4")

    report = retention.erase(office["ana"], "jo.zeb")

    assert report.counts["agenda_files"] == 2
    assert sorted(p.name for p in agenda_dir.iterdir()) == ["agenda-2-lee.html", "agenda-2-lee.pdf"]
