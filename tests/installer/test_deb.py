"""The server's Debian package, end to end on this machine: build, install, run, upgrade, remove, purge.

It installs a real package with dpkg (as root), so it runs only when asked: ``OMNIDESK_DEB_TEST=1`` (CI does, through
``.ci/deb-test``). There is no systemd as PID 1 here, so the server is started the way the unit starts it: the unit's
own ExecStart command line, as the ``omnidesk`` user, in its working directory. The unit itself is checked with
``systemd-analyze verify``. PostgreSQL is the one the other tests use (``OMNIDESK_TEST_PG``). When it runs on this
machine, the README's "Installing a server" commands are run as written (role and database ``omnidesk``, the
configuration edited with its ``sed`` line, ``omnidesk db upgrade``, the first admin and channel); the test drops the
role and database at the end. With nginx installed, the packaged site
example is run in front of the installed server with a test CA, and the event stream is read through it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.helpers import PG_ADMIN_URL, free_port

ROOT = Path(__file__).resolve().parents[2]
UNIT = Path("/lib/systemd/system/omnidesk.service")
CONFIG = Path("/etc/omnidesk/omnidesk.toml")
DATA = Path("/var/lib/omnidesk")
PASSWORD = "correct horse battery"

pytestmark = [
    pytest.mark.skipif(os.environ.get("OMNIDESK_DEB_TEST") != "1", reason="installs a package: OMNIDESK_DEB_TEST=1"),
    pytest.mark.timeout(600),
]


# What the installed commands see: this test's own Python settings (PYTHONPATH=checkout) must not leak into them.
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "OMNIDESK_"))}


def run(*cmd: str | Path, check: bool = True, stdin: str | None = None, timeout: float = 300) -> str:
    """Run a command; its output (stdout and stderr together) is returned, and shown when it fails."""
    done = subprocess.run(
        [str(c) for c in cmd], input=stdin, capture_output=True, text=True, timeout=timeout, check=False, env=CLEAN_ENV
    )
    output = done.stdout + done.stderr
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} exited with {done.returncode}:\n{output}")
    return output


def build(version: str, outdir: Path) -> subprocess.Popen:
    """Start installer/build-deb (zstd: the same package as the default xz, built in seconds instead of minutes)."""
    return subprocess.Popen(
        [ROOT / "installer/build-deb", "--version", version, "--output", outdir, "--compress", "zstd"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=CLEAN_ENV,
    )


def built(process: subprocess.Popen) -> Path:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, f"build-deb failed:\n{err}"
    path = Path(out.strip().splitlines()[-1])
    assert path.is_file() and path.suffix == ".deb", out
    return path


def exec_start() -> list[str]:
    line = next(x for x in UNIT.read_text().splitlines() if x.startswith("ExecStart="))
    return line.removeprefix("ExecStart=").split()


def set_config(**values: str) -> None:
    """Set top-level keys in the installed configuration file, as an admin editing it would."""
    text = CONFIG.read_text()
    for key, value in values.items():
        line = f"{key} = {value}"
        text, found = re.subn(rf"(?m)^{key}\s*=.*$", line, text, count=1)
        if not found:
            text += f"\n{line}\n"
    CONFIG.write_text(text)


class InstalledServer:
    """The installed server, started like the unit does (same command line, user, directory)."""

    def __init__(self, log: Path, port: int) -> None:
        self.port = port
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                exec_start(),
                user="omnidesk",
                group="omnidesk",
                extra_groups=[],
                cwd=DATA,
                env={"PATH": "/usr/bin:/bin", "HOME": str(DATA), "LANG": "C.UTF-8"},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 40
        while True:
            with contextlib.suppress(httpx.TransportError):
                answer = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if answer.status_code == 200:
                    self.ready = answer.json()
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the installed server did not become ready:\n{log.read_text()}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        assert "Traceback" not in self.log.read_text(), self.log.read_text()


def login(base: str, **client) -> str:
    answer = httpx.post(f"{base}/api/v1/auth/login", json={"username": "olena", "password": PASSWORD}, **client)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def readme_package_commands() -> list[str]:
    """The commands of the README's "Debian 12, the package" block, one per line, without their comments."""
    text = (ROOT / "README.md").read_text()
    begin = text.index("```sh\n", text.index("**Debian 12, the package**")) + len("```sh\n")
    block = text[begin : text.index("```", begin)].replace("\\\n", " ")
    return [re.sub(r"\s+#\s.*$", "", line).strip() for line in block.splitlines() if line.strip()]


def local_postgres() -> bool:
    """PostgreSQL on this machine as Debian runs it (the README's way), with no omnidesk role or database yet."""
    if urlsplit(PG_ADMIN_URL).hostname not in ("127.0.0.1", "localhost") or not Path("/var/run/postgresql").is_dir():
        return False
    if subprocess.run(["getent", "passwd", "postgres"], capture_output=True).returncode != 0:
        return False
    query = "SELECT count(*) FROM pg_roles WHERE rolname = 'omnidesk'"
    taken = run("runuser", "-u", "postgres", "--", "psql", "-Atc", query, check=False).strip()
    databases = run("runuser", "-u", "postgres", "--", "psql", "-Atl", check=False)
    return taken == "0" and not any(line.split("|")[0] == "omnidesk" for line in databases.splitlines())


@pytest.fixture
def machine():
    """Preconditions, and afterwards the machine as it was: no package, no test user, data, role or database.

    With PostgreSQL on this machine the README's own commands make the role and the database ``omnidesk``;
    otherwise (``OMNIDESK_TEST_PG`` elsewhere) a role and database of a unique name are made over TCP.
    """
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("dpkg-deb"):
        pytest.fail("the package test needs Linux with dpkg, as root")
    if subprocess.run(["dpkg-query", "-W", "omnidesk"], capture_output=True).returncode == 0:
        pytest.fail("an omnidesk package is installed on this machine: the test would replace it")
    if DATA.exists() or CONFIG.exists():
        pytest.fail(f"{DATA} or {CONFIG} exists: the test would use someone's data")
    had_user = subprocess.run(["getent", "passwd", "omnidesk"], capture_output=True).returncode == 0
    admin = urlsplit(PG_ADMIN_URL)
    pg = ["-h", admin.hostname or "127.0.0.1", "-p", str(admin.port or 5432), "-U", admin.username or "postgres"]
    readme = local_postgres()
    name = "omnidesk" if readme else f"omnidesk_deb_{uuid.uuid4().hex[:8]}"
    servers: list[InstalledServer] = []
    try:
        if not readme:
            run("createuser", *pg, name)
            run("createdb", *pg, "--owner", name, name)
        yield {"readme": readme, "database_url": f"postgresql://{name}@{pg[1]}:{pg[3]}/{name}", "servers": servers}
    finally:
        for server in servers:
            with contextlib.suppress(Exception):
                server.stop()
        run("dpkg", "--purge", "omnidesk", check=False)
        shutil.rmtree(DATA, ignore_errors=True)
        if not had_user:
            run("deluser", "--quiet", "omnidesk", check=False)
            run("delgroup", "--quiet", "omnidesk", check=False)
        as_admin = ["runuser", "-u", "postgres", "--"] if readme else []
        connect = [] if readme else pg
        run(*as_admin, "dropdb", *connect, "--if-exists", "--force", name, check=False)
        run(*as_admin, "dropuser", *connect, "--if-exists", name, check=False)


def test_install_run_upgrade_remove_purge(machine, tmp_path):
    started = time.monotonic()
    project = re.search(r'__version__ = "(.+)"', (ROOT / "omnidesk/__init__.py").read_text())[1]
    first, second = f"{project}~ci1", f"{project}~ci2"
    run("dpkg", "--compare-versions", second, "gt", first)
    builder = build(first, tmp_path / "first")
    deb = built(builder)
    upgrade_builder = build(second, tmp_path / "second")  # builds while the first one is tried
    build_seconds = time.monotonic() - started

    # Install: the user, the data folder, the default SQLite database migrated by postinst, the command on PATH.
    out = run("dpkg", "-i", deb)
    assert "database at" in out, out
    assert run("getent", "passwd", "omnidesk").split(":")[5] == str(DATA)
    assert (DATA / "omnidesk.db").stat().st_uid == int(run("id", "-u", "omnidesk"))
    assert oct(CONFIG.stat().st_mode & 0o777) == "0o640"
    assert run("omnidesk", "--version").strip() == f"omnidesk {project}"
    assert shutil.which("omnidesk") == "/usr/bin/omnidesk"

    # The unit: verified by systemd, hardened, and what the test runs.
    if shutil.which("systemd-analyze"):
        verify = run("systemd-analyze", "verify", UNIT)
        assert "omnidesk.service" not in verify, verify
        # systemd's own rating of the confinement (0 = fully confined, 10 = not at all); 1.7 when written
        security = run("systemd-analyze", "security", "--offline=yes", UNIT)
        exposure = float(re.search(r"Overall exposure level for omnidesk.service: ([\d.]+)", security)[1])
        assert exposure <= 2.5, security
    unit = UNIT.read_text()
    for setting in (
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "ReadWritePaths=/var/lib/omnidesk",
        "Restart=on-failure",
        "User=omnidesk",
        "StandardOutput=journal",
    ):
        assert f"\n{setting}\n" in unit, setting
    assert exec_start()[:3] == ["/opt/omnidesk/bin/omnidesk", "--config", str(CONFIG)]

    # Connect PostgreSQL and add the first admin and channel: the README's commands as written (it builds and installs
    # the package as above; there is no systemd to restart here, the server is started below as the unit does).
    commands = readme_package_commands()
    assert commands[0] == "installer/build-deb" and commands[1].startswith(f"apt install ./dist/omnidesk_{project}-1_")
    if machine["readme"]:
        for command in commands[2:]:
            if command.startswith("systemctl "):
                continue
            if command.startswith("omnidesk user add"):  # asks for the password twice on a terminal
                run("sh", "-c", f"{command} --password-stdin", stdin=PASSWORD + "\n")
            else:
                run("sh", "-c", command)
        assert 'database_url = "postgresql://omnidesk@/omnidesk?host=/var/run/postgresql"' in CONFIG.read_text()
    else:
        set_config(database_url=f'"{machine["database_url"]}"')
        assert "database at" in run("omnidesk", "db", "upgrade")
        run("omnidesk", "user", "add", "olena", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    short = subprocess.run(
        ["omnidesk", "user", "add", "x", "--role", "admin", "--password-stdin"],
        input="short\n",
        capture_output=True,
        text=True,
        env=CLEAN_ENV,
    )
    assert short.returncode != 0 and "at least 8 characters" in short.stderr
    port = free_port()
    set_config(port=str(port), heartbeat_interval="1")

    server = InstalledServer(tmp_path / "server-1.log", port)
    machine["servers"].append(server)
    base = f"http://127.0.0.1:{port}"
    login(base)
    if shutil.which("nginx"):
        through_nginx(tmp_path / "nginx", port)
    server.stop()

    # Upgrade to a newer build with a migration to do: postinst migrates, the configuration is kept.
    run("omnidesk", "db", "downgrade", "-1")
    assert "needs upgrade" in run("omnidesk", "db", "current")
    upgrade = built(upgrade_builder)
    out = run("dpkg", "-i", upgrade)
    assert "database at" in out, out
    assert run("dpkg-query", "-W", "-f", "${Version}", "omnidesk") == second
    assert "up to date" in run("omnidesk", "db", "current")
    assert f"port = {port}" in CONFIG.read_text()
    server = InstalledServer(tmp_path / "server-2.log", port)
    machine["servers"].append(server)
    assert server.ready["status"] == "ready"
    login(base)  # the data survived
    server.stop()

    # Remove keeps the data and the configuration; purge removes the configuration, still keeps the data.
    run("dpkg", "-r", "omnidesk")
    assert not Path("/opt/omnidesk").exists() and not Path("/usr/bin/omnidesk").exists()
    assert CONFIG.is_file() and (DATA / "omnidesk.db").is_file()
    assert "config-files" in run("dpkg-query", "-W", "-f", "${Status}", "omnidesk")
    run("dpkg", "--purge", "omnidesk")
    assert not CONFIG.parent.exists()
    assert (DATA / "omnidesk.db").is_file()
    assert not Path("/etc/systemd/system/multi-user.target.wants/omnidesk.service").exists()
    assert not Path("/etc/systemd/system/omnidesk.service").exists()  # the mask set on remove is gone
    print(
        f"\npackage {deb.stat().st_size / 1e6:.1f} MB; first build {build_seconds:.0f} s; "
        f"whole test {time.monotonic() - started:.0f} s"
    )


def through_nginx(folder: Path, port: int) -> None:
    """The packaged nginx site in front of the server: TLS with a certificate from a test CA, the stream unbuffered."""
    folder.mkdir()
    ca_key, ca, key, csr, cert = (folder / n for n in ("ca.key", "ca.crt", "omnidesk.key", "omnidesk.csr", "o.crt"))
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Test Corporate CA",
        "-keyout",
        ca_key,
        "-out",
        ca,
    )
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", key, "-out", csr)
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost\n")
    run(
        "openssl",
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca,
        "-CAkey",
        ca_key,
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        folder / "san.ext",
        "-out",
        cert,
    )
    https, http = free_port(), free_port()
    site = Path("/usr/share/doc/omnidesk/examples/nginx/omnidesk.conf").read_text()
    site = (
        site.replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        .replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
        .replace("listen 80;", f"listen 127.0.0.1:{http};")
        .replace("/etc/ssl/omnidesk/omnidesk.crt", str(cert))
        .replace("/etc/ssl/omnidesk/omnidesk.key", str(key))
        .replace("/etc/ssl/omnidesk/corporate-ca.crt", str(ca))
    )
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    (folder / "site.conf").write_text(site)
    (folder / "nginx.conf").write_text(
        f"user root;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {folder}/body;\n proxy_temp_path {folder}/proxy;\n"
        f" include {folder}/site.conf;\n}}\n"
    )
    conf = ["-p", str(folder), "-c", str(folder / "nginx.conf")]
    run("nginx", "-t", *conf)
    nginx = subprocess.Popen(["nginx", *conf, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        base = f"https://localhost:{https}"
        client = {"verify": ssl.create_default_context(cafile=ca), "timeout": 5}
        deadline = time.monotonic() + 10
        while True:
            try:
                assert httpx.get(f"{base}/readyz", **client).status_code == 200
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and nginx.poll() is None, nginx.stderr.read()
                time.sleep(0.2)
        token = login(base, **client)
        # Heartbeats (every second here) come through as they are sent. The server also asks nginx not to buffer
        # (X-Accel-Buffering: no); the site turns buffering off itself, for proxies in between that drop the header.
        seen: list[str] = []

        def read() -> None:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.stream("GET", f"{base}/api/v1/events", headers=headers, **client) as stream:
                for line in stream.iter_lines():
                    seen.append(line)
                    if line.startswith(": ping") and len([x for x in seen if x.startswith(": ping")]) >= 2:
                        return

        reader = threading.Thread(target=read, daemon=True)
        begun = time.monotonic()
        reader.start()
        reader.join(timeout=6)
        assert not reader.is_alive(), f"no heartbeats through nginx within 6 s; got {seen}"
        assert time.monotonic() - begun < 6
        assert httpx.get(f"http://127.0.0.1:{http}/readyz", timeout=5).status_code == 301
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
