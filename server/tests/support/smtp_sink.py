"""A real SMTP server for the notification tests (aiosmtpd).

Every accepted message becomes one JSON line in --out: envelope, Message-ID,
decoded subject, text and HTML. --refuse-rate answers that share of DATA
commands with 451 (try again later) before keeping anything, as a busy
server would. --stall-from/--stall-after hang the MAIL command of one
sender after it had that many messages accepted, so a test can kill that
sender mid-batch; the hang is reported in --out + ".stalled".
"""

import argparse
import asyncio
import email
import email.policy
import json
import random
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, args):
        self.args = args
        self.random = random.Random(args.seed)
        self.accepted_from = {}
        self.out = open(args.out, "a", encoding="utf-8")

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        a = self.args
        if a.stall_from and address == a.stall_from and self.accepted_from.get(address, 0) >= a.stall_after:
            with open(a.out + ".stalled", "a", encoding="utf-8") as f:
                f.write(f"{time.time()}\n")
            await asyncio.sleep(3600)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.refuse_rate and self.random.random() < self.args.refuse_rate:
            return "451 4.3.0 Busy: try again later"
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        plain = msg.get_body(("plain",))
        html = msg.get_body(("html",))
        line = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "message_id": msg["message-id"],
            "subject": str(msg["subject"]),
            "to": str(msg["to"]),
            "auto_submitted": msg["auto-submitted"],
            "text": plain.get_content().replace("\r\n", "\n") if plain else None,
            "html": html.get_content().replace("\r\n", "\n") if html else None,
        }
        self.out.write(json.dumps(line) + "\n")
        self.out.flush()
        self.accepted_from[envelope.mail_from] = self.accepted_from.get(envelope.mail_from, 0) + 1
        return "250 Message accepted for delivery"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--refuse-rate", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--stall-from", default="")
    p.add_argument("--stall-after", type=int, default=0)
    args = p.parse_args()
    controller = Controller(Sink(args), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
