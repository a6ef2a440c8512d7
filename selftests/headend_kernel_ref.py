#!/usr/bin/python3
"""The kernel as reference for the headend: for the same inner packet and segment list, the
packet sr6 sends must be the one the kernel sends for `ip route ... encap seg6 mode M segs ...`,
field by field, except where sr6 differs on purpose:

  outer flow label   kernel: copied from an inner IPv6 packet, 0 for IPv4 (seg6_flowlabel 0);
                     sr6: from the flow hash (RFC 6437), never 0
  outer hop limit    kernel: the inner hop limit (IPv4: the route's, 64), then decremented by
                     its own forwarding; sr6: the policy's (default 64), not decremented
  outer traffic class, IPv4 inner   kernel: 0; sr6: the inner TOS (SR6_POLICY_F_TC_COPY)

Inline (H.Insert) must be identical: the packet keeps its own header in both.

  headend_kernel_ref.py NS_SENDER NS_HEADEND NS_CAPTURE LOADER PIN_DIR
The headend namespace has sr6_xdp and sr6_tc_ingress on x0 (steering off until a case turns
it on); frames are injected on s0 and captured on c0.
"""
import ctypes
import json
import os
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 3
libc = ctypes.CDLL("libc.so.6", use_errno=True)
failed = 0


def ok(name):
    print(f"[ OK ] headend kernel reference: {name}", flush=True)


def fail(name, why):
    global failed
    failed += 1
    print(f"[FAIL] headend kernel reference: {name}: {why}", flush=True)


def in_ns(ns, fn):
    """Run fn() with the calling thread in network namespace ns (sockets keep theirs)."""
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns")
        return fn()
    finally:
        libc.setns(own, CLONE_NEWNET)
        os.close(own)
        os.close(target)


def run(ns, *cmd):
    subprocess.run(["nsenter", f"--net=/run/netns/{ns}", *cmd], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def mac_of(ns, dev):
    out = subprocess.run(["nsenter", f"--net=/run/netns/{ns}", "ip", "-j", "link", "show", dev],
                         check=True, capture_output=True, text=True).stdout
    return bytes.fromhex(json.loads(out)[0]["address"].replace(":", ""))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def inner_packet(fam):
    payload = b"kernel reference payload"
    if fam == 6:
        src = socket.inet_pton(socket.AF_INET6, "2001:db8:a::1")
        dst = socket.inet_pton(socket.AF_INET6, "2001:db8:b::1")
        udp = struct.pack("!HHHH", 1000, 2000, 8 + len(payload), 0) + payload
        c = csum(src + dst + struct.pack("!IxxxB", len(udp), 17) + udp) or 0xFFFF
        udp = udp[:6] + struct.pack("!H", c) + udp[8:]
        # traffic class 0xb8, flow label 0x12345, hop limit 64
        hdr = struct.pack("!IHBB", 0x6B812345, len(udp), 17, 64) + src + dst
        return 0x86DD, hdr + udp
    src = socket.inet_pton(socket.AF_INET, "10.1.0.1")
    dst = socket.inet_pton(socket.AF_INET, "10.2.0.1")
    udp = struct.pack("!HHHH", 1000, 2000, 8 + len(payload), 0) + payload
    c = csum(src + dst + struct.pack("!xBH", 17, len(udp)) + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    hdr = struct.pack("!BBHHHBBH", 0x45, 0xB8, 20 + len(udp), 0, 0x4000, 64, 17, 0) + src + dst
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return 0x0800, hdr + udp


def parse(frame):
    """The fields of an SRv6 frame, in wire order."""
    f = {"eth.dst": frame[0:6].hex(), "eth.src": frame[6:12].hex(),
         "eth.type": frame[12:14].hex()}
    ip = frame[14:54]
    vtf, plen, nh, hl = struct.unpack("!IHBB", ip[:8])
    f.update({"ip6.version": vtf >> 28, "ip6.tclass": (vtf >> 20) & 0xFF,
              "ip6.flowlabel": vtf & 0xFFFFF, "ip6.payload_len": plen, "ip6.nexthdr": nh,
              "ip6.hop_limit": hl, "ip6.src": socket.inet_ntop(socket.AF_INET6, ip[8:24]),
              "ip6.dst": socket.inet_ntop(socket.AF_INET6, ip[24:40])})
    rest = frame[54:]
    if nh == 43:
        n, hlen, typ, sl, le, flags, tag = struct.unpack("!BBBBBBH", rest[:8])
        f.update({"srh.nexthdr": n, "srh.hdrlen": hlen, "srh.type": typ,
                  "srh.segments_left": sl, "srh.last_entry": le, "srh.flags": flags,
                  "srh.tag": tag})
        size = (hlen + 1) * 8
        segs = rest[8:8 + 16 * (le + 1)]
        f["srh.segments"] = [socket.inet_ntop(socket.AF_INET6, segs[i:i + 16])
                             for i in range(0, len(segs), 16)]
        f["srh.tlvs"] = rest[8 + 16 * (le + 1):size].hex()
        rest = rest[size:]
    f["payload"] = rest.hex()
    return f


def sids(n):
    return [f"fc00:5:{i + 1:x}::e6" for i in range(n)]


class Rig:
    def __init__(self, ns_s, ns_x, ns_c, loader, pin):
        self.ns_s, self.ns_x, self.ns_c, self.loader, self.pin = ns_s, ns_x, ns_c, loader, pin
        self.x0_mac = mac_of(ns_x, "x0")
        self.s0_mac = mac_of(ns_s, "s0")
        self.tx = in_ns(ns_s, lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW))
        self.tx.bind(("s0", 0))
        self.rx = in_ns(ns_c, lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                                    socket.htons(ETH_P_ALL)))
        self.rx.bind(("c0", 0))

    def load(self, *args):
        run(self.ns_x, self.loader, *args)

    def exchange(self, ethertype, packet):
        """Inject the packet at s0; the SRv6 frame that reaches c0, or None."""
        self.rx.setblocking(False)
        try:
            while True:
                self.rx.recv(65536)
        except BlockingIOError:
            pass
        self.tx.send(self.x0_mac + self.s0_mac + struct.pack("!H", ethertype) + packet)
        self.rx.settimeout(0.5)
        deadline = time.time() + 2
        while time.time() < deadline:
            try:
                frame = self.rx.recv(65536)
            except socket.timeout:
                continue
            if frame[12:14] == b"\x86\xdd" and frame[38:42] == bytes.fromhex("fc000005"):
                return frame
        return None


def case(rig, mode, n, fam):
    name = f"{mode} {n} SID{'s' if n > 1 else ''} IPv{fam}"
    ethertype, packet = inner_packet(fam)
    segs = ",".join(sids(n))
    prefix, ip = ("2001:db8:b::/64", ["ip", "-6"]) if fam == 6 else ("10.2.0.0/16", ["ip"])

    rig.load("config", rig.pin)  # sr6 steps aside
    run(rig.ns_x, *ip, "route", "replace", prefix, "encap", "seg6", "mode", mode, "segs", segs,
        "dev", "x1")
    kernel = rig.exchange(ethertype, packet)
    run(rig.ns_x, *ip, "route", "del", prefix)

    rig.load("policy", rig.pin, "1", mode, "source=fc00:1::1", "tccopy", "path=" + segs)
    rig.load("config", rig.pin, "steer6", "steer4", "tc-after-xdp")
    ours = rig.exchange(ethertype, packet)
    if kernel is None:
        return fail(name, "the kernel sent nothing")
    if ours is None:
        return fail(name, "sr6 sent nothing")
    k, o = parse(kernel), parse(ours)
    expected_diff = set()
    if mode != "inline":
        expected_diff = {"ip6.flowlabel", "ip6.hop_limit"}
        if fam == 4:
            expected_diff.add("ip6.tclass")
    diff = {f for f in k if k[f] != o.get(f)} | {f for f in o if f not in k}
    unexpected = diff - expected_diff
    if unexpected:
        return fail(name, "; ".join(f"{f}: kernel {k.get(f)} sr6 {o.get(f)}"
                                    for f in sorted(unexpected)))
    # The documented differences, checked for what they are.
    if mode != "inline":
        if o["ip6.hop_limit"] != 64 or o["ip6.flowlabel"] == 0:
            return fail(name, f"sr6 hop limit {o['ip6.hop_limit']}, flow label "
                              f"{o['ip6.flowlabel']}")
        if fam == 6 and k["ip6.flowlabel"] != 0x12345:
            return fail(name, f"kernel flow label {k['ip6.flowlabel']:#x}")
        if fam == 4 and (o["ip6.tclass"] != 0xB8 or k["ip6.tclass"] != 0):
            return fail(name, f"traffic class kernel {k['ip6.tclass']} sr6 {o['ip6.tclass']}")
    ok(f"{name}: {len(k)} fields equal"
       + (f" (differs on purpose: {', '.join(sorted(diff))})" if diff else ""))


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    rig = Rig(*argv[1:])
    rig.load("rule", rig.pin, "0", "1")
    rig.load("steer", rig.pin, "2001:db8:b::/64", "0", "1")
    rig.load("steer", rig.pin, "10.2.0.0/16", "0", "1")
    for mode in ("encap", "encap.red", "inline"):
        for n in (1, 2, 3, 16):
            for fam in (6, 4):
                if mode == "inline" and fam == 4:
                    continue
                case(rig, mode, n, fam)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
