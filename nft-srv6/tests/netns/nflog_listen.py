#!/usr/bin/python3
"""Listen on an nflog group and print one line per packet: its log prefix and the
logged packet's IPv6 next header.  Writes "ready" to READYFILE once bound.

  nflog_listen.py GROUP COUNT TIMEOUT READYFILE
"""
import select
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_ULOG = 4
NFULNL_MSG_PACKET, NFULNL_MSG_CONFIG = 0, 1
NFULA_CFG_CMD, NFULA_CFG_MODE = 1, 2
NFULNL_CFG_CMD_BIND = 1
NFULNL_COPY_PACKET = 2
NFULA_PAYLOAD, NFULA_PREFIX = 9, 10
NLM_F_REQUEST, NLM_F_ACK = 1, 4


def attr(kind, payload):
    a = struct.pack("=HH", 4 + len(payload), kind) + payload
    return a + b"\0" * (-len(a) % 4)


def config(sock, group, seq, attrs):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(group)) + attrs
    hdr = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG,
                      NLM_F_REQUEST | NLM_F_ACK, seq, 0)
    sock.send(hdr + body)
    data = sock.recv(65536)
    err = struct.unpack_from("=i", data, 16)[0]
    if err:
        sys.exit("nflog config failed: %d" % err)


def main():
    group, count, timeout, ready = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    s.bind((0, 0))
    config(s, group, 1, attr(NFULA_CFG_CMD, struct.pack("=B", NFULNL_CFG_CMD_BIND)))
    config(s, group, 2, attr(NFULA_CFG_MODE, struct.pack("!IBB", 0xFFFF, NFULNL_COPY_PACKET, 0)))
    open(ready, "w").write("ready\n")
    seen, end = 0, time.time() + timeout
    while seen < count and time.time() < end:
        r, _, _ = select.select([s], [], [], max(0.0, end - time.time()))
        if not r:
            break
        data = s.recv(65536)
        off = 0
        while off + 16 <= len(data):
            length, kind = struct.unpack_from("=IH", data, off)
            if length < 16:
                break
            if kind == (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET:
                prefix, nexthdr = "", -1
                a = off + 20
                while a + 4 <= off + length:
                    alen, akind = struct.unpack_from("=HH", data, a)
                    if alen < 4:
                        break
                    val = data[a + 4:a + alen]
                    akind &= 0x7FFF
                    if akind == NFULA_PREFIX:
                        prefix = val.rstrip(b"\0").decode()
                    elif akind == NFULA_PAYLOAD and len(val) >= 40:
                        nexthdr = val[6]
                    a += (alen + 3) & ~3
                print("%s\t%d" % (prefix, nexthdr), flush=True)
                seen += 1
            off += (length + 3) & ~3


main()
