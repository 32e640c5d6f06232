"""A receiving MTA nobody here wrote: aiosmtpd (PyPI), for tests/outbound.

Run by the Rust tests as
    python3 aiosmtpd_peer.py PORT
It listens on 127.0.0.1:PORT, prints `ready`, then for each message one
block of `key: value` lines (from, rcpt, option, data as base64) ended by
`end`, and stops when its standard input closes.
"""

import base64
import sys

from aiosmtpd.controller import Controller


def show(key, value):
    print(f"{key}: {value}", flush=True)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        show("from", envelope.mail_from)
        for rcpt in envelope.rcpt_tos:
            show("rcpt", rcpt)
        for option in envelope.mail_options:
            show("option", option)
        show("data", base64.b64encode(envelope.original_content).decode())
        print("end", flush=True)
        return "250 2.0.0 Message accepted for delivery"


if __name__ == "__main__":
    controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()
