"""Python's imaplib against the server, one case per subcommand.

Run by the Rust tests in tests/imaplib.rs as
    python3 imaplib_client.py CASE HOST PORT USER PASSWORD [ARGS...]
Each case prints one `key: value` line per observation; the Rust side
compares them with what the RFCs and Dovecot say.
"""

import imaplib
import smtplib
import socket
import ssl
import sys
import time
import zlib

imaplib.Commands.setdefault("ID", ("NONAUTH", "AUTH", "SELECTED"))
imaplib.Commands.setdefault("IDLE", ("AUTH", "SELECTED"))


def show(key, value):
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if isinstance(value, (list, tuple)):
        value = " | ".join(
            v.decode("latin-1") if isinstance(v, bytes) else repr(v) for v in value
        )
    print(f"{key}: {value}", flush=True)


def untagged(m, name):
    """Pops and shows the untagged responses `name` of the last command."""
    return m.untagged_responses.pop(name, [])


def login(host, port, user, password):
    m = imaplib.IMAP4(host, port, timeout=30)
    m.login(user, password)
    return m


def case_session(host, port, user, password):
    """Every command family, sequence-number and UID forms."""
    m = imaplib.IMAP4(host, port, timeout=30)
    show("welcome", m.welcome)
    show("capabilities", " ".join(m.capabilities))
    show("id", m.xatom("ID", '("name" "imaplib")'))
    show("id-data", untagged(m, "ID"))
    show("login", m.login(user, password))
    show("capabilities-after", " ".join(m.capabilities))
    typ, data = m.namespace()
    show("namespace", data)
    show("list", m.list()[1])
    show("list-special", m.list('""', "%")[1])
    show("create", m.create("Work/2024"))
    show("create-again", m.create("Work/2024"))
    show("create-inbox", m.create("inbox"))
    show("subscribe", m.subscribe("Work/2024"))
    show("lsub", m.lsub()[1])
    show("list-work", m.list("Work/", "%")[1])
    show("list-children", m.list('""', "Work")[1])
    show("rename", m.rename("Work/2024", "Work/2025"))
    show("list-renamed", m.list('""', "Work*")[1])
    show("status-empty", m.status("Work/2025", "(MESSAGES UIDNEXT UNSEEN)")[1])
    show("delete-parent", m.delete("Work"))
    show("delete", m.delete("Work/2025"))
    show("delete-missing", m.delete("Nowhere"))
    show("unsubscribe", m.unsubscribe("Work/2024"))

    show("select", m.select("INBOX"))
    for key in ("FLAGS", "PERMANENTFLAGS", "EXISTS", "RECENT", "UIDVALIDITY", "UIDNEXT", "UNSEEN", "HIGHESTMODSEQ"):
        show(f"select-{key.lower()}", untagged(m, key))
    msg = b"From: Carol <carol@example.org>\r\nSubject: appended\r\n\r\nAppended by imaplib.\r\n"
    date = imaplib.Time2Internaldate(1_700_000_000)
    show("append", m.append("INBOX", r"(\Flagged $Work)", date, msg))
    show("append-exists", untagged(m, "EXISTS"))
    show("append-missing", m.append("Nowhere", None, None, msg))
    show("fetch-flags", m.fetch("1:*", "(FLAGS)")[1])
    show("uid-fetch", m.uid("FETCH", "1:*", "(FLAGS INTERNALDATE RFC822.SIZE)")[1])
    typ, data = m.fetch("3", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY[TEXT])")
    show("fetch-sections", repr(data))
    show("fetch-seen", m.fetch("3", "(FLAGS)")[1])
    show("search-all", m.search(None, "ALL")[1])
    show("search-flagged", m.search(None, "FLAGGED")[1])
    show("search-subject", m.search(None, "SUBJECT", '"appended"')[1])
    show("search-body", m.search(None, "BODY", "imaplib")[1])
    show("search-or", m.search(None, "OR", "FLAGGED", "SUBJECT", "first")[1])
    show("search-charset", m.search("UTF-8", "ALL")[1])
    show("search-badcharset", m.search("X-NOPE", "ALL"))
    show("uid-search", m.uid("SEARCH", "UNSEEN")[1])
    show("store", m.store("1", "+FLAGS", r"(\Answered)")[1])
    show("store-silent", m.store("1", "-FLAGS.SILENT", r"(\Answered)")[1])
    show("uid-store", m.uid("STORE", "2", "FLAGS", r"(\Draft)")[1])
    show("keyword", m.store("2", "+FLAGS", "($Label1)")[1])
    show("copy", m.copy("1:2", "Archive"))
    show("uid-copy", m._simple_command("UID", "COPY", "3", "Archive"))
    show("copy-missing", m.copy("1", "Nowhere"))
    show("move", m._simple_command("MOVE", "1", "Trash"))
    show("move-untagged", untagged(m, "OK"))
    show("move-expunge", untagged(m, "EXPUNGE"))
    show("uid-move", m._simple_command("UID", "MOVE", "2", "Junk"))
    show("uid-move-untagged", untagged(m, "OK"))
    show("uid-move-expunge", untagged(m, "EXPUNGE"))
    show("after-move", m.fetch("1:*", "(UID)")[1])
    show("status-archive", m.status("Archive", "(MESSAGES UIDNEXT UNSEEN SIZE)")[1])
    show("store-deleted", m.store("1", "+FLAGS.SILENT", r"(\Deleted)"))
    show("expunge", m.expunge())
    show("check", m.check())
    show("noop", m.noop())

    show("select-archive", m.select("Archive"))
    show("archive-uids", m.fetch("1:*", "(UID FLAGS)")[1])
    show("uid-store-deleted", m._simple_command("UID", "STORE", "1:2", "+FLAGS.SILENT", r"(\Deleted)"))
    show("uid-expunge", m._simple_command("UID", "EXPUNGE", "1"))
    show("uid-expunge-data", untagged(m, "EXPUNGE"))
    show("close", m.close())
    show("examine", m.select("Archive", readonly=True))
    show("examine-store", m.store("1", "+FLAGS", r"(\Seen)"))
    show("unselect", m._simple_command("UNSELECT"))
    show("status-after-close", m.status("Archive", "(MESSAGES DELETED)")[1])
    show("logout", m.logout())


def case_fetch(host, port, user, password, outdir):
    """A big message fetched whole and in partial ranges, each to a file."""
    m = login(host, port, user, password)
    m.select("INBOX", readonly=True)
    typ, data = m.fetch("1", "(RFC822.SIZE)")
    show("size", data[0])
    typ, data = m.fetch("1", "(BODY.PEEK[])")
    show("whole-head", data[0][0])
    open(f"{outdir}/whole", "wb").write(data[0][1])
    for origin, length in ((0, 1000), (1_000_000, 65536), (5_000_000, 1_000_000), (50_000_000, 10)):
        typ, data = m.fetch("1", f"(BODY.PEEK[]<{origin}.{length}>)")
        show("partial-head", data[0][0])
        open(f"{outdir}/partial-{origin}", "wb").write(data[0][1])
    typ, data = m.uid("FETCH", "1:*", "(BODY.PEEK[TEXT]<2.5>)")
    show("text-partial", data[0][0] + b" " + data[0][1])
    m.logout()


def case_idle_smtp(host, port, user, password, smtp_port, rcpt):
    """IDLE, then a message over SMTP from here: how long until EXISTS."""
    m = login(host, port, user, password)
    typ, data = m.select("INBOX")
    show("exists-before", data)
    tag = m._new_tag()
    m.send(tag + b" IDLE\r\n")
    show("continuation", m.readline().rstrip())
    s = smtplib.SMTP(host, int(smtp_port), timeout=30)
    s.sendmail("bob@example.org", [rcpt], b"Subject: wake up\r\n\r\nNew mail.\r\n")
    sent = time.monotonic()
    s.quit()
    m.sock.settimeout(5)
    lines = []
    while True:
        line = m.readline().rstrip()
        lines.append(line)
        if line.endswith(b"EXISTS"):
            break
    show("woken-ms", int((time.monotonic() - sent) * 1000))
    show("idle-lines", lines)
    m.send(b"DONE\r\n")
    show("done", read_until(m, lambda l: l.startswith(tag)))
    m.logout()


def idle(m):
    """Sends IDLE and reads its continuation; returns the tag."""
    tag = m._new_tag()
    m.send(tag + b" IDLE\r\n")
    cont = m.readline()
    assert cont.startswith(b"+"), cont
    return tag


def read_until(m, predicate, limit=5.0):
    """The lines read until one matches `predicate`, imaplib's random tag
    prefix shown as TAG."""
    m.sock.settimeout(limit)
    lines = []
    while True:
        line = m.readline().rstrip()
        shown = line
        if line[:1] not in (b"*", b"+"):
            shown = b"TAG" + line[line.index(b" "):] if b" " in line else line
        lines.append(shown)
        if predicate(line):
            return lines


def case_two_sessions(host, port, user, password):
    """Two sessions on one INBOX see each other's flag changes and
    expunges, by NOOP and in IDLE."""
    a = login(host, port, user, password)
    b = login(host, port, user, password)
    show("a-select", a.select("INBOX")[1])
    show("b-select", b.select("INBOX")[1])
    a.store("1", "+FLAGS", r"(\Flagged)")
    b.noop()
    show("b-noop-fetch", untagged(b, "FETCH"))
    a.store("2", "+FLAGS.SILENT", r"(\Deleted)")
    show("a-expunge", a.expunge()[1])
    b.noop()
    show("b-noop-expunge", untagged(b, "EXPUNGE"))
    show("b-after", b.fetch("1:*", "(UID FLAGS)")[1])

    # B idles; A changes a flag, then expunges: B hears both at once.
    tag = idle(b)
    start = time.monotonic()
    a.store("1", "+FLAGS", r"(\Seen)")
    lines = read_until(b, lambda l: b"FETCH" in l)
    show("idle-flag-ms", int((time.monotonic() - start) * 1000))
    show("idle-flag", lines)
    start = time.monotonic()
    a.store("1", "+FLAGS.SILENT", r"(\Deleted)")
    a.expunge()
    lines = read_until(b, lambda l: l.endswith(b"EXPUNGE"))
    show("idle-expunge-ms", int((time.monotonic() - start) * 1000))
    show("idle-expunge", lines)
    b.send(b"DONE\r\n")
    show("idle-done", read_until(b, lambda l: l.startswith(tag)))
    show("b-count", b.select("INBOX")[1])
    a.logout()
    b.logout()


def case_starttls(host, port, user, password, cafile):
    """LOGINDISABLED before STARTTLS; after it, LOGIN works."""
    m = imaplib.IMAP4(host, port, timeout=30)
    show("before", " ".join(m.capabilities))
    try:
        m.login(user, password)
        show("plain-login", "accepted")
    except imaplib.IMAP4.error as e:
        show("plain-login", str(e))
    ctx = ssl.create_default_context(cafile=cafile)
    show("starttls", m.starttls(ssl_context=ctx))
    show("after", " ".join(m.capabilities))
    show("cipher", "yes" if m.sock.cipher() else "no")
    show("login", m.login(user, password))
    show("select", m.select("INBOX")[1])
    m.logout()


def case_imaps(host, port, user, password, cafile):
    """Implicit TLS (RFC 8314)."""
    ctx = ssl.create_default_context(cafile=cafile)
    m = imaplib.IMAP4_SSL(host, port, ssl_context=ctx, timeout=30)
    show("capabilities", " ".join(m.capabilities))
    show("login", m.login(user, password))
    show("select", m.select("INBOX")[1])
    show("fetch", repr(m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")[1][0][1]))
    m.logout()


class Deflated:
    """A raw IMAP connection after COMPRESS=DEFLATE, with zlib."""

    def __init__(self, sock):
        self.sock = sock
        self.out = zlib.compressobj(wbits=-15)
        self.inp = zlib.decompressobj(wbits=-15)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(self.out.compress(data) + self.out.flush(zlib.Z_SYNC_FLUSH))

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += self.inp.decompress(chunk)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def take(self, n):
        while len(self.buf) < n:
            self.buf += self.inp.decompress(self.sock.recv(65536))
        data, self.buf = self.buf[:n], self.buf[n:]
        return data


def case_compress(host, port, user, password):
    """COMPRESS=DEFLATE (RFC 4978) on a raw socket, with zlib."""
    sock = socket.create_connection((host, int(port)), timeout=30)
    f = sock.makefile("rb")
    show("greeting", f.readline().rstrip())
    sock.sendall(f"a LOGIN {user} {password}\r\n".encode())
    show("login", f.readline().rstrip())
    # The OK is the last octets in the clear; the client's next command may
    # be on its way compressed already.
    sock.sendall(b"b COMPRESS DEFLATE\r\n")
    show("compress", f.readline().rstrip())
    z = Deflated(sock)
    z.send(b"c SELECT INBOX\r\n")
    lines = []
    while True:
        line = z.line()
        lines.append(line)
        if line.startswith(b"c "):
            break
    show("select", lines[-1])
    z.send(b"d FETCH 1 (BODY.PEEK[])\r\n")
    head = z.line()
    show("fetch-head", head)
    n = int(head[head.rindex(b"{") + 1 : -1])
    body = z.take(n)
    show("fetch-octets", len(body))
    show("fetch-tail", z.line())
    show("fetch-done", z.line())
    z.send(b"e COMPRESS DEFLATE\r\n")
    show("again", z.line())
    z.send(b"f LOGOUT\r\n")
    show("bye", z.line())
    show("logout", z.line())
    sys.stdout.flush()


def case_flags(host, port, user, password):
    """The flags of every message, read-only."""
    m = login(host, port, user, password)
    m.select("INBOX", readonly=True)
    show("flags", m.uid("FETCH", "1:*", "(FLAGS)")[1])
    m.logout()


def main():
    case = sys.argv[1]
    args = sys.argv[2:]
    globals()[f"case_{case}"](*args)


if __name__ == "__main__":
    main()
