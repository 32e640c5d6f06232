#!/usr/bin/env python3
"""Ask a real Dovecot for the ENVELOPE, BODYSTRUCTURE and BODY of the test
messages in messages/, and print them as the Rust constants tests/mime.rs
holds (the recorded strings are the fixture; CI does not run this).

Needs Debian's Dovecot (`apt-get install -y dovecot-imapd`) and root: it
writes a minimal configuration (IMAP on 127.0.0.1, no TLS, a static user
with a Maildir) into a temporary directory, starts Dovecot in the
foreground, APPENDs each message with imaplib, FETCHes
(ENVELOPE BODYSTRUCTURE BODY), stops Dovecot and removes the directory.

    sudo python3 crates/imap-proto/tests/dovecot/regenerate.py > /tmp/fixtures.rs
"""

import imaplib
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
PORT = 14300
USER, PASSWORD = "fixture", "fixture"


# Dovecot does not give mail to root: the mailbox belongs to `nobody`.
MAIL_UID, MAIL_GID = 65534, 65534


def config(root: pathlib.Path) -> str:
    uid, gid = MAIL_UID, MAIL_GID
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 0
first_valid_gid = 0
default_login_user = {os.environ.get("DOVECOT_LOGIN_USER", "dovenull")}
default_internal_user = {os.environ.get("DOVECOT_INTERNAL_USER", "dovecot")}
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {PORT}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def wait_for_port() -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("Dovecot did not start")


def fetch_all(names):
    imap = imaplib.IMAP4("127.0.0.1", PORT)
    imap.login(USER, PASSWORD)
    imap.select("INBOX")
    results = {}
    for name in names:
        raw = (HERE / "messages" / name).read_bytes()
        typ, data = imap.append("INBOX", None, None, raw)
        assert typ == "OK", (name, data)
        uid = re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1).decode()
        # The raw response: imaplib splits literals into tuples and drops
        # the CRLF after each literal's {n}; put it back.
        typ, data = imap.uid("FETCH", uid, "(ENVELOPE BODYSTRUCTURE BODY)")
        assert typ == "OK", (name, data)
        wire = b""
        for part in data:
            if isinstance(part, tuple):
                wire += part[0] + b"\r\n" + part[1]
            else:
                wire += part
        results[name] = wire
    imap.logout()
    return results


def split_items(wire: bytes):
    """ENVELOPE, BODYSTRUCTURE and BODY values of one FETCH response."""
    items = {}
    # imaplib gives `n (item value ...)`, without `* ` and `FETCH`.
    rest = wire[wire.index(b"(") + 1 :]
    while rest and rest[:1] != b")":
        name, rest = rest.split(b" ", 1)
        end = value_end(rest)
        items[name.decode()] = rest[:end]
        rest = rest[end:].lstrip(b" ")
    return items


def value_end(s: bytes) -> int:
    """Where the parenthesised value (with quoted strings and literals) ends."""
    depth, i = 0, 0
    while i < len(s):
        c = s[i : i + 1]
        if c == b'"':
            i += 1
            while s[i : i + 1] != b'"':
                i += 2 if s[i : i + 1] == b"\\" else 1
        elif c == b"{":
            close = s.index(b"}", i)
            n = int(s[i + 1 : close])
            i = close + 3 + n - 1
        elif c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
            if depth == 0:
                return i + 1
        elif c == b" " and depth == 0:
            return i
        i += 1
    return i


def rust_string(b: bytes) -> str:
    """A Rust string literal of the exact bytes (escaped: rustc would turn
    a raw CRLF in the source into LF)."""
    out = []
    for c in b.decode("utf-8"):
        out.append({"\\": "\\\\", '"': '\\"', "\r": "\\r", "\n": "\\n"}.get(c, c))
    return '"' + "".join(out) + '"'



def main() -> None:
    names = sorted(p.name for p in (HERE / "messages").glob("*.eml"))
    root = pathlib.Path(tempfile.mkdtemp(prefix="dovecot-fixture-"))
    try:
        for d in ("run", "state", "home"):
            (root / d).mkdir()
        root.chmod(0o755)
        os.chown(root / "home", MAIL_UID, MAIL_GID)
        conf = root / "dovecot.conf"
        conf.write_text(config(root))
        server = subprocess.Popen(["dovecot", "-F", "-c", str(conf)])
        try:
            wait_for_port()
            results = fetch_all(names)
        except Exception:
            time.sleep(0.5)
            sys.stderr.write((root / "dovecot.log").read_text())
            raise
        finally:
            server.terminate()
            server.wait(timeout=10)
        version = subprocess.run(
            ["dovecot", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"// Recorded from Dovecot {version} by tests/dovecot/regenerate.py.")
    for name in names:
        items = split_items(results[name])
        stem = name.removesuffix(".eml").upper()
        for item in ("ENVELOPE", "BODYSTRUCTURE", "BODY"):
            print(f"const {stem}_{item}: &str = {rust_string(items[item])};")


if __name__ == "__main__":
    sys.exit(main())
