#!/usr/bin/python3
"""Traffic for the headend's namespace tests: every byte checked at the other end.

  headend_traffic.py tcp-server PORTFILE            one connection: receive, digest, send back
  headend_traffic.py tcp-client HOST PORT UP DOWN   send UP bytes, receive DOWN bytes, check both
  headend_traffic.py udp-echo PORTFILE              echo datagrams until idle for 10 s
  headend_traffic.py udp-client HOST PORT COUNT SIZE  send COUNT datagrams, check every echo
  headend_traffic.py udp-flows DST PORT COUNT        COUNT UDP flows (one packet each, source
                                                     ports 20000..), raw socket, no answer

Servers bind port 0 and write the port they got to PORTFILE.  Clients print "ok ..." and exit
0, or print what went wrong and exit 1.
"""
import hashlib
import os
import random
import socket
import struct
import sys


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def recv_exact(sock, n):
    parts, got = [], 0
    while got < n:
        b = sock.recv(min(1 << 20, n - got))
        if not b:
            raise EOFError(f"connection closed after {got} of {n} bytes")
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def pattern(seed, n):
    return random.Random(seed).randbytes(n)


def tcp_server(portfile):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0))
    s.listen(1)
    s.settimeout(60)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    c, _ = s.accept()
    c.settimeout(60)
    up, down, seed = struct.unpack("!QQQ", recv_exact(c, 24))
    h = hashlib.sha256()
    left = up
    while left:
        b = c.recv(min(1 << 20, left))
        if not b:
            sys.exit("server: short upload")
        h.update(b)
        left -= len(b)
    c.sendall(h.digest() + pattern(seed, down))
    c.close()


def tcp_client(host, port, up, down):
    seed = random.randrange(1 << 62)
    data = os.urandom(up)
    c = socket.create_connection((host, port), timeout=60)
    c.sendall(struct.pack("!QQQ", up, down, seed))
    c.sendall(data)
    digest = recv_exact(c, 32)
    back = recv_exact(c, down)
    c.close()
    if digest != hashlib.sha256(data).digest():
        print(f"upload of {up} bytes arrived altered")
        return 1
    if back != pattern(seed, down):
        print(f"download of {down} bytes arrived altered")
        return 1
    print(f"ok tcp up={up} down={down}")
    return 0


def udp_echo(portfile):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 0))
    s.settimeout(10)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    try:
        while True:
            b, peer = s.recvfrom(65535)
            s.sendto(b, peer)
    except socket.timeout:
        pass


def udp_client(host, port, count, size):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(2)
    for i in range(count):
        msg = struct.pack("!I", i) + os.urandom(size - 4)
        for _ in range(3):  # the first datagrams may wait for neighbour resolution
            s.sendto(msg, (host, port))
            try:
                b = s.recv(65535)
                break
            except socket.timeout:
                continue
        else:
            print(f"datagram {i}: no echo")
            return 1
        if b != msg:
            print(f"datagram {i}: echo altered ({len(b)} bytes for {len(msg)})")
            return 1
    print(f"ok udp {count}x{size}")
    return 0


def udp_flows(dst, port, count):
    s = socket.socket(family(dst), socket.SOCK_RAW, socket.IPPROTO_UDP)
    if family(dst) == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, 7, 6)  # IPV6_CHECKSUM at offset 6
    for i in range(count):
        sport = 20000 + i
        payload = b"flow"
        hdr = struct.pack("!HHHH", sport, port, 8 + len(payload), 0)
        s.sendto(hdr + payload, (dst, 0))
    print(f"ok flows {count}")
    return 0


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "tcp-server" and len(argv) == 3:
        return tcp_server(argv[2])
    if cmd == "tcp-client" and len(argv) == 6:
        return tcp_client(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    if cmd == "udp-echo" and len(argv) == 3:
        return udp_echo(argv[2])
    if cmd == "udp-client" and len(argv) == 6:
        return udp_client(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    if cmd == "udp-flows" and len(argv) == 5:
        return udp_flows(argv[2], int(argv[3]), int(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
