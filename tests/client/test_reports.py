"""The Reports window against a real in-process server with a known history: tiles with the figures and their
definitions on hover, the charts' data, the transition matrix, a channel filter, the XLSX export opened with
openpyxl, an operator's own figures; all three languages, with screenshots (docs/screenshots/reports_*.png)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from omnidesk.client.api import ApiClient
from omnidesk.client.i18n import Translations
from omnidesk.client.reports.window import ReportsWindow
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.sla.models import ConversationSla
from tests.server.test_analytics import D, T, _history, _load_history, _waits

NOW = T + 20 * D
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS", str(Path(__file__).resolve().parents[2] / "docs" / "screenshots"))


async def _window(api, username: str, qtbot) -> tuple[ReportsWindow, ApiClient]:
    client = ApiClient(api.url)
    await client.login(username, "password-123")
    tasks: set[asyncio.Task] = set()

    def spawn(coroutine, name=None):
        task = asyncio.ensure_future(coroutine)
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return task

    window = ReportsWindow(client, spawn)
    window.clock = lambda: NOW  # the fixed history stays inside the periods, the heat map's 31 days too
    qtbot.addWidget(window)
    window.period.blockSignals(True)
    window.period.setCurrentIndex(2)  # 90 days: the history's weeks are inside
    window.period.blockSignals(False)
    await window.load()
    return window, client


@SQLITE_ONLY
async def test_reports_show_every_figure_with_charts_and_export_to_xlsx(api, qtbot, tmp_path):
    ids = await _history(api)
    await _waits(api, ids)  # next responses
    await _load_history(api, ids)  # presence and assignments: the operators' load
    await api.user("lead", role="supervisor")
    window, client = await _window(api, "lead", qtbot)
    try:
        assert window.loads == 1 and window.status.text() == ""
        values = {key: value.text() for key, (_title, value) in window.tiles.items()}
        assert values["conversations"] == "9"  # six of the first history (one in October), three of the waits
        assert values["nrt_median"] == "1.0 min" and values["nrt_p90"] == "20.0 min"  # waits of 10, 60, 300, 1200 s
        assert values["occupancy"] == "44 %" and values["concurrent_mean"] == "0.5 / 5"
        assert values["handled_per_hour"] == "1.0"  # alice replied in three conversations over three hours online
        assert window.tiles["occupancy"][0].parentWidget().toolTip().startswith("The share of the time online")
        assert [label for label, _ in window.occupancy.bars] == ["alice"]  # bob was never online
        assert values["waiting"] == "1" and values["sla_breaches"] == "1"
        assert values["csat"] == "3.67"
        assert values["nps"] == "—"  # nobody was asked the 0-10 question
        assert window.tiles["nps"][0].parentWidget().toolTip().startswith("Of the customers who answered")
        assert window.tiles["fcr"][0].parentWidget().toolTip().startswith("Resolved conversations after which")
        assert sum(v for _, v in window.volume.points if v) == 9
        assert {label for label, _ in window.by_channel.bars} == {"webchat", "email"}
        # The heat map covers the last 31 days (at most) of the period: the history's conversations that started
        # inside it (the window's clock is 20 days after the history's Monday: the October ones fall out).
        async with api.db.session() as session:
            recent = await session.scalar(
                select(func.count())
                .select_from(ConversationSla)
                .where(ConversationSla.started_at >= window.hourly_from)
            )
        assert sum(sum(row) for row in window.heat.cells) == recent > 0
        assert (
            window.transitions.rowCount() == 2 and window.transitions.item(1, 0).text() == "1"
        )  # from webchat to email

        path = await window.export_to(tmp_path / "by-operator.xlsx", "operator", "xlsx")
        sheet = load_workbook(path)["operator"]
        keys = [row[0].value for row in sheet.iter_rows(min_row=2)]
        assert str(ids["alice"]) in keys

        window.channel.setCurrentIndex(window.channel.findData(ids["mail"]))  # the filter reloads
        await _until(lambda: window.loads == 2)
        assert window.tiles["conversations"][1].text() == "2"

        window.channel.setCurrentIndex(0)  # all channels again
        await _until(lambda: window.loads == 3)
        # The queue and operator filters: the queues from GET /queues, the operators the reports have shown.
        assert [window.queue.itemText(i) for i in range(window.queue.count())] == ["All queues", "General"]
        assert window.operator.findData(ids["bob"]) > 0 and window.operator.findData(ids["alice"]) > 0
        window.operator.setCurrentIndex(window.operator.findData(ids["alice"]))
        await _until(lambda: window.loads == 4)
        async with api.db.session() as session:  # alice's conversations of the period (the history's and the waits')
            hers = await session.scalar(
                select(func.count())
                .select_from(ConversationSla)
                .join(Conversation, Conversation.id == ConversationSla.conversation_id)
                .where(Conversation.assignee_id == ids["alice"], ConversationSla.started_at >= window.summary.start)
            )
        assert 0 < hers < 9 and window.tiles["conversations"][1].text() == str(hers)
        assert window.operator.count() == 3  # bob stays choosable while the figures show alice's only
        window.business.setChecked(True)  # durations in the queues' working hours
        await _until(lambda: window.loads == 5)
        assert window.summary.business_hours is True and window.tiles["conversations"][1].text() == str(hers)
        window.business.setChecked(False)
        window.operator.setCurrentIndex(0)  # everything again for the pictures
        await _until(lambda: window.loads >= 7 and window.summary.totals.conversations == 9)
        # By customer segment (the history's c1 and c3 are vip, c2 and c5 retail): bars and the segment filter.
        assert dict(window.by_segment.bars)["vip"] == 3 and dict(window.by_segment.bars)["retail"] == 2
        assert dict(window.csat_by_segment.bars) == {"vip": 4.5, "retail": 2.0}
        choices = [window.segment.itemText(i) for i in range(window.segment.count())]
        assert choices == ["All segments", "No segment", "retail", "vip"]
        loads = window.loads
        window.segment.setCurrentIndex(window.segment.findData("vip"))
        await _until(lambda: window.loads == loads + 1)
        assert window.tiles["conversations"][1].text() == "3" and [b for b, _ in window.by_segment.bars] == ["vip"]
        assert window.segment.count() == 4  # the other segments stay choosable
        window.segment.setCurrentIndex(window.segment.findData(""))  # the customers without a segment
        await _until(lambda: window.loads == loads + 2)
        assert [b for b, _ in window.by_segment.bars] == ["No segment"]
        window.segment.setCurrentIndex(0)
        await _until(lambda: window.loads == loads + 3 and window.summary.totals.conversations == 9)
        # Three of the rated customers answered the 0-10 question too: two promoters, one detractor = +33.
        from sqlalchemy import update

        from omnidesk.server.csat.models import CsatSurvey

        async with api.db.session() as session:
            rated = (
                await session.scalars(
                    select(CsatSurvey.id).where(CsatSurvey.score.is_not(None)).order_by(CsatSurvey.id)
                )
            ).all()
            for survey, nps in zip(rated, (10, 9, 2), strict=False):
                await session.execute(update(CsatSurvey).where(CsatSurvey.id == survey).values(nps=nps))
            await session.commit()
        window.refresh.click()
        await _until(lambda: window.loads == loads + 4)
        assert len(rated) >= 3 and window.tiles["nps"][1].text() == "+33"
        window.resize(1100, 1560)
        os.makedirs(SCREENSHOTS, exist_ok=True)
        translations = Translations(QApplication.instance())
        try:
            for code in ("en", "uk", "ru"):
                translations.apply(code)
                await asyncio.sleep(0.05)
                if code == "uk":
                    assert window.windowTitle() == "Звіти" and window.tiles["csat"][0].text().startswith(
                        "Задоволеність"
                    )
                    assert window.tiles["occupancy"][0].text() == "Зайнятість"
                    assert window.tiles["occupancy"][0].parentWidget().toolTip().startswith("Частка часу онлайн")
                    assert window.tiles["nps"][0].text() == "Індекс лояльності (NPS)"
                if code == "ru":
                    assert window.windowTitle() == "Отчёты" and window.refresh.text() == "Обновить"
                window.show()
                await asyncio.sleep(0.05)
                window.grab().save(str(Path(SCREENSHOTS) / f"reports_{code}.png"))
        finally:
            translations.apply("en")
    finally:
        await client.aclose()


@SQLITE_ONLY
async def test_an_operator_sees_their_own_figures(api, qtbot):
    await _history(api)
    window, client = await _window(api, "alice", qtbot)
    try:
        assert window.tiles["conversations"][1].text() == "3"  # alice's two of the period and one of October
    finally:
        await client.aclose()


async def _until(condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@pytest.mark.parametrize(
    ("due_in", "warn_in", "paused", "colour"),
    [
        (3600, 1800, False, "#6B7280"),
        (600, -60, False, "#D97706"),
        (-60, -600, False, "#DC2626"),
        (-60, -600, True, "#9CA3AF"),
        (900, 300, True, "#9CA3AF"),
    ],
)
def test_inbox_row_shows_the_sla_countdown_in_its_colour(qtbot, due_in, warn_in, paused, colour):
    import datetime as dt

    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QListView, QStyleOptionViewItem

    from omnidesk.client.models.inbox import InboxRole
    from omnidesk.client.views.delegates import ConversationDelegate
    from omnidesk.protocol import ChannelOut, ConversationOut, CustomerBrief, SlaOut

    now = dt.datetime.now(dt.UTC)
    conversation = ConversationOut(
        id=1,
        channel=ChannelOut(id=1, kind="telegram", name="Telegram"),
        customer=CustomerBrief(id=1, name="Оксана"),
        queue_id=1,
        status="open",
        assignee_id=None,
        last_message_at=now,
        last_message_preview="Hello",
        unread_count=0,
        created_at=now,
        sla=SlaOut(
            target="first_response",
            due_at=now + dt.timedelta(seconds=due_in),
            warn_at=now + dt.timedelta(seconds=warn_in),
            paused=paused,
            breached=False,
        ),
    )
    model = QStandardItemModel()
    item = QStandardItem()
    for role, value in (
        (InboxRole.CONVERSATION, conversation),
        (InboxRole.CUSTOMER, "Оксана"),
        (InboxRole.CHANNEL_KIND, "telegram"),
        (InboxRole.LAST_ACTIVITY, now),
        (InboxRole.PREVIEW, "Hello"),
    ):
        item.setData(value, role)
    model.appendRow(item)
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = ConversationDelegate(view)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 360, delegate.sizeHint(option, model.index(0, 0)).height())
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    wanted = QColor(colour).rgb()
    found = sum(1 for x in range(image.width()) for y in range(image.height()) if image.pixel(x, y) == wanted)
    assert found > 20, f"no {colour} chip in the row"
