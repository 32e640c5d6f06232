"""Python's smtplib against the server, one case per subcommand.

Run by the Rust tests in tests/smtplib.rs as
    python3 smtplib_client.py CASE HOST PORT [OPTIONS...]
Each case prints one `key: value` line per observation (every reply the
server gave, as `code text`); the Rust side compares them with what the RFCs
and Postfix say.
"""

import argparse
import smtplib
import ssl
import sys
import time


def show(key, value):
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    print(f"{key}: {value}", flush=True)


def reply(code, text):
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    # A multi-line reply's lines, joined as the wire has them.
    return f"{code} " + " | ".join(text.splitlines())


def features(s):
    return " ".join(
        sorted(k + ("=" + v.strip() if v.strip() else "") for k, v in s.esmtp_features.items())
    )


def connect(args):
    if args.tls == "implicit":
        ctx = ssl.create_default_context(cafile=args.cafile)
        s = smtplib.SMTP_SSL(
            args.host, args.port, local_hostname=args.helo, context=ctx, timeout=60
        )
        show("tls", s.sock.version())
    else:
        s = smtplib.SMTP(args.host, args.port, local_hostname=args.helo, timeout=60)
    return s


def case_send(args):
    """EHLO, STARTTLS and AUTH as asked, then one transaction, QUIT.

    Every step goes through smtplib's own methods (starttls, auth with
    smtplib's PLAIN and LOGIN, mail, rcpt, data: dot-stuffing is
    smtplib's), and each reply is printed.
    """
    s = connect(args)
    code, text = s.ehlo()
    show("ehlo", code)
    show("features", features(s))
    if args.tls == "starttls":
        ctx = ssl.create_default_context(cafile=args.cafile)
        show("starttls", reply(*s.starttls(context=ctx)))
        show("tls", s.sock.version())
        s.ehlo()
        show("features-tls", features(s))
    if args.auth:
        s.user, s.password = args.user, args.password
        method = {"PLAIN": s.auth_plain, "LOGIN": s.auth_login}[args.auth]
        start = time.monotonic()
        try:
            show("auth", reply(*s.auth(args.auth, method)))
        except smtplib.SMTPNotSupportedError:
            show("auth", "not offered")
        except smtplib.SMTPAuthenticationError as e:
            show("auth", reply(e.smtp_code, e.smtp_error))
        show("auth-ms", int((time.monotonic() - start) * 1000))
    if args.sender is not None:
        show("mail", reply(*s.mail(args.sender)))
        for to in args.to:
            show("rcpt", f"<{to}> " + reply(*s.rcpt(to)))
        with open(args.file, "rb") as f:
            message = f.read()
        try:
            show("data", reply(*s.data(message)))
        except smtplib.SMTPDataError as e:
            show("data", reply(e.smtp_code, e.smtp_error))
    show("quit", reply(*s.quit()))


def case_sendmail(args):
    """smtplib.sendmail, as applications call it: the message is sent
    through every step at once; prints what it returned."""
    s = connect(args)
    if args.auth:
        s.login(args.user, args.password)
    with open(args.file, "rb") as f:
        message = f.read()
    refused = s.sendmail(args.sender, args.to, message)
    show("refused", sorted(refused))
    show("quit", reply(*s.quit()))


CASES = {"send": case_send, "sendmail": case_sendmail}

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("case", choices=CASES)
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--helo", default="client.example")
    p.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    p.add_argument("--cafile")
    p.add_argument("--auth", choices=["PLAIN", "LOGIN"])
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--from", dest="sender")
    p.add_argument("--to", action="append", default=[])
    p.add_argument("--file")
    args = p.parse_args()
    CASES[args.case](args)
    sys.exit(0)
