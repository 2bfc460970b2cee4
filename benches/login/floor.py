#!/usr/bin/python3
"""The floor of the peer harness (../shared/bench-peers/selftest_client.py), for benches/login.rs:
a minimal slixmpp client that signs in, asks for its roster and sends its presence, as the
harness's floor does. Arguments: JID PASSWORD HOST PORT CA. Runs until it is killed."""
import asyncio, sys

from slixmpp import ClientXMPP

jid, password, host, port, ca = sys.argv[1:6]
c = ClientXMPP(jid + "/floor", password)
c.ca_certs = ca


async def start(_):
    await c.get_roster()
    c.send_presence()


c.add_event_handler("session_start", start)
c.connect(address=(host, int(port)))
asyncio.get_event_loop().run_forever()
