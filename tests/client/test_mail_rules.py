"""The rules under the mail desk, without a server: addresses as typed, the reply's envelope and subject, the quote,
the visitor's browser and system, and a letter view that loads nothing it was not given."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from omnidesk.client.mail.composer import MailEnvelope, quote_block
from omnidesk.client.mail.reader import LetterBrowser, hidden_remote_images, remote_image_urls
from omnidesk.client.mail.useragent import browser, operating_system
from omnidesk.domain.mail import read_addresses, reply_envelope, reply_subject


def test_addresses_are_read_as_typed_once_each_and_the_rest_named():
    assert read_addresses("Anna <anna@x.ua>, b@y.com; ANNA@x.ua\nnot an address, c@z") == (
        ["anna@x.ua", "b@y.com"],
        ["not an address", "c@z"],
    )
    typed, _ = read_addresses("a@b.ua\r\nBcc: evil@x.com")  # a line break never reaches a header
    assert all(not set(address) & set("\r\n: ") for address in typed)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [("Card", "Re: Card"), ("RE: Card", "RE: Card"), ("re:Card", "re:Card"), ("", "Re: your request")],
)
def test_reply_subject_keeps_one_re(subject, expected):
    assert reply_subject(subject) == expected


def test_reply_all_leaves_out_the_mailbox_and_repeats_nobody():
    args = dict(sender="c@x.ua", to=["Support@bank.ua", "d@x.ua"], cc=["C@x.ua", "e@y.com", "bad"], subject="Card")
    assert reply_envelope(**args, mailbox="support@bank.ua", everyone=False) == (["c@x.ua"], [], "Re: Card")
    assert reply_envelope(**args, mailbox="support@bank.ua", everyone=True) == (
        ["c@x.ua"],
        ["d@x.ua", "e@y.com"],
        "Re: Card",
    )


def test_answering_our_own_sent_letter_writes_to_its_recipients():
    args = dict(sender="Support@bank.ua", to=["c@x.ua", "support@bank.ua"], cc=["d@x.ua", "c@x.ua"], subject="Re: Card")
    assert reply_envelope(**args, mailbox="support@bank.ua", everyone=False) == (["c@x.ua"], [], "Re: Card")
    assert reply_envelope(**args, mailbox="support@bank.ua", everyone=True) == (["c@x.ua"], ["d@x.ua"], "Re: Card")
    # Without a known mailbox a letter is answered to its sender, as before.
    assert reply_envelope(**args, mailbox=None, everyone=False)[0] == ["Support@bank.ua"]


def test_quote_marks_every_line():
    assert quote_block("Anna wrote:", "one\n\ntwo") == "\n\nAnna wrote:\n> one\n>\n> two"


@pytest.mark.parametrize(
    ("agent", "name", "system"),
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
         "Safari/537.36 Edg/131.0.2903.86", "Edge 131", "Windows 10/11"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133", "Linux"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Version/17.2 Mobile/15E148 Safari/604.1", "Safari 17", "iOS 17.2"),
        ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) YaBrowser/24.10.1 "
         "Chrome/128.0.0.0 Mobile Safari/537.36", "Yandex Browser 24", "Android 14"),
        ("curl/8.5", None, None),
    ],
)  # fmt: skip
def test_browser_and_system_from_the_user_agent(agent, name, system):
    assert browser(agent) == name and operating_system(agent) == system


def test_the_letter_view_loads_only_what_it_was_given(qtbot):
    html = '<p>Hi<img height="1" width="1"><img src="cid:logo@x"><img src="file:///etc/passwd"></p>'
    assert hidden_remote_images(html) == 1 and remote_image_urls(html) == []
    view = LetterBrowser()
    qtbot.addWidget(view)
    view.setHtml(html)
    image = view.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl("file:///etc/passwd"))
    assert image.width() == 1  # an empty placeholder, never the file
    assert view.loadResource(QTextDocument.ResourceType.StyleSheetResource.value, QUrl("https://x/s.css")).isEmpty()
    assert "file:///etc/passwd" in view.asked


def test_envelope_names_the_wrong_field(qtbot):
    envelope = MailEnvelope()
    qtbot.addWidget(envelope)
    envelope.to.setText("")
    with pytest.raises(ValueError, match="at least one address"):
        envelope.mail()
    envelope.to.setText("anna@x.ua")
    envelope.cc.setText("petro at x")
    with pytest.raises(ValueError, match="petro at x"):
        envelope.mail()
    envelope.cc.setText("petro@x.ua")
    envelope.subject.setText("  Re:   Card  ")
    assert envelope.mail() == {"to": ["anna@x.ua"], "cc": ["petro@x.ua"], "subject": "Re: Card"}
