"""``omnidesk queue ...``: queues with business hours and members with skills and capacity, from the command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.csat.models import CsatSettings
from omnidesk.server.db import Database
from omnidesk.server.queues.models import Queue, QueueMember
from tests.server.conftest import omnidesk_here


async def test_queue_add_and_member_add_store_calendar_skills_and_capacity(db_url, tmp_path):
    calendar = tmp_path / "kyiv.json"
    calendar.write_text(json.dumps({"tz": "Europe/Kyiv", "week": {"0": [["09:00", "18:00"]]}}), encoding="utf-8")
    r = omnidesk_here("queue", "add", "VIP support", "--calendar", str(calendar), "--auto-assign", database=db_url)
    assert r.returncode == 0 and "created with id" in r.stdout, r.stderr
    user = omnidesk_here(
        "user", "add", "olena", "--role", "operator", "--password-stdin", database=db_url, stdin="password-123\n"
    )
    assert user.returncode == 0, user.stderr
    r = omnidesk_here(
        "queue",
        "member",
        "add",
        "VIP support",
        "olena",
        "--skill",
        "cards",
        "--skill",
        "loans",
        "--capacity",
        "3",
        "--capacity",
        "email=8",
        "--priority",
        "2",
        database=db_url,
    )
    assert r.returncode == 0 and "skills: cards, loans" in r.stdout, r.stderr
    listing = omnidesk_here("queue", "list", database=db_url)
    assert "VIP support\tpush\tolena [cards loans]" in listing.stdout
    db = Database(db_url, pool_size=1)
    try:
        async with db.session() as session:
            queue = await session.scalar(select(Queue).where(Queue.name == "VIP support"))
            member = await session.scalar(select(QueueMember).where(QueueMember.queue_id == queue.id))
    finally:
        await db.dispose()
    assert queue.calendar["tz"] == "Europe/Kyiv" and queue.auto_assign is True
    assert (member.skills, member.capacity, member.priority) == (["cards", "loans"], {"chat": 3, "email": 8}, 2)
    bad = omnidesk_here("queue", "add", "Night", "--calendar", '{"tz": "Nowhere/City"}', database=db_url)
    assert bad.returncode == 2 and "Nowhere/City" in bad.stderr
    missing = omnidesk_here("queue", "member", "add", "No such", "olena", database=db_url)
    assert missing.returncode == 2 and "no queue" in missing.stderr


async def _queue(db_url, name):
    db = Database(db_url, pool_size=1)
    try:
        async with db.session() as session:
            queue = await session.scalar(select(Queue).where(Queue.name == name))
            members = (await session.scalars(select(QueueMember.user_id).where(QueueMember.queue_id == queue.id))).all()
            actions = (
                await session.scalars(
                    select(AuditRecord.action).where(AuditRecord.object_type == "queue").order_by(AuditRecord.id)
                )
            ).all()
            return queue, list(members), list(actions)
    finally:
        await db.dispose()


async def test_queue_edit_renames_switches_mode_and_changes_hours_keeping_the_rest(db_url, tmp_path):
    calendar = {"tz": "Europe/Kyiv", "week": {"0": [["09:00", "18:00"]]}, "holidays": ["2026-01-01"]}
    assert omnidesk_here("queue", "add", "Support", "--calendar", json.dumps(calendar), database=db_url).returncode == 0
    r = omnidesk_here(
        "queue",
        "edit",
        "Support",
        "--name",
        "Technical support",
        "--mode",
        "push",
        "--hours",
        "tue-fri=09:00-13:00,14:00-18:00",
        "--hours",
        "sat=10:00-14:00",
        "--hours",
        "mon=closed",
        "--holiday",
        "2026-01-07",
        database=db_url,
    )
    assert r.returncode == 0, r.stderr
    assert "changed: business hours, name, push mode" in r.stdout
    queue, _members, actions = await _queue(db_url, "Technical support")
    assert queue.auto_assign is True
    assert queue.calendar == {
        "tz": "Europe/Kyiv",  # kept
        "week": {str(d): [["09:00", "13:00"], ["14:00", "18:00"]] for d in (1, 2, 3, 4)} | {"5": [["10:00", "14:00"]]},
        "holidays": ["2026-01-01", "2026-01-07"],
    }
    assert actions[-1] == "queue.edit"
    # By id; only the time zone and the holidays change, the mode goes back to pull.
    again = omnidesk_here(
        "queue", "edit", str(queue.id), "--tz", "Europe/Warsaw", "--no-holidays", "--mode", "pull", database=db_url
    )
    assert again.returncode == 0, again.stderr
    queue, _members, _actions = await _queue(db_url, "Technical support")
    assert queue.calendar["tz"] == "Europe/Warsaw" and queue.calendar["holidays"] == []
    assert queue.calendar["week"]["5"] == [["10:00", "14:00"]] and queue.auto_assign is False
    same = omnidesk_here("queue", "edit", "Technical support", "--mode", "pull", database=db_url)
    assert same.returncode == 0 and "nothing to change" in same.stdout
    cleared = omnidesk_here("queue", "edit", "Technical support", "--no-calendar", database=db_url)
    assert cleared.returncode == 0, cleared.stderr
    assert (await _queue(db_url, "Technical support"))[0].calendar is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["No such", "--name", "X"], "no queue 'No such'"),
        (["Support", "--name", "Sales"], "a queue named 'Sales' exists already"),
        (["Support", "--hours", "someday=09:00-18:00"], "'someday' is not a weekday"),
        (["Support", "--hours", "mon=9 to 6"], "is not a span"),
        (["Support", "--hours", "mon=18:00-09:00"], "the end must come after the start"),
        (["Support", "--hours", "fri-mon=09:00-18:00"], "runs backwards"),
        (["Support", "--tz", "Nowhere/City"], "Nowhere/City"),
        (["Support", "--mode", "sometimes"], "invalid choice"),
        (["Support", "--calendar", "{}", "--no-calendar"], "not allowed with"),
    ],
)
async def test_queue_edit_refuses_what_it_cannot_do_in_words_and_changes_nothing(db_url, args, says):
    calendar = {"tz": "Europe/Kyiv", "week": {"0": [["09:00", "18:00"]]}}
    assert omnidesk_here("queue", "add", "Support", "--calendar", json.dumps(calendar), database=db_url).returncode == 0
    assert omnidesk_here("queue", "add", "Sales", database=db_url).returncode == 0
    r = omnidesk_here("queue", "edit", *args, database=db_url)
    assert r.returncode == 2 and says in r.stderr, (r.stdout, r.stderr)
    queue, _members, actions = await _queue(db_url, "Support")
    assert queue.calendar == calendar and "queue.edit" not in actions


async def test_queue_member_remove_takes_the_member_out_and_says_when_there_is_none(db_url):
    assert omnidesk_here("queue", "add", "VIP", database=db_url).returncode == 0
    for name in ("olena", "petro"):
        user = omnidesk_here(
            "user", "add", name, "--role", "operator", "--password-stdin", database=db_url, stdin="password-123\n"
        )
        assert user.returncode == 0, user.stderr
        assert omnidesk_here("queue", "member", "add", "VIP", name, database=db_url).returncode == 0
    r = omnidesk_here("queue", "member", "remove", "VIP", "olena", database=db_url)
    assert r.returncode == 0 and "olena is no longer a member of 'VIP'" in r.stdout, r.stderr
    _queue_row, members, actions = await _queue(db_url, "VIP")
    assert len(members) == 1 and actions[-1] == "queue.member_remove"
    assert "VIP\tpull\tpetro" in omnidesk_here("queue", "list", database=db_url).stdout
    twice = omnidesk_here("queue", "member", "remove", "VIP", "olena", database=db_url)
    assert twice.returncode == 2 and "olena is not a member of 'VIP'" in twice.stderr
    nobody = omnidesk_here("queue", "member", "remove", "VIP", "nobody", database=db_url)
    assert nobody.returncode == 2 and "no user 'nobody'" in nobody.stderr
    noqueue = omnidesk_here("queue", "member", "remove", "Gone", "petro", database=db_url)
    assert noqueue.returncode == 2 and "no queue 'Gone'" in noqueue.stderr


async def test_queue_offer_timeout_is_set_on_add_and_edit_and_refused_out_of_range(db_url):
    r = omnidesk_here("queue", "add", "Offers", "--auto-assign", "--offer-timeout", "30", database=db_url)
    assert r.returncode == 0, r.stderr
    assert (await _queue(db_url, "Offers"))[0].offer_timeout_s == 30
    r = omnidesk_here("queue", "edit", "Offers", "--offer-timeout", "0", database=db_url)
    assert r.returncode == 0 and "offer timeout 0 s" in r.stdout, r.stderr
    assert (await _queue(db_url, "Offers"))[0].offer_timeout_s == 0
    bad = omnidesk_here("queue", "edit", "Offers", "--offer-timeout", "7200", database=db_url)
    assert bad.returncode == 2 and "0 (assign at once) to 3600 seconds" in bad.stderr
    assert (await _queue(db_url, "Offers"))[0].offer_timeout_s == 0


async def _survey(db_url, queue_id):
    db = Database(db_url, pool_size=1)
    try:
        async with db.session() as session:
            return await session.get(CsatSettings, queue_id)
    finally:
        await db.dispose()


async def test_queue_edit_sets_the_survey_what_it_asks_its_delay_and_questions_keeping_the_rest(db_url):
    assert omnidesk_here("queue", "add", "Retail", database=db_url).returncode == 0
    queue, *_ = await _queue(db_url, "Retail")
    assert await _survey(db_url, queue.id) is None
    r = omnidesk_here(
        "queue",
        "edit",
        "Retail",
        "--survey",
        "both",
        "--survey-delay",
        "600",
        "--nps-question",
        "uk=Порадите нас? 0-10",
        "--csat-question",
        "en=Rate us 1-5",
        database=db_url,
    )
    assert r.returncode == 0, r.stderr
    assert "survey on, survey asks both, survey delay 600 s, CSAT question, NPS question" in r.stdout
    row = await _survey(db_url, queue.id)
    assert (row.enabled, row.asks, row.delay_seconds) == (True, "both", 600)
    assert (row.questions, row.nps_questions) == ({"en": "Rate us 1-5"}, {"uk": "Порадите нас? 0-10"})
    assert (await _queue(db_url, "Retail"))[2][-1] == "csat.settings"
    # Only NPS now; the delay and the questions stay. LANG= goes back to ours. Off keeps what it asks.
    r = omnidesk_here("queue", "edit", "Retail", "--survey", "nps", "--nps-question", "uk=", database=db_url)
    assert r.returncode == 0 and "survey asks nps, NPS question" in r.stdout, r.stderr
    row = await _survey(db_url, queue.id)
    assert (row.asks, row.delay_seconds, row.nps_questions, row.questions) == ("nps", 600, {}, {"en": "Rate us 1-5"})
    r = omnidesk_here("queue", "edit", "Retail", "--survey", "off", database=db_url)
    assert r.returncode == 0 and "survey off" in r.stdout
    assert ((await _survey(db_url, queue.id)).enabled, (await _survey(db_url, queue.id)).asks) == (False, "nps")
    same = omnidesk_here("queue", "edit", "Retail", "--survey", "off", database=db_url)
    assert "nothing to change" in same.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--survey", "sometimes"], "invalid choice"),
        (["--survey-delay", "-5"], "delay_seconds"),
        (["--survey-delay", "9999999"], "delay_seconds"),
        (["--nps-question", "ukrainian=Text"], "nps_questions"),
        (["--nps-question", "no equals sign"], "--nps-question wants LANG=TEXT"),
        (["--csat-question", "uk=" + "x" * 1001], "questions"),
    ],
)
async def test_queue_edit_refuses_bad_survey_settings_in_words_and_changes_nothing(db_url, args, says):
    assert omnidesk_here("queue", "add", "Retail", database=db_url).returncode == 0
    r = omnidesk_here("queue", "edit", "Retail", "--survey", "both", *args, database=db_url)
    assert r.returncode == 2 and says in r.stderr, (r.stdout, r.stderr)
    queue, *_ = await _queue(db_url, "Retail")
    assert await _survey(db_url, queue.id) is None


async def test_queue_offer_cooldown_is_set_on_add_and_edit_and_refused_out_of_range(db_url):
    r = omnidesk_here("queue", "add", "Plain", database=db_url)
    assert r.returncode == 0, r.stderr
    assert (await _queue(db_url, "Plain"))[0].offer_cooldown_s == 600  # the default: ten minutes
    r = omnidesk_here("queue", "add", "Cool", "--auto-assign", "--offer-cooldown", "90", database=db_url)
    assert r.returncode == 0, r.stderr
    assert (await _queue(db_url, "Cool"))[0].offer_cooldown_s == 90
    r = omnidesk_here("queue", "edit", "Cool", "--offer-cooldown", "0", database=db_url)
    assert r.returncode == 0 and "offer cooldown 0 s" in r.stdout, r.stderr
    assert (await _queue(db_url, "Cool"))[0].offer_cooldown_s == 0
    bad = omnidesk_here("queue", "edit", "Cool", "--offer-cooldown", "-1", database=db_url)
    assert bad.returncode == 2 and "offer cooldown is 0 to 86400 seconds" in bad.stderr
    assert (await _queue(db_url, "Cool"))[0].offer_cooldown_s == 0
