#!/usr/bin/python3
"""A numbered UDP stream for the agent's tests: every datagram carries its sequence number,
so the receiver counts what arrived (duplicates once) and what came out of order.

  agent_stream.py send DST PORT COUNT PPS OUTFILE [FLOWS]
                                                     writes the number sent; FLOWS source
                                                     ports in turn (default 1)
  agent_stream.py recv ADDR PORT COUNT OUTFILE       writes "received reordered"
"""
import socket
import struct
import sys
import time


def send(dst, port, count, pps, out, flows=1):
    socks = [socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) for _ in range(flows)]
    pad = b"\x00" * 92
    start = time.monotonic()
    sent = 0
    for seq in range(count):
        # Pace against the clock, so a slow moment does not lower the total rate.
        due = start + seq / pps
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        try:
            socks[seq % flows].sendto(struct.pack("!Q", seq) + pad, (dst, port))
            sent += 1
        except OSError:
            pass
    with open(out, "w") as f:
        f.write(f"{sent}\n")


def recv(addr, port, count, out):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((addr, port))
    seen = set()
    reordered = 0
    last = -1
    deadline = time.monotonic() + 120
    s.settimeout(1.0)
    quiet = 0
    while len(seen) < count and time.monotonic() < deadline:
        try:
            data, _ = s.recvfrom(2048)
        except socket.timeout:
            quiet += 1
            if seen and quiet >= 3:
                break           # the stream is over: what did not arrive is lost
            continue
        quiet = 0
        if len(data) < 8:
            continue
        seq = struct.unpack("!Q", data[:8])[0]
        if seq < last:
            reordered += 1
        last = max(last, seq)
        seen.add(seq)
    with open(out, "w") as f:
        f.write(f"{len(seen)} {reordered}\n")


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6],
             int(sys.argv[7]) if len(sys.argv) > 7 else 1)
    else:
        recv(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
