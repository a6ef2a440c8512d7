#!/usr/bin/python3
"""Control connections of a running agent are served side by side.

A client that has sent half a request holds nobody else: `sr6 status` answers meanwhile, and
the slow client still gets its own answer once the rest of its request arrives.  A client
that sends a header with bytes beyond its announced body gets an error naming them, and a
request that never completes is answered with an error when its time is up (the agent's
5 s, which run alongside the other checks).  The agent serves 16 connections at once: a
17th waits until one of them closes, then is answered.

usage: agent_control.py SOCKET NETNS SR6 PIN_ROOT RUN_DIR   (prints one line per check)
"""
import json
import socket
import subprocess
import sys

path, netns, sr6, pin, run = sys.argv[1:]


def cli_status():
    r = subprocess.run(["nsenter", "--net=/run/netns/" + netns, sr6, "--pin-root", pin,
                        "--run-dir", run, "status"], capture_output=True, text=True, timeout=30)
    agent = [l for l in r.stdout.splitlines() if l.startswith("agent:")] or [r.stderr.strip()]
    return "%d %s" % (r.returncode, agent[0])


def read_reply(s):
    s.settimeout(10)
    buf = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    return json.loads(buf)


def waiting(s, seconds):
    """What s has received within seconds: "waiting" when nothing, else the start of it."""
    s.settimeout(seconds)
    try:
        return "answered %r" % s.recv(100)[:40]
    except socket.timeout:
        return "waiting"


idle = socket.socket(socket.AF_UNIX)
idle.connect(path)
idle.sendall(b'{"cmd":')
slow = socket.socket(socket.AF_UNIX)
slow.connect(path)
slow.sendall(b'{"cmd":"sta')
print("other client meanwhile:", cli_status())
print("slow client before its request is whole:", waiting(slow, 0.3))
slow.sendall(b'tus"}\n')
slow.shutdown(socket.SHUT_WR)
o = read_reply(slow)
print("slow client answered:", o.get("ok"), "generation" in o)

extra = socket.socket(socket.AF_UNIX)
extra.connect(path)
extra.sendall(b'{"cmd":"status","size":2}\nabcd')
o = read_reply(extra)
print("bytes beyond the body:", o.get("ok"), o.get("error"))

o = read_reply(idle)
print("a request that never completes:", o.get("ok"), o.get("error"))

# 16 connections at once: a 17th waits in the backlog until one of them closes.
held = []
for i in range(16):
    h = socket.socket(socket.AF_UNIX)
    h.connect(path)
    h.sendall(b'{"cmd":')
    held.append(h)
late = socket.socket(socket.AF_UNIX)
late.connect(path)
late.sendall(b'{"cmd":"status"}\n')
late.shutdown(socket.SHUT_WR)
print("17th client while 16 are held:", waiting(late, 0.5))
held.pop().close()
o = read_reply(late)
print("17th client once one closes:", o.get("ok"), "generation" in o)
for h in held:
    h.close()
