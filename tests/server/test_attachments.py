"""Attachments: types from the bytes, size limits, disk and database storage, queue scope on every read, audit."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from omnidesk.domain.enums import Role
from omnidesk.server.attachments import service
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.audit.models import AuditRecord
from tests.channels.server_fixtures import provider_settings
from tests.conftest import Api, serve
from tests.server.customer_helpers import add_queue

PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200  # a Windows executable's header


def jpeg(size=(1200, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def test_the_type_comes_from_the_bytes_not_the_name():
    assert service.sniff(PE, "image/jpeg", "photo.jpg").mime_type == "application/x-msdownload"
    assert service.sniff(jpeg(), "text/plain", "notes.txt").mime_type == "image/jpeg"
    assert service.sniff("Привіт".encode(), "application/pdf").mime_type == "text/plain"
    assert service.sniff(b"\x00\x01garbage\xff", "image/png").mime_type == "application/octet-stream"
    assert service.safe_name("../../etc/passwd", service.Sniffed("text/plain", None), "document") == "passwd"
    assert service.safe_name("photo.jpg", service.Sniffed("application/x-msdownload", "exe"), "document") == (
        "photo.jpg.exe"
    )
    thumb, width, height = service.thumbnail(jpeg(), "image/jpeg")
    assert (width, height) == (1200, 800) and Image.open(io.BytesIO(thumb)).size == (320, 213)
    assert service.thumbnail(b"\xff\xd8\xff\xe0broken", "image/jpeg") == (None, None, None)


@pytest.fixture
async def files_api(db_url, tmp_path):
    import httpx

    from omnidesk.server.db import Database

    settings = provider_settings(db_url, tmp_path)
    db = Database(db_url, pool_size=2)
    async with serve(settings) as (app, url), httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield Api(url=url, db=db, settings=settings, client=client, app=app)
    await db.dispose()


async def _conversation(api, queue_id=None):
    channel_id, token = await api.channel("Site", queue_id=queue_id)
    r = await api.inbound(channel_id, token, f"m-{queue_id}", text="Hello")
    return r.json()["conversation_id"]


async def test_upload_limits_storage_scope_and_audit(files_api):
    api = files_api
    other_queue = await add_queue(api, "Cards")
    conv = await _conversation(api)
    hidden = await _conversation(api, other_queue)
    operator = await api.headers_for("op", Role.OPERATOR, queue_ids=[1])
    outsider = await api.headers_for("outsider", Role.OPERATOR, queue_ids=[other_queue])

    small = b"plain text note"
    r = await api.client.post(
        f"/api/v1/conversations/{conv}/attachments", files={"file": ("a.txt", small, "text/plain")}, headers=operator
    )
    assert r.status_code == 201, r.text
    small_id = r.json()["id"]
    r = await api.client.post(
        f"/api/v1/conversations/{conv}/attachments",
        files={"file": ("photo.jpg", PE, "image/jpeg")},
        headers=operator,
    )
    assert r.status_code == 201 and r.json()["mime_type"] == "application/x-msdownload"
    assert r.json()["kind"] == "document" and r.json()["file_name"] == "photo.jpg.exe"
    big = jpeg()
    r = await api.client.post(
        f"/api/v1/conversations/{conv}/attachments", files={"file": ("p.jpg", big, "image/jpeg")}, headers=operator
    )
    big_id = r.json()["id"]
    assert r.json()["has_thumbnail"] and (r.json()["width"], r.json()["height"]) == (1200, 800)
    async with api.db.session() as session:
        rows = {a.id: a for a in await session.scalars(select(Attachment))}
    assert rows[small_id].storage == "db" and rows[big_id].storage == "disk"
    on_disk = service.storage_dir(api.settings) / rows[big_id].sha256[:2] / rows[big_id].sha256[2:4]
    assert (on_disk / rows[big_id].sha256).read_bytes() == big

    r = await api.client.post(
        f"/api/v1/conversations/{conv}/attachments", files={"file": ("e.txt", b"", "text/plain")}, headers=operator
    )
    assert r.status_code == 422 and "empty" in r.text
    r = await api.client.post(
        f"/api/v1/conversations/{hidden}/attachments", files={"file": ("a.txt", small, "text/plain")}, headers=operator
    )
    assert r.status_code == 404

    r = await api.client.get(f"/api/v1/attachments/{big_id}", headers=operator)
    assert r.status_code == 200 and r.content == big
    assert r.headers["content-disposition"].startswith("attachment;")
    for path in (f"/api/v1/attachments/{big_id}", f"/api/v1/attachments/{big_id}/thumbnail"):
        assert (await api.client.get(path, headers=outsider)).status_code == 404
        assert (await api.client.get(path)).status_code == 401
    assert (await api.client.get(f"/api/v1/conversations/{conv}/media", headers=outsider)).status_code == 404
    async with api.db.session() as session:
        actions = [a.action for a in await session.scalars(select(AuditRecord).order_by(AuditRecord.id))]
    assert actions.count("attachment.upload") == 3 and actions.count("attachment.read") == 1


async def test_a_file_on_disk_is_streamed_and_a_damaged_one_never_arrives_as_good(files_api, monkeypatch):
    api = files_api
    conv = await _conversation(api)
    operator = await api.headers_for("op", Role.OPERATOR, queue_ids=[1])
    data = bytes(range(256)) * (3 * 4096 + 7)  # 3 MB and a bit: many blocks, the last one short
    r = await api.client.post(
        f"/api/v1/conversations/{conv}/attachments",
        files={"file": ("statement.bin", data, "application/octet-stream")},
        headers=operator,
    )
    assert r.status_code == 201, r.text
    file_id = r.json()["id"]
    async with api.db.session() as session:
        row = await session.get(Attachment, file_id)
    assert row.storage == "disk"
    read_sizes: list[int] = []
    real_open = service.Path.open

    def watched_open(path, *args, **kwargs):  # the blocks the server reads from disk for the download
        handle = real_open(path, *args, **kwargs)
        real_read = handle.read

        def read(size=-1):
            block = real_read(size)
            read_sizes.append(size)
            return block

        handle.read = read
        return handle

    monkeypatch.setattr(service.Path, "open", watched_open)
    async with api.client.stream("GET", f"/api/v1/attachments/{file_id}", headers=operator) as r:
        assert r.status_code == 200 and r.headers["content-length"] == str(len(data))
        got = b"".join([chunk async for chunk in r.aiter_bytes()])
    assert got == data
    assert read_sizes and max(read_sizes) == service.CHUNK and len(read_sizes) > len(data) // service.CHUNK
    monkeypatch.undo()

    # One byte changed on disk (same size): the download breaks off short; the client never gets it whole.
    path = service.storage_dir(api.settings) / row.sha256[:2] / row.sha256[2:4] / row.sha256
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    received = b""
    with pytest.raises(httpx.HTTPError):
        async with api.client.stream("GET", f"/api/v1/attachments/{file_id}", headers=operator) as r:
            async for chunk in r.aiter_bytes():
                received += chunk
    assert len(received) < len(data)
    # Cut short or gone: 410 at once, in words.
    path.write_bytes(data[:-1])
    r = await api.client.get(f"/api/v1/attachments/{file_id}", headers=operator)
    assert r.status_code == 410 and "missing or damaged" in r.text
    path.unlink()
    assert (await api.client.get(f"/api/v1/attachments/{file_id}", headers=operator)).status_code == 410


@pytest.mark.parametrize("size", [2 * 1024 * 1024])
async def test_a_file_over_the_limit_is_413(db_url, tmp_path, size):
    import httpx

    from omnidesk.server.db import Database

    settings = provider_settings(db_url, tmp_path, attachment_max_bytes=1024 * 1024)
    db = Database(db_url, pool_size=2)
    async with serve(settings) as (app, url), httpx.AsyncClient(base_url=url, timeout=30) as client:
        api = Api(url=url, db=db, settings=settings, client=client, app=app)
        conv = await _conversation(api)
        headers = await api.headers_for("op", Role.OPERATOR, queue_ids=[1])
        r = await client.post(
            f"/api/v1/conversations/{conv}/attachments",
            files={"file": ("big.bin", b"\x01" * size, "application/octet-stream")},
            headers=headers,
        )
        assert r.status_code == 413
        r = await client.post(
            f"/api/v1/conversations/{conv}/attachments",
            files={"file": ("ok.bin", b"\x01" * (900 * 1024), "application/octet-stream")},
            headers=headers,
        )
        assert r.status_code == 201
    await db.dispose()
