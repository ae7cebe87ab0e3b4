"""Real mail servers for the e-mail tests: Debian's dovecot (IMAP + LMTP + SASL) and Debian's postfix, under a tmp dir.

Neither runs as a system service and neither touches /etc: dovecot starts with ``-c <conf>`` (passdb passwd-file,
userdb static, Maildir under the tmp dir, IMAP, LMTP and its auth service on free loopback ports), postfix with
``postfix -c <dir> start`` on its own main.cf and master.cf (its own queue and data directories, loopback only, smtpd
on a free port, log to a file). Postfix is the MTA the help desk sends through: it authenticates the mailbox's login
against dovecot (SASL), refuses an unknown recipient with its own ``550 5.1.1 ... User unknown in virtual mailbox
table``, and delivers every accepted mail to dovecot over LMTP, so a reply lands in the recipient's IMAP mailbox,
where a test reads it like a mail program. A recipient postfix accepts but dovecot has no mailbox for makes postfix
itself send our mailbox a real DSN bounce. Inbound mail "from the outside" is put into a mailbox over LMTP directly
(``MailServers.deliver``), as the receiving MTA's last hop would, so a test can read it at once.

As root, ``postfix -c DIR`` needs no ``alternate_config_directories`` entry in /etc/postfix/main.cf (that check is for
other users). Postfix reports its errors on stderr only when stderr is a terminal, else only to syslog, which this
machine lacks: hence ``maillog_file`` (with ``maillog_file_prefixes``) and the postlog service, and the log's tail in
the error when it does not start.
"""

from __future__ import annotations

import contextlib
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import free_port

DOVECOT = "/usr/sbin/dovecot"
POSTFIX = "/usr/sbin/postfix"
PASSWORD = "mail-secret-1"
DOMAIN = "bank.test"
MAIL_USER = "mail"  # Debian's mail user owns the Maildirs (dovecot refuses uid 0 for mail access)


def _wait_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@dataclass
class MailServers:
    root: Path
    imap_port: int
    lmtp_port: int
    auth_port: int
    smtp_port: int | None
    users: tuple[str, ...]
    postfix: Postfix | None = None

    def maildir(self, user: str) -> Path:
        return self.root / "mail" / user

    def channel_body(self, **extra) -> dict:
        """The admin API's body for a channel on the ``support`` mailbox of these servers."""
        return {
            "name": "Support",
            "address": f"support@{DOMAIN}",
            "username": "support",
            "password": PASSWORD,
            "imap_host": "127.0.0.1",
            "imap_port": self.imap_port,
            "imap_tls": False,
            "smtp_host": "127.0.0.1",
            "smtp_port": self.smtp_port,
            "smtp_security": "none",
            **extra,
        }

    def read_inbox(self, user: str) -> list:
        """Every message in ``user``'s INBOX over IMAP (not marked read), parsed (email.message.EmailMessage)."""
        import email
        import email.policy
        import imaplib

        imap = imaplib.IMAP4("127.0.0.1", self.imap_port)
        imap.login(user, PASSWORD)
        imap.select("INBOX")
        _typ, data = imap.uid("search", None, "ALL")
        found = []
        for uid in data[0].split():
            _typ, parts = imap.uid("fetch", uid, "(BODY.PEEK[])")
            found.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
        imap.logout()
        return found

    def deliver(self, user: str, raw: bytes) -> None:
        """Put one message into ``user``'s INBOX over LMTP, as the MTA would."""
        import smtplib

        with smtplib.LMTP("127.0.0.1", self.lmtp_port) as lmtp:
            lmtp.sendmail("sender@outside.test", [f"{user}@{DOMAIN}"], raw)


def _dovecot_conf(root: Path, imap_port: int, lmtp_port: int, auth_port: int) -> Path:
    (root / "run").mkdir(parents=True, exist_ok=True)
    for d in ("mail", "home"):
        (root / d).mkdir(exist_ok=True)
        shutil.chown(root / d, MAIL_USER, MAIL_USER)
    conf = root / "dovecot.conf"
    conf.write_text(
        f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%n
mail_uid = {MAIL_USER}
mail_gid = {MAIL_USER}
first_valid_uid = 1
first_valid_gid = 1
default_internal_user = root
default_login_user = dovenull
lmtp_save_to_detail_mailbox = no
recipient_delimiter =
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {root}/users
}}
# Only the listed users have a mailbox: LMTP refuses any other recipient (550 5.1.1), as a real mail store does.
userdb {{
  driver = passwd-file
  args = username_format=%n {root}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
  unix_listener lmtp {{
    mode = 0666
  }}
}}
# The tmp dir is private to the test's user: the auth processes read the passwd-file as that user.
# Postfix's smtpd asks this listener whether a SASL login is good (smtpd_sasl_type = dovecot).
service auth {{
  user = $default_internal_user
  inet_listener {{
    address = 127.0.0.1
    port = {auth_port}
  }}
}}
service auth-worker {{
  user = root
}}
protocol imap {{
  mail_max_userip_connections = 200
}}
"""
    )
    return conf


def start(root: Path, users: tuple[str, ...] = ("support", "customer", "other")):
    """Start dovecot; return the servers and a stop function."""
    root.mkdir(parents=True, exist_ok=True)
    imap_port, lmtp_port, auth_port = free_port(), free_port(), free_port()
    mail = pwd.getpwnam(MAIL_USER)
    (root / "users").write_text(  # passwd-file: user:password:uid:gid:gecos:home:shell:extra
        "".join(f"{u}:{{PLAIN}}{PASSWORD}:{mail.pw_uid}:{mail.pw_gid}::{root}/home/{u}::\n" for u in users)
    )
    conf = _dovecot_conf(root, imap_port, lmtp_port, auth_port)
    subprocess.run(
        [DOVECOT, "-c", str(conf)],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=20,
    )
    _wait_port(imap_port)
    _wait_port(lmtp_port)
    _wait_port(auth_port)
    smtp_port = None

    def stop() -> None:
        subprocess.run(
            [DOVECOT, "-c", str(conf), "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )

    return MailServers(root, imap_port, lmtp_port, auth_port, smtp_port, users), stop


# Every address of the test domains that has a mailbox; any other is unknown to postfix (550 5.1.1).
RECIPIENT_DOMAINS = (DOMAIN, "customer.test")
# A recipient postfix answers "try later" at RCPT time (an access map, as a site would while a mailbox is migrated).
BUSY = "busy@customer.test"
# A recipient postfix accepts (its virtual mailbox table lists it) that dovecot has no mailbox for: LMTP refuses it
# after the SMTP transaction, so postfix mails the sender a DSN bounce, as when a mailbox was removed from the store.
GONE = "gone@customer.test"

_MASTER_CF = """\
{smtp} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
lmtp      unix  - - n -  - lmtp
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


class Postfix:
    """Debian's postfix on its own configuration directory: the SMTP server the help desk sends through."""

    def __init__(self, servers: MailServers) -> None:
        self.servers = servers
        self.dir = servers.root / "postfix"
        self.conf = self.dir / "conf"
        self.log = self.dir / "maillog"
        self.port = free_port()

    def _write_config(self) -> None:
        d, servers = self.dir, self.servers
        self.conf.mkdir(parents=True, exist_ok=True)
        (d / "queue").mkdir(exist_ok=True)
        (d / "data").mkdir(exist_ok=True)
        shutil.chown(d / "data", "postfix", "postfix")
        mailboxes = [f"{u}@{dom} OK" for u in servers.users for dom in RECIPIENT_DOMAINS] + [f"{GONE} OK"]
        (self.conf / "mailboxes").write_text("\n".join(mailboxes) + "\n")
        (self.conf / "recipient_access").write_text(f"{BUSY} 451 4.3.0 Mailbox temporarily unavailable, try later\n")
        (self.conf / "main.cf").write_text(
            f"""\
compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = {self.log}
maillog_file_prefixes = {d}
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = mx.{DOMAIN}
mydomain = {DOMAIN}
myorigin = $mydomain
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
append_dot_mydomain = no
biff = no
smtpd_banner = $myhostname ESMTP
message_size_limit = 52428800
virtual_mailbox_domains = {" ".join(RECIPIENT_DOMAINS)}
virtual_mailbox_maps = texthash:{self.conf}/mailboxes
virtual_transport = lmtp:inet:127.0.0.1:{servers.lmtp_port}
default_transport = error:5.7.1 this test server delivers to its own domains only
relay_transport = $default_transport
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:{servers.auth_port}
smtpd_tls_security_level = none
smtpd_relay_restrictions = permit_sasl_authenticated, permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access texthash:{self.conf}/recipient_access
"""
        )
        (self.conf / "master.cf").write_text(_MASTER_CF.format(smtp=f"127.0.0.1:{self.port}"))

    def _postfix(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [POSTFIX, "-c", str(self.conf), command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def start(self) -> Postfix:
        self._write_config()
        done = self._postfix("start")
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else "(no log)"
            raise RuntimeError(f"postfix -c {self.conf} start failed ({done.returncode}): {log[-2000:]}")
        _wait_port(self.port)
        self.servers.smtp_port = self.port
        return self

    def stop(self) -> None:
        self._postfix("stop")

    def delivered(self) -> str:
        """Postfix's log: what it accepted, delivered and bounced."""
        return self.log.read_text() if self.log.exists() else ""
