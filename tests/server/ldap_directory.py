"""A real OpenLDAP directory for the sign-in tests: Debian's slapd, unprivileged, on free loopback ports.

The directory has its own slapd.conf, database and certificates (a throw-away corporate CA and a server certificate for
127.0.0.1) in a temporary folder; it listens on ldap:// (StartTLS offered) and ldaps://. Besides OpenLDAP's own
people (``uid``) it holds Active Directory-shaped entries (``sAMAccountName``, ``userAccountControl``, ``memberOf``,
with AD's attribute definitions), so both lookups are exercised against a real server.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.helpers import free_port

SUFFIX = "dc=example,dc=org"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PW = "root-secret-pw"
SERVICE_DN = f"cn=omnidesk,ou=services,{SUFFIX}"
SERVICE_PW = "service-secret-pw"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"

SLAPD = "/usr/sbin/slapd"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(folder: Path, cn: str) -> tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    path = folder / f"{cn.replace(' ', '_')}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path, key, cert


def make_server_cert(folder: Path, ca_key, ca_cert) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


# The three Active Directory attributes OmniDesk reads, with AD's own OIDs and matching rules, on an auxiliary class.
AD_SCHEMA = """
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
    EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
    SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
    EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.2.102 NAME 'memberOf'
    EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )
objectclass ( 1.3.6.1.4.1.4203.666.11.99.1 NAME 'omnideskTestAdUser' AUXILIARY
    MAY ( sAMAccountName $ userAccountControl $ memberOf ) )
"""

SEED = f"""
dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example Bank
dc: example

dn: ou=services,{SUFFIX}
objectClass: organizationalUnit
ou: services

dn: {SERVICE_DN}
objectClass: person
cn: omnidesk
sn: service
userPassword: {SERVICE_PW}

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: {GROUPS}
objectClass: organizationalUnit
ou: groups

dn: uid=oksana,{PEOPLE}
objectClass: inetOrgPerson
uid: oksana
cn: Оксана Петренко
sn: Петренко
displayName: Оксана Петренко
mail: oksana@example.org
userPassword: oksana-directory-pw

dn: uid=boss,{PEOPLE}
objectClass: inetOrgPerson
uid: boss
cn: Boss Admin
sn: Admin
userPassword: boss-directory-pw

dn: uid=nogroup,{PEOPLE}
objectClass: inetOrgPerson
uid: nogroup
cn: No Group
sn: Group
userPassword: nogroup-directory-pw

dn: uid=leaver,{PEOPLE}
objectClass: inetOrgPerson
uid: leaver
cn: Leaving Soon
sn: Soon
userPassword: leaver-directory-pw

dn: cn=ivan.koval,{PEOPLE}
objectClass: inetOrgPerson
objectClass: omnideskTestAdUser
cn: ivan.koval
sn: Koval
sAMAccountName: ivan.koval
displayName: Ivan Koval
userAccountControl: 512
memberOf: cn=desk-billing,{GROUPS}
userPassword: ivan-directory-pw

dn: cn=petro.locked,{PEOPLE}
objectClass: inetOrgPerson
objectClass: omnideskTestAdUser
cn: petro.locked
sn: Locked
sAMAccountName: petro.locked
displayName: Petro Locked
userAccountControl: 514
memberOf: cn=desk-operators,{GROUPS}
userPassword: petro-directory-pw

dn: cn=desk-operators,{GROUPS}
objectClass: groupOfNames
cn: desk-operators
member: uid=oksana,{PEOPLE}
member: uid=leaver,{PEOPLE}

dn: cn=desk-billing,{GROUPS}
objectClass: groupOfNames
cn: desk-billing
member: uid=oksana,{PEOPLE}

dn: cn=desk-admins,{GROUPS}
objectClass: groupOfNames
cn: desk-admins
member: uid=boss,{PEOPLE}
"""


@dataclass
class Directory:
    folder: Path
    ldap_port: int
    ldaps_port: int
    ca_file: Path
    other_ca_file: Path
    process: subprocess.Popen | None = None

    @property
    def ldap_url(self) -> str:
        return f"ldap://127.0.0.1:{self.ldap_port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.ldaps_port}"

    def ldif(self, tool: str, text: str) -> None:
        """Apply ``text`` with ``ldapadd``/``ldapmodify``/``ldapdelete`` as the directory's root."""
        cmd = [f"/usr/bin/{tool}", "-x", "-H", self.ldap_url, "-D", ROOT_DN, "-w", ROOT_PW]
        if tool == "ldapdelete":
            cmd += text.split("\n")
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        else:
            run = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=30)
        if run.returncode != 0:
            raise RuntimeError(f"{tool} failed: {run.stderr}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_directory() -> Directory:
    # Not under pytest's tmp_path: slapd drops to the openldap user, who must be able to reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="omnidesk-slapd-", dir="/tmp"))
    os.chmod(folder, 0o755)
    ca_file, ca_key, ca_cert = make_ca(folder, "Example Bank Root CA")
    other_ca_file, _, _ = make_ca(folder, "Some Other CA")
    cert, key = make_server_cert(folder, ca_key, ca_cert)
    (folder / "db").mkdir()
    schema = folder / "ad-user.schema"
    schema.write_text(AD_SCHEMA)
    conf = folder / "slapd.conf"
    conf.write_text(
        f"""
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
include {schema}
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile {ca_file}
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
database mdb
maxsize 104857600
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PW}
directory {folder}/db
access to attrs=userPassword by self write by anonymous auth by * none
access to * by dn.exact="{SERVICE_DN}" read by self read by * none
"""
    )
    privileged = os.geteuid() == 0
    if privileged:
        shutil.chown(folder, "openldap", "openldap")
        for path in folder.rglob("*"):
            shutil.chown(path, "openldap", "openldap")
    ldap_port, ldaps_port = free_port(), free_port()
    cmd = [SLAPD, "-d", "0", "-f", str(conf), "-h", f"ldap://127.0.0.1:{ldap_port}/ ldaps://127.0.0.1:{ldaps_port}/"]
    if privileged:
        cmd += ["-u", "openldap", "-g", "openldap"]
    directory = Directory(folder, ldap_port, ldaps_port, ca_file, other_ca_file)
    directory.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        probe = subprocess.run(
            ["/usr/bin/ldapwhoami", "-x", "-H", directory.ldap_url, "-D", ROOT_DN, "-w", ROOT_PW],
            capture_output=True,
            timeout=10,
        )
        if probe.returncode == 0:
            break
        if directory.process.poll() is not None or time.monotonic() > deadline:
            err = directory.process.stderr.read().decode() if directory.process.poll() is not None else ""
            directory.stop()
            raise RuntimeError(f"slapd did not start: {err}")
        time.sleep(0.1)
    directory.ldif("ldapadd", SEED)
    return directory
