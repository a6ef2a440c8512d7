#!/usr/bin/python3
"""Packets for the endpoint twin test (selftests/endpoint_kernel_ref.sh).

  endpoint_twin.py send IFACE            send every case's frame on IFACE
  endpoint_twin.py compare KIND A B HOOK compare the frames captured (pcap files A and B) in
                                         the kernel twin and the sr6 twin (at HOOK), case by case

KIND is "sink" (frames forwarded to the next hop) or "source" (ICMP errors sent back).  Each
frame carries a marker "sr6twinNN" (NN = case number) in its innermost payload, so a case's
frames are found in a capture whatever else the link carried.  Prints one [ OK ]/[FAIL] line
per case; exits 1 on any failure.
"""
import struct
import sys

from scapy.all import IP, IPv6, UDP, Ether, Raw, conf, sendp

conf.verb = 0

MAC_R = "02:00:00:00:0a:02"   # router's ingress interface (both twins)
MAC_S = "02:00:00:00:0a:01"   # source
SRC = "fc00:a::1"


def srh(nh, segs, sl, le=None, tag=0, tlv=b""):
    """Raw SRH bytes: segs in Segment List order (segs[0] = the last segment)."""
    le = len(segs) - 1 if le is None else le
    body = b"".join(__import__("socket").inet_pton(10, s) for s in segs) + tlv
    return struct.pack("!BBBBBBH", nh, len(body) // 8, 4, sl, le, 0, tag) + body


def marker(i):
    return b"sr6twin%02d" % i + b"." * 22


def inner6(i, hl=64, dst="2001:db8:b::1"):
    return bytes(IPv6(src="2001:db8:a::1", dst=dst, hlim=hl) / UDP(sport=4000, dport=5000) /
                 Raw(marker(i)))


def inner4(i, ttl=64):
    return bytes(IP(src="192.0.2.1", dst="198.51.100.7", ttl=ttl) / UDP(sport=4000, dport=5000) /
                 Raw(marker(i)))


def outer(dst, hl, nh, payload):
    return Ether(dst=MAC_R, src=MAC_S) / IPv6(src=SRC, dst=dst, hlim=hl, nh=nh) / Raw(payload)


PADN6 = bytes([4, 6, 0, 0, 0, 0, 0, 0])

# (name, frame builder, frames expected at the sink, ICMP errors expected at the source)
CASES = [
    ("End, 2 SIDs", lambda i: outer("fc00:5::1", 64, 43,
                                    srh(41, ["fc00:2::f", "fc00:5::1"], 1) + inner6(i)), 1, 0),
    ("End, 3 SIDs", lambda i: outer("fc00:5::1", 64, 43,
                                    srh(41, ["fc00:3::f", "fc00:2::e", "fc00:5::1"], 2) +
                                    inner6(i)), 1, 0),
    ("End, SRH with PadN TLV", lambda i: outer("fc00:5::1", 64, 43,
                                               srh(41, ["fc00:2::f", "fc00:5::1"], 1,
                                                   tlv=PADN6) + inner6(i)), 1, 0),
    ("End.X", lambda i: outer("fc00:5::2", 64, 43,
                              srh(41, ["fc00:2::f", "fc00:5::2"], 1) + inner6(i)), 1, 0),
    ("End.T", lambda i: outer("fc00:5::3", 64, 43,
                              srh(41, ["2001:db8:77::5", "fc00:5::3"], 1) + inner6(i)), 1, 0),
    ("End PSP", lambda i: outer("fc00:5::4", 64, 43,
                                srh(41, ["fc00:2::f", "fc00:5::4"], 1) + inner6(i)), 1, 0),
    ("End.DX6", lambda i: outer("fc00:5::d6", 64, 43,
                                srh(41, ["fc00:5::d6", "fc00:2::1"], 0) + inner6(i)), 1, 0),
    ("End.DX6, no SRH", lambda i: outer("fc00:5::d6", 64, 41, inner6(i)), 1, 0),
    ("End.DX4", lambda i: outer("fc00:5::d4", 64, 4, inner4(i)), 1, 0),
    ("End.DT6, table 100", lambda i: outer("fc00:5::7", 64, 43,
                                           srh(41, ["fc00:5::7", "fc00:2::1"], 0) +
                                           inner6(i, dst="2001:db8:77::9")), 1, 0),
    ("End next-csid, shift", lambda i: outer("fc00:0:100:200:300::", 64, 41, inner6(i)), 1, 0),
    ("End next-csid, argument 0", lambda i: outer("fc00:0:100::", 64, 43,
                                                  srh(41, ["fc00:2::f", "fc00:0:100::"], 1) +
                                                  inner6(i)), 1, 0),
    ("End, hop limit 1: Time Exceeded", lambda i: outer("fc00:5::1", 1, 43,
                                                        srh(41, ["fc00:2::f", "fc00:5::1"], 1) +
                                                        inner6(i)), 0, 1),
    ("End, hop limit 2", lambda i: outer("fc00:5::1", 2, 43,
                                         srh(41, ["fc00:2::f", "fc00:5::1"], 1) + inner6(i)),
     1, 0),
    ("End, Segments Left > Last Entry + 1", lambda i: outer("fc00:5::1", 64, 43,
                                                            srh(41, ["fc00:2::f", "fc00:5::1"],
                                                                3) + inner6(i)), 0, 0),
    ("End.DX6, Segments Left 1", lambda i: outer("fc00:5::d6", 64, 43,
                                                 srh(41, ["fc00:2::1", "fc00:5::d6"], 1) +
                                                 inner6(i)), 0, 0),
]


def read_pcap(path):
    """Frames of a pcap file (microsecond or nanosecond, either byte order)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    frames, off = [], 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def by_case(frames):
    out = {}
    for fr in frames:
        at = fr.find(b"sr6twin")
        if at >= 0 and at + 9 <= len(fr):
            out.setdefault(int(fr[at + 7:at + 9]), []).append(fr)
    return out


def first_diff(a, b):
    n = min(len(a), len(b))
    i = next((k for k in range(n) if a[k] != b[k]), n)
    return "length %d vs %d, first difference at byte %d: kernel %s sr6 %s" % (
        len(a), len(b), i, a[max(0, i - 4):i + 8].hex(), b[max(0, i - 4):i + 8].hex())


def compare(kind, path_k, path_x, hook):
    k, x = by_case(read_pcap(path_k)), by_case(read_pcap(path_x))
    failed = 0
    for i, (name, _, want_sink, want_icmp) in enumerate(CASES):
        want = want_sink if kind == "sink" else want_icmp
        fk, fx = k.get(i, []), x.get(i, [])
        label = "kernel twin (%s), %s: %s" % (hook, kind, name)
        if len(fk) != want or len(fx) != want:
            print("[FAIL] %s: %d frames from the kernel, %d from sr6, want %d" %
                  (label, len(fk), len(fx), want))
            failed += 1
        elif fk != fx:
            print("[FAIL] %s: %s" % (label, first_diff(fk[0], fx[0])))
            failed += 1
        else:
            print("[ OK ] %s (%d identical)" % (label, want))
    return 1 if failed else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "send":
        sendp([CASES[i][1](i) for i in range(len(CASES))], iface=sys.argv[2], inter=0.02)
        return 0
    if len(sys.argv) == 6 and sys.argv[1] == "compare":
        return compare(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
