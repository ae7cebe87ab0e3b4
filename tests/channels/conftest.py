"""Channel-test fixtures: the real mail servers (Debian's dovecot and postfix delivering into it), started once."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.channels.server_fixtures import provider_api, telegram, whatsapp  # noqa: F401

# Channel credentials are encrypted at rest. Code that runs without a server's settings (a mailbox read directly)
# uses the default data directory's key file: here a throwaway one, never a developer's. Tests that give their own
# channel_key or data_dir are unaffected (an environment key would override their settings, so none is set).
os.environ.setdefault("OMNIDESK_DATA_DIR", tempfile.mkdtemp(prefix="omnidesk-test-data-"))


@pytest.fixture(scope="session")
def mail_servers(tmp_path_factory):
    from tests.channels import mailservers

    if not Path(mailservers.DOVECOT).exists():
        pytest.skip("Debian's dovecot is not installed (apt-get install dovecot-imapd dovecot-lmtpd)")
    if not Path(mailservers.POSTFIX).exists():
        pytest.skip("Debian's postfix is not installed (apt-get install postfix, 'No configuration': see .ci/run)")
    if os.geteuid() != 0:
        pytest.skip("the dovecot and postfix test instances need root (their processes switch to their own users)")
    # Not under pytest's tmp dir: that is private to root (0700); dovecot's and postfix's processes run as their users.
    root = Path(tempfile.mkdtemp(prefix="omnidesk-mail-"))
    root.chmod(0o755)
    servers, stop = mailservers.start(root)
    try:
        postfix = mailservers.Postfix(servers).start()
    except BaseException:
        stop()
        raise
    servers.postfix = postfix
    yield servers
    postfix.stop()
    stop()
    shutil.rmtree(root, ignore_errors=True)
