#!/usr/bin/env python3
"""Ask a real Dovecot how it answers FETCH and SEARCH on the messages in
messages/, and write its exact responses to transcript.bin, the fixture
that the unit tests of src/imap/fetch.rs and src/imap/search.rs replay
(CI does not run this; the recorded bytes are the reference).

Needs Debian's Dovecot (`apt-get install -y dovecot-imapd`) and root. It
writes a minimal configuration (IMAP on 127.0.0.1, no TLS, a static user
with a Maildir, TZ=UTC) into a temporary directory, starts Dovecot in the
foreground, APPENDs each message with the flags and internal date of
MESSAGES below, EXAMINEs INBOX (read-only, so no FETCH sets \\Seen), sends
each command of COMMANDS and records the response bytes up to and with the
tagged completion.

    sudo python3 crates/mail-server/tests/dovecot_imap/record.py

transcript.bin holds records of the form

    C <command>\\n
    S <n>\\n
    <n octets of response>\\n
"""

import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
PROTO = HERE.parent.parent.parent / "imap-proto" / "tests" / "dovecot" / "messages"
PORT = 14301
USER, PASSWORD = "fixture", "fixture"
MAIL_UID, MAIL_GID = 65534, 65534

# UID order: (file, flags, internal date). Dates in +0000: Dovecot keeps the
# instant and shows it in the server's zone, here UTC.
MESSAGES = [
    ("sections.eml", r"\Seen", "01-Feb-1994 00:00:00 +0000"),
    ("binary.eml", r"\Answered \Flagged", "31-Jan-1994 23:59:59 +0000"),
    ("headers.eml", r"\Deleted $Forwarded", "02-Feb-1994 12:00:00 +0000"),
    ("noblank.eml", r"\Draft", "03-Feb-1994 00:00:00 +0000"),
    ("single.eml", r"\Seen \Answered", "04-Jan-2024 00:00:00 +0000"),
    ("encoded_subject.eml", r"Work", "05-Jan-2024 08:00:00 +0000"),
    ("proto:nested_rfc822.eml", r"", "06-Apr-2024 12:00:00 +0000"),
    ("proto:mixed_attachments.eml", r"\Seen", "07-Apr-2024 12:00:00 +0000"),
    ("proto:encoded_words.eml", r"", "21-Sep-2009 10:00:00 +0000"),
    ("proto:not_mime.eml", r"", "22-Sep-2009 10:00:00 +0000"),
]

SECTIONS = [
    "[]", "[HEADER]", "[TEXT]", "[1]", "[1.MIME]", "[2]", "[2.MIME]", "[3]",
    "[3.MIME]", "[3.HEADER]", "[3.TEXT]", "[3.1]", "[3.2]", "[3.1.MIME]",
    "[4]", "[4.MIME]", "[4.1]", "[4.1.MIME]", "[4.2]", "[4.2.HEADER]",
    "[4.2.TEXT]", "[4.2.MIME]", "[4.2.1]", "[4.2.2]", "[4.2.2.1]",
    "[4.2.2.2]", "[4.2.2.2.MIME]", "[5]", "[1.1]", "[3.3]", "[4.2.3]",
    "[1.HEADER]", "[1.TEXT]", "[4.TEXT]", "[4.HEADER]", "[3.1.HEADER]",
    "[HEADER.FIELDS (SUBJECT FROM)]", "[HEADER.FIELDS.NOT (SUBJECT FROM)]",
    "[3.HEADER.FIELDS (subject)]", "[4.2.HEADER.FIELDS.NOT (FROM)]",
    "[HEADER.FIELDS (X-NOT-THERE)]", "[3.HEADER.FIELDS (CONTENT-TYPE)]",
]

PARTIALS = [
    "[]<0.10>", "[]<5.10>", "[]<1000.10>", "[]<0.100000>", "[]<1320.5>",
    "[]<1321.5>", "[]<1322.5>", "[TEXT]<3.4>", "[1]<0.4>", "[1]<12.10>",
    "[1]<13.1>", "[HEADER.FIELDS (FROM)]<2.5>", "[4.2.2.1]<5.4>",
]


def fetch_commands():
    cmds = []
    for s in SECTIONS + PARTIALS:
        cmds.append(f"UID FETCH 1 (BODY.PEEK{s})")
    for uid in range(1, len(MESSAGES) + 1):
        cmds.append(f"UID FETCH {uid} (UID FLAGS INTERNALDATE RFC822.SIZE)")
        cmds.append(f"UID FETCH {uid} (RFC822.HEADER RFC822.TEXT)")
        cmds.append(f"UID FETCH {uid} (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[TEXT] BODY.PEEK[2])")
        cmds.append(f"UID FETCH {uid} (BODY.PEEK[HEADER.FIELDS (from to subject date)] BODY.PEEK[HEADER.FIELDS.NOT (FROM TO)])")
        if uid != 10:
            # not_mime.eml's "base64" body is not base64: Dovecot drops the
            # connection ("Base64 data ends prematurely").
            cmds.append(f"UID FETCH {uid} (BINARY.SIZE[1] BINARY.PEEK[1])")
        cmds.append(f"UID FETCH {uid} (BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[2.1] BODY.PEEK[2.2] BODY.PEEK[2.2.MIME])")
    # headers.eml: duplicates, case and folding.
    cmds += [
        "UID FETCH 3 (BODY.PEEK[HEADER.FIELDS (X-DUP TO)])",
        "UID FETCH 3 (BODY.PEEK[HEADER.FIELDS (Subject)])",
        "UID FETCH 3 (BODY.PEEK[HEADER.FIELDS.NOT (X-DUP RECEIVED)])",
        "UID FETCH 4 (BODY.PEEK[HEADER] BODY.PEEK[TEXT] BODY.PEEK[1] BODY.PEEK[HEADER.FIELDS (FROM)])",
        "UID FETCH 4 (BODY.PEEK[1.MIME] BINARY.PEEK[1] BINARY.SIZE[1])",
    ]
    # binary.eml: BINARY of each encoding, partials of decoded data.
    for p in range(1, 6):
        cmds.append(f"UID FETCH 2 (BINARY.SIZE[{p}])")
        cmds.append(f"UID FETCH 2 (BINARY.PEEK[{p}])")
        cmds.append(f"UID FETCH 2 (BODY.PEEK[{p}] BODY.PEEK[{p}.MIME])")
    cmds += [
        "UID FETCH 2 (BINARY.PEEK[2]<2.5>)",
        "UID FETCH 2 (BINARY.PEEK[1]<0.4>)",
        "UID FETCH 2 (BINARY.PEEK[1]<100.4>)",
        "UID FETCH 2 (BINARY.PEEK[])",
        "UID FETCH 2 (BINARY.SIZE[])",
        "UID FETCH 2 (BINARY.PEEK[6])",
        "UID FETCH 2 (BINARY.SIZE[6])",
        "UID FETCH 1 (BINARY.PEEK[3])",
        "UID FETCH 1 (BINARY.PEEK[4])",
        "UID FETCH 1 (BINARY.SIZE[3])",
        "UID FETCH 1 (BINARY.PEEK[2] BINARY.SIZE[2])",
        "UID FETCH 1 (BINARY.PEEK[3.1])",
        "UID FETCH 8 (BINARY.PEEK[2] BINARY.SIZE[3])",
        "UID FETCH 5 (BINARY.PEEK[1] BINARY.SIZE[1] BINARY.PEEK[])",
        "UID FETCH 6 (BINARY.PEEK[1] BINARY.SIZE[1])",
        "UID FETCH 1:* (RFC822.SIZE)",
        "UID FETCH 5 (RFC822)",
        "UID FETCH 3 (BODY.PEEK[HEADER.FIELDS (X-DUP)]<0.10>)",
        "UID FETCH 1 (BODY.PEEK[3.1]<0.0>)",
    ]
    return cmds


def search_commands():
    keys = [
        "ALL", "ANSWERED", "UNANSWERED", "DELETED", "UNDELETED", "DRAFT",
        "UNDRAFT", "FLAGGED", "UNFLAGGED", "SEEN", "UNSEEN", "KEYWORD $Forwarded",
        "KEYWORD $forwarded", "UNKEYWORD Work", "KEYWORD \\Seen", "KEYWORD nosuch",
        "BEFORE 1-Feb-1994", "ON 1-Feb-1994", "SINCE 1-Feb-1994",
        "ON 31-Jan-1994", "BEFORE 2-Feb-1994", "SINCE 4-Jan-2024",
        "SENTBEFORE 3-Jan-2024", "SENTON 3-Jan-2024", "SENTSINCE 3-Jan-2024",
        "SENTON 7-Feb-1994", "SENTON 8-Feb-1994", "SENTSINCE 5-Apr-2024",
        "LARGER 600", "SMALLER 300", "LARGER 42", "SMALLER 42",
        "FROM example.org", "FROM jürgen", "FROM JÜRGEN", "FROM müller", "FROM \"Fred Foobar\"",
        "FROM andré", "FROM pirard", "FROM Alice", "TO team", "TO mooch", "CC carol",
        "BCC dave", "BCC carol", "CC undisclosed",
        "SUBJECT übersicht", "SUBJECT Übersicht", "SUBJECT \"understand the example\"",
        "SUBJECT \"folded subject\"", "SUBJECT \"folded  subject\"", "SUBJECT lunch", "SUBJECT \"\"",
        "HEADER X-Dup second", "HEADER x-dup \"\"", "HEADER Message-ID <1234@example.org>",
        "HEADER Content-Type multipart", "HEADER Subject \"Fwd: Fwd\"",
        "HEADER From jürgen", "HEADER Received \"from a\"",
        "BODY \"Part 3.1\"", "BODY \"part 3.2 bytes\"", "BODY \"Part 4.2.2.2\"",
        "BODY café", "BODY CAFÉ", "BODY \"soft line break\"", "BODY grüße", "BODY köln",
        "BODY zürich", "BODY \"base64 world\"", "BODY \"Lunch at noon\"",
        "BODY \"line two\"", "BODY \"Fred\"", "BODY \"Top prologue\"", "BODY \"Body line\"",
        "BODY été", "BODY \"bin\"", "BODY \"JVBERi0\"", "BODY \"Hi Bob\"", "BODY andré",
        "TEXT \"Fred\"", "TEXT \"afternoon\"", "TEXT \"Part 3.1\"", "TEXT \"inner3\"",
        "TEXT \"x-dup\"", "TEXT \"no body\"", "TEXT übersicht", "TEXT \"lunch\"",
        "UID 2:4", "UID 4:2", "UID *", "UID 3,5:*", "UID 100", "UID 9:*",
        "2:4", "*", "4:*", "*:9", "1,3,100",
        "OR SEEN FLAGGED", "NOT SEEN", "NOT NOT SEEN", "OR (SEEN ANSWERED) DRAFT",
        "(OR SEEN DRAFT) (OR FLAGGED DELETED)", "NOT (SEEN ANSWERED)",
        "OR OR SEEN DRAFT OR DELETED FLAGGED", "SEEN ANSWERED", "NOT OR SEEN DELETED",
        "OR BODY café SUBJECT lunch", "NOT BODY grüße", "NEW", "OLD", "RECENT",
        "CHARSET UTF-8 BODY grüße", "CHARSET US-ASCII BODY caf", "CHARSET KOI8-R BODY x",
        "CHARSET ISO-8859-1 BODY caf", "CHARSET BOGUS-CHARSET ALL",
    ]
    return [f"SEARCH {k}" for k in keys] + [f"UID SEARCH {k}" for k in ("ALL", "SEEN", "2:4", "UID 2:4")]


def config(root: pathlib.Path) -> str:
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
import_environment = TZ
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={MAIL_UID} gid={MAIL_GID} home={root}/home/%u
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


class Conn:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", PORT))
        self.buf = b""
        self.n = 0
        self.line()  # greeting

    def fill(self):
        data = self.s.recv(65536)
        if not data:
            raise SystemExit("connection closed")
        self.buf += data

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            self.fill()
        i = self.buf.index(b"\r\n") + 2
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def take(self, n: int) -> bytes:
        while len(self.buf) < n:
            self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def command(self, text: bytes, literals=()) -> bytes:
        """Sends `text`, then each literal after a continuation request;
        `text` ends where the first literal goes, and each literal is
        followed by the piece of command after it."""
        self.n += 1
        tag = b"t%d" % self.n
        line = tag + b" " + text
        for literal, after in literals:
            self.s.sendall(line + b" {%d}\r\n" % len(literal))
            cont = self.line()
            assert cont.startswith(b"+"), cont
            line = literal + after
        self.s.sendall(line + b"\r\n")
        out = b""
        while True:
            l = self.line()
            out += l
            # A line ending in {n} or ~{n} announces a literal.
            stripped = l.rstrip(b"\r\n")
            if stripped.endswith(b"}") and b"{" in stripped:
                n = int(stripped[stripped.rindex(b"{") + 1 : -1])
                out += self.take(n)
                continue
            if l.startswith(tag + b" "):
                return out


def wait_for_port() -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("Dovecot did not start")


def record() -> bytes:
    c = Conn()
    c.command(b"LOGIN %s %s" % (USER.encode(), PASSWORD.encode()))
    for name, flags, date in MESSAGES:
        path = PROTO / name[6:] if name.startswith("proto:") else HERE / "messages" / name
        raw = path.read_bytes()
        r = c.command(b'APPEND INBOX (%s) "%s"' % (flags.encode(), date.encode()), [(raw, b"")])
        assert b" OK " in r, (name, r)
    c.command(b"EXAMINE INBOX")
    out = b""
    for cmd in fetch_commands() + search_commands():
        wire = cmd.encode("utf-8")
        # 8-bit search strings go as literals, as clients send them.
        pieces = wire.split(b" ")
        head, literals = [], []
        for p in pieces:
            if any(b >= 0x80 for b in p):
                literals.append([p, b""])
            elif literals:
                literals[-1][1] += b" " + p
            else:
                head.append(p)
        r = c.command(b" ".join(head), literals)
        out += b"C " + wire + b"\n" + b"S %d\n" % len(r) + r + b"\n"
    c.command(b"LOGOUT")
    return out


def main() -> None:
    root = pathlib.Path(tempfile.mkdtemp(prefix="dovecot-imapeng-"))
    try:
        for d in ("run", "state", "home"):
            (root / d).mkdir()
        root.chmod(0o755)
        os.chown(root / "home", MAIL_UID, MAIL_GID)
        conf = root / "dovecot.conf"
        conf.write_text(config(root))
        env = dict(os.environ, TZ="UTC")
        server = subprocess.Popen(["dovecot", "-F", "-c", str(conf)], env=env)
        try:
            wait_for_port()
            transcript = record()
        except BaseException:
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
    (HERE / "transcript.bin").write_bytes(transcript)
    (HERE / "VERSION").write_text(f"Recorded from Dovecot {version} by record.py.\n")


if __name__ == "__main__":
    sys.exit(main())
