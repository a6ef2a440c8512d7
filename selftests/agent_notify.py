#!/usr/bin/python3
"""Stand in for systemd's notification socket: print what arrives on the datagram socket
PATH until READY=1 (or 20 s).

  agent_notify.py PATH
"""
import socket
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
try:
    while True:
        msg = s.recv(4096).decode()
        print(msg.replace("\n", " "), flush=True)
        if "READY=1" in msg.split("\n"):
            break
except socket.timeout:
    pass
