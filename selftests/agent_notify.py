#!/usr/bin/python3
"""Stand in for systemd's notification socket: print what arrives on the datagram socket
PATH, one message a line, until READY=1 has come COUNT times (default 1), or 20 s.

  agent_notify.py PATH [COUNT]
"""
import socket
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
left = int(sys.argv[2]) if len(sys.argv) > 2 else 1
try:
    while left:
        msg = s.recv(4096).decode()
        print(msg.replace("\n", " "), flush=True)
        if "READY=1" in msg.split("\n"):
            left -= 1
except socket.timeout:
    pass
