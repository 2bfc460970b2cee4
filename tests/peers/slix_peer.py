#!/usr/bin/python3
"""An independent XMPP client for Natter's tests: slixmpp (Debian's python3-slixmpp) signs in
with its own stack and plugins and plays the other side of a conversation.

It reads one JSON command per line on stdin and writes one JSON event per line on stdout:

  {"cmd": "send", "to": J, "id": ID, "body": B,          plain message with origin-id
   "replace": ID,                                          XEP-0308 correction of ID
   "reply": {"id": ID, "to": J, "quote": Q},               XEP-0461 reply, XEP-0428 fallback
   "reactions": {"id": ID, "emoji": [E, ...]},             XEP-0444 (plugin xep_0444)
   "retract": ID}                                          XEP-0424 v1, as clients send it today
  {"cmd": "retract_v0", "to": J, "id": ID}                 XEP-0424 v0 (slixmpp's own plugin)
  {"cmd": "quit"}

  {"event": "online", "jid": J}
  {"event": "message", "from": J, "id": ..., "origin_id": ..., "body": ..., "replace": ...,
   "reactions": {"id": ..., "emoji": [...]} | null, "reply": {"id": ..., "to": ...} | null,
   "retract": ID | null, "fallbacks": [{"for": NS, "start": N, "end": N}]}

Environment: PEER_JID, PEER_PASSWORD, PEER_HOST, PEER_PORT, PEER_CA (the server's CA).
Where slixmpp 1.8's plugins write an older version of a XEP than clients use today (retraction
v0, the reply's fallback), the element is written here as the current XEP says.
"""
import asyncio
import json
import os
import sys

from slixmpp import ClientXMPP
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

NS_RETRACT = "urn:xmpp:message-retract:1"
NS_RETRACT_0 = "urn:xmpp:message-retract:0"
NS_FASTEN = "urn:xmpp:fasten:0"
NS_FALLBACK = "urn:xmpp:fallback:0"
NS_REPLY = "urn:xmpp:reply:0"
NS_HINTS = "urn:xmpp:hints"
NS_SID = "urn:xmpp:sid:0"

client = ClientXMPP(os.environ["PEER_JID"] + "/slixmpp", os.environ["PEER_PASSWORD"])
client.ca_certs = os.environ["PEER_CA"]
for plugin in ["xep_0030", "xep_0184", "xep_0308", "xep_0359", "xep_0424", "xep_0444",
               "xep_0461", "xep_0428"]:
    client.register_plugin(plugin)
client["xep_0184"].auto_ack = True


def say(event):
    print(json.dumps(event, ensure_ascii=False), flush=True)


def child(xml, ns, name):
    return xml.find("{%s}%s" % (ns, name))


def received(msg):
    xml = msg.xml
    origin = child(xml, NS_SID, "origin-id")
    replace = msg["replace"]["id"] if child(xml, "urn:xmpp:message-correct:0", "replace") is not None else None
    reactions = None
    if child(xml, "urn:xmpp:reactions:0", "reactions") is not None:
        reactions = {"id": msg["reactions"]["id"], "emoji": sorted(msg["reactions"]["values"])}
    reply = None
    if child(xml, NS_REPLY, "reply") is not None:
        reply = {"id": msg["reply"]["id"], "to": msg["reply"]["to"] or None}
    retract = child(xml, NS_RETRACT, "retract")
    fallbacks = []
    for f in xml.findall("{%s}fallback" % NS_FALLBACK):
        body = child(f, NS_FALLBACK, "body")
        fallbacks.append({
            "for": f.get("for"),
            "start": int(body.get("start")) if body is not None and body.get("start") else None,
            "end": int(body.get("end")) if body is not None and body.get("end") else None,
        })
    say({
        "event": "message",
        "from": str(msg["from"].bare),
        "id": msg["id"] or None,
        "origin_id": origin.get("id") if origin is not None else None,
        "body": msg["body"] if child(xml, "jabber:client", "body") is not None else None,
        "replace": replace,
        "reactions": reactions,
        "reply": reply,
        "retract": retract.get("id") if retract is not None else None,
        "fallbacks": fallbacks,
    })


def send(cmd):
    msg = client.make_message(mto=cmd["to"], mtype="chat")
    msg["id"] = cmd["id"]
    origin = ET.SubElement(msg.xml, "{%s}origin-id" % NS_SID)
    origin.set("id", cmd["id"])
    if "body" in cmd:
        msg["body"] = cmd["body"]
    if "replace" in cmd:
        msg["replace"]["id"] = cmd["replace"]
    if "reactions" in cmd:
        client["xep_0444"].set_reactions(msg, cmd["reactions"]["id"], cmd["reactions"]["emoji"])
        ET.SubElement(msg.xml, "{%s}store" % NS_HINTS)
    if "reply" in cmd:
        reply = cmd["reply"]
        msg["reply"]["id"] = reply["id"]
        msg["reply"]["to"] = reply["to"]
        quote = "".join("> " + line + "\n" for line in reply["quote"].split("\n"))
        msg["body"] = quote + cmd.get("body", "")
        fallback = ET.SubElement(msg.xml, "{%s}fallback" % NS_FALLBACK)
        fallback.set("for", NS_REPLY)
        body = ET.SubElement(fallback, "{%s}body" % NS_FALLBACK)
        body.set("start", "0")
        body.set("end", str(len(quote)))
    if "retract" in cmd:
        msg["body"] = "This person attempted to retract a previous message, but it's unsupported by your client."
        retract = ET.SubElement(msg.xml, "{%s}retract" % NS_RETRACT)
        retract.set("id", cmd["retract"])
        fallback = ET.SubElement(msg.xml, "{%s}fallback" % NS_FALLBACK)
        fallback.set("for", NS_RETRACT)
        ET.SubElement(msg.xml, "{%s}store" % NS_HINTS)
    msg.send()


async def commands():
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        cmd = json.loads(line)
        if cmd["cmd"] == "send":
            send(cmd)
        elif cmd["cmd"] == "retract_v0":
            client["xep_0424"].send_retraction(cmd["to"], cmd["id"])
        elif cmd["cmd"] == "quit":
            break
        say({"event": "done", "cmd": cmd["cmd"]})
    client.disconnect()
    await asyncio.sleep(0.2)
    os._exit(0)


async def start(_):
    await client.get_roster()
    client.send_presence()
    say({"event": "online", "jid": str(client.boundjid)})
    asyncio.ensure_future(commands())


client.add_event_handler("session_start", start)
# Every chat message, with a body or without (reactions, retractions): slixmpp's own "message"
# event is only for those with a body.
client.register_handler(Callback("every message", MatchXPath("{jabber:client}message"), received))
client.add_event_handler("failed_auth", lambda _: (say({"event": "auth_failed"}), os._exit(1)))
client.connect(address=(os.environ["PEER_HOST"], int(os.environ["PEER_PORT"])))
asyncio.get_event_loop().run_forever()
