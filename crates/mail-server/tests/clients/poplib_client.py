"""Python's poplib against the server, one case per subcommand.

Run by the Rust tests in tests/poplib.rs as
    python3 poplib_client.py CASE HOST PORT USER PASSWORD [ARGS...]
Each case prints one `key: value` line per observation; the Rust side
compares them with what the RFC and Dovecot say.
"""

import poplib
import socket
import ssl
import sys
import time


def show(key, value):
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    print(f"{key}: {value}", flush=True)


def error_text(e):
    arg = e.args[0]
    return arg.decode("latin-1") if isinstance(arg, bytes) else str(arg)


def login(host, port, user, password):
    p = poplib.POP3(host, port, timeout=30)
    p.user(user)
    p.pass_(password)
    return p


def case_session(host, port, user, password, outdir):
    """USER/PASS, CAPA, STAT, LIST, UIDL, TOP and RETR of every message, QUIT."""
    p = poplib.POP3(host, port, timeout=30)
    show("welcome", p.getwelcome())
    show("capa", " ".join(sorted(p.capa().keys())))
    show("user", p.user(user))
    show("pass", p.pass_(password))
    count, size = p.stat()
    show("stat", f"{count} {size}")
    for line in p.list()[1]:
        show("list", line)
    for line in p.uidl()[1]:
        show("uidl", line)
    resp, lines, _ = p.top(1, 0)
    show("top", f"{resp.decode()} {len(lines)} lines")
    for n in range(1, count + 1):
        resp, lines, _ = p.retr(n)
        show("retr", resp)
        with open(f"{outdir}/{n}.eml", "wb") as f:
            f.write(b"\r\n".join(lines) + b"\r\n")
    show("quit", p.quit())


def case_stls(host, port, user, password, cafile):
    """STLS with the server's self-signed certificate, checked against cafile."""
    p = poplib.POP3(host, port, timeout=30)
    show("capa-before", " ".join(sorted(p.capa().keys())))
    try:
        p.user(user)
        show("user-before", "accepted")
    except poplib.error_proto as e:
        show("user-before", error_text(e))
    ctx = ssl.create_default_context(cafile=cafile)
    show("stls", p.stls(context=ctx))
    show("tls", p.sock.version())
    show("capa-after", " ".join(sorted(p.capa().keys())))
    show("user", p.user(user))
    show("pass", p.pass_(password))
    count, size = p.stat()
    show("stat", f"{count} {size}")
    show("quit", p.quit())


def case_pop3s(host, port, user, password, cafile):
    """Implicit TLS; the certificate served is the one in cafile."""
    ctx = ssl.create_default_context(cafile=cafile)
    p = poplib.POP3_SSL(host, port, context=ctx, timeout=30)
    served = p.sock.getpeercert(binary_form=True)
    with open(cafile) as f:
        kept = ssl.PEM_cert_to_DER_cert(f.read())
    show("cert", "same" if served == kept else "different")
    show("welcome", p.getwelcome())
    show("capa", " ".join(sorted(p.capa().keys())))
    p.user(user)
    show("pass", p.pass_(password))
    count, size = p.stat()
    show("stat", f"{count} {size}")
    show("quit", p.quit())


def case_apop(host, port, user, password):
    """APOP is not offered: the greeting has no timestamp, the command fails."""
    p = poplib.POP3(host, port, timeout=30)
    show("welcome", p.getwelcome())
    try:
        p.apop(user, password)
        show("apop-client", "sent")
    except poplib.error_proto as e:
        show("apop-client", error_text(e))
    # poplib refuses without a timestamp; send the command anyway.
    try:
        p._shortcmd(f"APOP {user} c4c9334bac560ecc979e58001b3e22fb")
        show("apop-server", "accepted")
    except poplib.error_proto as e:
        show("apop-server", error_text(e))
    show("quit", p.quit())


def case_uidl(host, port, user, password):
    p = login(host, port, user, password)
    for line in p.uidl()[1]:
        show("uidl", line)
    show("quit", p.quit())


def case_dele_drop(host, port, user, password, number):
    """DELE, then the connection drops without QUIT."""
    p = login(host, port, user, password)
    show("dele", p.dele(int(number)))
    p.sock.shutdown(socket.SHUT_RDWR)
    p.sock.close()
    show("dropped", "yes")


def case_dele_quit(host, port, user, password, number):
    p = login(host, port, user, password)
    show("dele", p.dele(int(number)))
    show("stat", "%d %d" % p.stat())
    show("quit", p.quit())


def case_wrong(host, port, user, password):
    """A wrong password, timed; then the right one on the same connection."""
    p = poplib.POP3(host, port, timeout=30)
    p.user(user)
    start = time.monotonic()
    try:
        p.pass_(password + "-wrong")
        show("wrong", "accepted")
    except poplib.error_proto as e:
        show("wrong", error_text(e))
    show("delay-ms", int((time.monotonic() - start) * 1000))
    p.user(user)
    show("right", p.pass_(password))
    show("quit", p.quit())


def case_in_use(host, port, user, password):
    """A second session of the same user while the first holds the maildrop."""
    first = login(host, port, user, password)
    second = poplib.POP3(host, port, timeout=30)
    second.user(user)
    try:
        second.pass_(password)
        show("second", "accepted")
    except poplib.error_proto as e:
        show("second", error_text(e))
    show("first-quit", first.quit())
    second.user(user)
    show("second-retry", second.pass_(password))
    show("second-quit", second.quit())


def case_retr(host, port, user, password, number, outfile):
    p = login(host, port, user, password)
    show("list", p.list(int(number)))
    resp, lines, octets = p.retr(int(number))
    show("retr", resp)
    with open(outfile, "wb") as f:
        f.write(b"\r\n".join(lines) + b"\r\n")
    show("quit", p.quit())


CASES = {
    "session": case_session,
    "stls": case_stls,
    "pop3s": case_pop3s,
    "apop": case_apop,
    "uidl": case_uidl,
    "dele-drop": case_dele_drop,
    "dele-quit": case_dele_quit,
    "wrong": case_wrong,
    "in-use": case_in_use,
    "retr": case_retr,
}

if __name__ == "__main__":
    case, host, port, user, password, *rest = sys.argv[1:]
    CASES[case](host, int(port), user, password, *rest)
