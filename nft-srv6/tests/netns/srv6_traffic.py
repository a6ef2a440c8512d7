#!/usr/bin/python3
"""Crafted SRv6 traffic and the counts each nft-srv6 rule must show.

  srv6_traffic.py plan DIR             write DIR/rules.txt (a batch of counting rules),
                                       DIR/packets.json and DIR/expected.json
  srv6_traffic.py send DIR IFACE MAC   send DIR/packets.json out of IFACE to MAC
  srv6_traffic.py check DIR LIB NFT    compare expected counts with the library's JSON
                                       listing (file LIB) and "nft -a list table" (file NFT)
  srv6_traffic.py gen DIR N KEY=VALUE...  append N packets to DIR/packets.json (sids as a
                                       comma list; numbers as numbers; inner=none for none)
  srv6_traffic.py frame FILE MAC KEY=VALUE...  write one Ethernet frame to FILE

Every packet is built byte by byte here (outer IPv6, SRH with any Last Entry, flags, tag
and TLVs, then the inner packet), and every rule comes with a predicate written over the
packet's description: an oracle independent of the compiler.  Each match kind has rules
that must hit (count > 0) and rules that must miss (count 0).
"""
import ipaddress
import json
import random
import re
import struct
import sys

LOC = "fc00:5:3::"          # SID space routed through the router under test
MARK = "fc00:5:3::aa"       # the SID "contains" looks for
GHOST = "fc00:5:3::bb"      # never a SID; sometimes the inner destination


def sid(i, j=0):
    return "fc00:5:3:%x::%x" % (i, j + 1)


def ip6(a):
    return ipaddress.IPv6Address(a).packed


def ip4(a):
    return ipaddress.IPv4Address(a).packed


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def l4(p):
    proto = p["proto"]
    if proto in (6, 17):
        if proto == 6:
            return struct.pack("!HHIIBBHHH", p["sport"], p["dport"], 1, 0, 0x50, 0x02, 1024, 0, 0)
        return struct.pack("!HHHH", p["sport"], p["dport"], 8 + 4, 0) + b"data"
    if proto in (1, 58):
        return struct.pack("!BBHHH", 8 if proto == 1 else 128, 0, 0, 1, 1) + b"ping"
    return b"payload!"


def inner_bytes(p):
    if p["inner"] == 6:
        body = l4(p)
        nh = p["proto"]
        if p.get("inner_ext"):
            # hop-by-hop (PadN) before the transport header
            body = struct.pack("!BB", nh, 0) + b"\x01\x04\0\0\0\0" + body
            nh = 0
        return struct.pack("!IHBB", 6 << 28, len(body), nh, 64) + ip6(p["isrc"]) + ip6(p["idst"]) + body
    if p["inner"] == 4:
        body = l4(p)
        opts = b"\x01\x01\x01\x00" if p.get("v4opts") else b""
        ihl = 5 + len(opts) // 4
        hdr = struct.pack("!BBHHHBBH", 0x40 | ihl, 0, 20 + len(opts) + len(body), 1,
                          p.get("frag", 0), 64, p["proto"], 0) + ip4(p["isrc"]) + ip4(p["idst"]) + opts
        hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        return hdr + body
    return b""


def packet_bytes(p):
    inner = inner_bytes(p)
    inner_nh = {6: 41, 4: 4, None: 59}[p["inner"]]
    if not p["srh"]:
        body = struct.pack("!HHHH", 4000, 53, 12, 0) + b"data"
        return struct.pack("!IHBB", 6 << 28, len(body), 17, 64) + ip6(p["src"]) + ip6(p["dst"]) + body
    segs = b"".join(ip6(s) for s in p["sids"])
    tlv = bytes.fromhex(p.get("tlv", ""))
    hdrlen = (len(segs) + len(tlv)) // 8
    srh = struct.pack("!BBBBBBH", inner_nh, hdrlen, p.get("rt_type", 4), p["sl"], p["le"],
                      p["flags"], p["tag"]) + segs + tlv
    nh, ext = 43, srh
    if p.get("dstopt"):
        # destination options (PadN) before the SRH
        ext = struct.pack("!BB", 43, 0) + b"\x01\x04\0\0\0\0" + srh
        nh = 60
    payload = ext + inner
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, 64) + ip6(p["src"]) + ip6(p["dst"]) + payload


def packet(**kw):
    p = {"srh": True, "src": "fc00:a::1", "flags": 0, "tag": 0, "inner": 6,
         "isrc": "2001:db8:a::1", "idst": "2001:db8:b::1", "proto": 17,
         "sport": 4000, "dport": 53}
    p.update(kw)
    if p["srh"]:
        p.setdefault("sids", [sid(7)])
        p.setdefault("le", len(p["sids"]) - 1)
        p.setdefault("sl", len(p["sids"]) - 1)
        p["dst"] = p["sids"][min(p["sl"], len(p["sids"]) - 1)]
    return p


def make_packets():
    rnd = random.Random(8754)
    pkts = []

    def add(**kw):
        pkts.append(packet(**kw))

    inners = [
        dict(inner=6, proto=6, sport=40000, dport=80),
        dict(inner=6, proto=6, sport=40001, dport=443),
        dict(inner=6, proto=17, sport=5353, dport=53),
        dict(inner=6, proto=58),
        dict(inner=6, proto=6, sport=40002, dport=22, inner_ext=True),
        dict(inner=4, isrc="10.1.0.1", idst="10.2.0.1", proto=6, sport=40003, dport=80),
        dict(inner=4, isrc="10.1.0.2", idst="192.168.7.1", proto=17, sport=1234, dport=53),
        dict(inner=4, isrc="10.1.0.3", idst="10.2.0.9", proto=1),
        dict(inner=4, isrc="10.1.0.4", idst="10.2.0.1", proto=6, sport=40004, dport=80, v4opts=True),
        dict(inner=4, isrc="10.1.0.5", idst="10.2.0.1", proto=17, sport=1235, dport=53, frag=185),
        dict(inner=None, proto=59),
    ]
    # no TLV, PadN, an opaque TLV (type 6) then PadN
    tlvs = ["", "0406000000000000", "0606a1a2a3a4a5a6" + "0406000000000000"]
    idx = 0
    for n in range(1, 17):
        for k, inn in enumerate(inners):
            if (n + k) % 3:
                continue
            idx += 1
            sids = [sid(n, j) for j in range(n)]
            if k % 4 == 0:
                sids[rnd.randrange(n)] = MARK
            add(sids=sids, sl=rnd.randrange(n), tag=[0, 0x1234, 0x10, 0xFFFF][idx % 4],
                flags=[0, 0x08, 0x80][(idx // 2) % 3], tlv=tlvs[(idx // 3) % 3],
                src=["fc00:a::1", "fc00:a:0:1::1", "fc00:a::99"][(idx // 4) % 3],
                isrc=inn.get("isrc", "2001:db8:a::%x" % n), idst=inn.get("idst", "2001:db8:b::%x" % k),
                **{x: v for x, v in inn.items() if x not in ("isrc", "idst")})
    add(sids=[sid(4, j) for j in range(4)], sl=2, inner=6, proto=6, sport=7, dport=80)
    # deep lists: positions past the exthdr reach (16+) are read from the network header
    for n, pos in ((20, 18), (24, 23), (40, 33)):
        sids = [sid(n, j) for j in range(n)]
        sids[pos] = MARK
        add(sids=sids, sl=n - 1, inner=6, proto=6, sport=5000, dport=8080)
        add(sids=sids, sl=3, inner=6, proto=6, sport=5000, dport=8080, dstopt=True)
    # malformed: Last Entry claims 6 SIDs, the header holds 2 and an 8-byte TLV, so the
    # inner source sits exactly where Segment List[3] would be
    for ghost in (sid(3, 3), GHOST):
        add(sids=[sid(3, 0), sid(3, 1)], le=5, sl=1, tlv="0406000000000000", inner=6,
            isrc=ghost, proto=17, sport=1, dport=2)
    # the ghost address as an inner destination of a well-formed packet
    add(sids=[sid(2, 0), sid(2, 1)], sl=1, inner=6, idst=GHOST, proto=6, sport=9, dport=9)
    # a routing header that is not an SRH (type 0), and plain IPv6
    add(sids=[sid(9, 0)], sl=0, rt_type=0, inner=6, proto=6, sport=1, dport=80)
    add(srh=False, dst=sid(7, 0))
    add(srh=False, dst=sid(7, 1), src="fc00:a::2:1")
    return pkts


# ---------------------------------------------------------------- rule oracles

def in_net(addr, net):
    return ipaddress.ip_address(addr) in ipaddress.ip_network(net)


def srh(p):
    return p["srh"] and p.get("rt_type", 4) == 4


def nsids(p):
    """SIDs the header really holds (Hdr Ext Len) that Last Entry also covers."""
    held = len(p["sids"]) + len(bytes.fromhex(p.get("tlv", ""))) // 16
    return min(p["le"] + 1, held, len(p["sids"]))


def sid_at(p, i):
    if not srh(p) or i >= nsids(p):
        return None
    if i > 15 and p.get("dstopt"):
        return None        # documented: positions 16+ need the SRH right after IPv6
    return p["sids"][i]


def inner6(p):
    return srh(p) and p["inner"] == 6


def inner4(p):
    return srh(p) and p["inner"] == 4


def ports6(p, proto):
    return inner6(p) and not p.get("inner_ext") and p["proto"] == proto


def ports4(p, proto):
    return inner4(p) and not p.get("v4opts") and not p.get("frag") and p["proto"] == proto


def contains(p, a):
    return srh(p) and any(sid_at(p, i) == a for i in range(nsids(p)))


CASES = [
    # name, rule, predicate, "hit" or "miss"
    ("srh only", "counter", lambda p: srh(p), "hit"),
    ("saddr prefix", "saddr fc00:a::/64 counter", lambda p: srh(p) and in_net(p["src"], "fc00:a::/64"), "hit"),
    ("saddr !=", "saddr != fc00:a::1 counter", lambda p: srh(p) and p["src"] != "fc00:a::1", "hit"),
    ("saddr set", "saddr { fc00:a::99, fc00:a:0:1::/64 } counter",
     lambda p: srh(p) and (p["src"] == "fc00:a::99" or in_net(p["src"], "fc00:a:0:1::/64")), "hit"),
    ("saddr miss", "saddr fc00:dead::/32 counter", lambda p: False, "miss"),
    ("daddr single", "daddr %s counter" % sid(4, 2),
     lambda p: srh(p) and p["dst"] == sid(4, 2), "hit"),
    ("daddr range", "daddr fc00:5:3:4::1-fc00:5:3:8::ffff counter",
     lambda p: srh(p) and ipaddress.IPv6Address("fc00:5:3:4::1") <= ipaddress.IPv6Address(p["dst"])
     <= ipaddress.IPv6Address("fc00:5:3:8::ffff"), "hit"),
    ("daddr miss", "daddr fc00:5:4::/48 counter", lambda p: False, "miss"),
    ("segleft 0", "segleft 0 counter", lambda p: srh(p) and p["sl"] == 0, "hit"),
    ("segleft range", "segleft 2-4 counter", lambda p: srh(p) and 2 <= p["sl"] <= 4, "hit"),
    ("segleft !=", "segleft != 1 counter", lambda p: srh(p) and p["sl"] != 1, "hit"),
    ("segleft set", "segleft { 0, 5, 9-11 } counter",
     lambda p: srh(p) and (p["sl"] in (0, 5) or 9 <= p["sl"] <= 11), "hit"),
    ("segleft miss", "segleft 200-255 counter", lambda p: False, "miss"),
    ("last-entry", "last-entry 15 counter", lambda p: srh(p) and p["le"] == 15, "hit"),
    ("last-entry set", "last-entry { 0, 7 } counter", lambda p: srh(p) and p["le"] in (0, 7), "hit"),
    ("last-entry miss", "last-entry 100 counter", lambda p: False, "miss"),
    ("flags", "flags 0x08 counter", lambda p: srh(p) and p["flags"] == 0x08, "hit"),
    ("flags !=", "flags != 0x00 counter", lambda p: srh(p) and p["flags"] != 0, "hit"),
    ("flags miss", "flags 0x40 counter", lambda p: False, "miss"),
    ("tag", "tag 0x1234 counter", lambda p: srh(p) and p["tag"] == 0x1234, "hit"),
    ("tag range", "tag 0x0001-0x00ff counter", lambda p: srh(p) and 1 <= p["tag"] <= 0xFF, "hit"),
    ("tag set", "tag { 0x0010, 0xffff } counter", lambda p: srh(p) and p["tag"] in (0x10, 0xFFFF), "hit"),
    ("tag miss", "tag 0x4242 counter", lambda p: False, "miss"),
    ("sid[0]", "sid[0] %s counter" % sid(5, 0), lambda p: sid_at(p, 0) == sid(5, 0), "hit"),
    ("sid[3] prefix", "sid[3] fc00:5:3:c::/64 counter",
     lambda p: sid_at(p, 3) is not None and in_net(sid_at(p, 3), "fc00:5:3:c::/64"), "hit"),
    ("sid[3] prefix /63", "sid[3] fc00:5:3:c::/63 counter",
     lambda p: sid_at(p, 3) is not None and in_net(sid_at(p, 3), "fc00:5:3:c::/63"), "hit"),
    ("sid[15]", "sid[15] %s counter" % sid(16, 15), lambda p: sid_at(p, 15) == sid(16, 15), "hit"),
    ("sid[23] deep", "sid[23] %s counter" % MARK, lambda p: sid_at(p, 23) == MARK, "hit"),
    ("sid[18] set", "sid[18] { %s, %s } counter" % (MARK, sid(40, 18)),
     lambda p: sid_at(p, 18) in (MARK, sid(40, 18)), "hit"),
    ("sid[3] past the header", "sid[3] %s counter" % sid(3, 3), lambda p: sid_at(p, 3) == sid(3, 3), "miss"),
    ("sid[1] !=", "sid[1] != %s counter" % MARK,
     lambda p: sid_at(p, 1) is not None and sid_at(p, 1) != MARK, "hit"),
    ("sid[5] miss", "sid[5] %s counter" % sid(2, 0), lambda p: False, "miss"),
    ("contains", "contains %s counter" % MARK, lambda p: contains(p, MARK), "hit"),
    ("contains set", "contains { %s, %s } counter" % (sid(12, 11), sid(6, 0)),
     lambda p: contains(p, sid(12, 11)) or contains(p, sid(6, 0)), "hit"),
    ("contains prefix", "contains fc00:5:3:28::/64 counter",
     lambda p: srh(p) and any(sid_at(p, i) and in_net(sid_at(p, i), "fc00:5:3:28::/64")
                              for i in range(nsids(p))), "hit"),
    ("contains two", "contains %s contains %s counter" % (MARK, sid(20, 0)),
     lambda p: contains(p, MARK) and contains(p, sid(20, 0)), "hit"),
    ("contains miss (inner bytes)", "contains %s counter" % GHOST, lambda p: False, "miss"),
    ("inner saddr v6", "inner saddr 2001:db8:a::/48 counter",
     lambda p: inner6(p) and in_net(p["isrc"], "2001:db8:a::/48"), "hit"),
    ("inner daddr v6", "inner daddr 2001:db8:b::4 counter", lambda p: inner6(p) and p["idst"] == "2001:db8:b::4", "hit"),
    ("inner daddr v6 !=", "inner daddr != 2001:db8:b::/48 counter",
     lambda p: inner6(p) and not in_net(p["idst"], "2001:db8:b::/48"), "hit"),
    ("inner saddr v4", "inner saddr 10.1.0.0/16 counter", lambda p: inner4(p) and in_net(p["isrc"], "10.1.0.0/16"), "hit"),
    ("inner daddr v4 set", "inner daddr { 192.168.7.1, 10.2.0.8-10.2.0.9 } counter",
     lambda p: inner4(p) and (p["idst"] == "192.168.7.1" or p["idst"] in ("10.2.0.8", "10.2.0.9")), "hit"),
    ("inner saddr v4 /9", "inner saddr 10.0.0.0/9 counter", lambda p: inner4(p) and in_net(p["isrc"], "10.0.0.0/9"), "hit"),
    ("saddr prefix /50", "saddr fc00:a::/50 counter", lambda p: srh(p) and in_net(p["src"], "fc00:a::/50"), "hit"),
    ("inner saddr miss", "inner saddr 172.16.0.0/12 counter", lambda p: False, "miss"),
    ("inner ipv6", "inner proto ipv6 counter", lambda p: inner6(p), "hit"),
    ("inner ipv4", "inner proto ipv4 counter", lambda p: inner4(p), "hit"),
    ("inner tcp v6", "inner proto ipv6 inner proto tcp counter", lambda p: inner6(p) and p["proto"] == 6 and not p.get("inner_ext"), "hit"),
    ("inner udp v4", "inner proto ipv4 inner proto udp counter", lambda p: inner4(p) and p["proto"] == 17, "hit"),
    ("inner icmpv6", "inner proto icmpv6 counter", lambda p: inner6(p) and p["proto"] == 58, "hit"),
    ("inner icmp", "inner proto icmp counter", lambda p: inner4(p) and p["proto"] == 1, "hit"),
    ("inner proto set", "inner proto ipv6 inner proto { tcp, icmpv6 } counter",
     lambda p: inner6(p) and not p.get("inner_ext") and p["proto"] in (6, 58), "hit"),
    ("inner proto !=", "inner proto ipv4 inner proto != tcp counter", lambda p: inner4(p) and p["proto"] != 6, "hit"),
    ("inner proto miss", "inner proto ipv6 inner proto sctp counter", lambda p: False, "miss"),
    ("inner dport v6", "inner proto ipv6 inner proto tcp inner dport 80 counter",
     lambda p: ports6(p, 6) and p["dport"] == 80, "hit"),
    ("inner dport v6 set", "inner proto ipv6 inner proto tcp inner dport { 22, 443, 8000-8080 } counter",
     lambda p: ports6(p, 6) and (p["dport"] in (22, 443) or 8000 <= p["dport"] <= 8080), "hit"),
    ("inner sport v6 range", "inner proto ipv6 inner proto { tcp, udp } inner sport 5000-6000 counter",
     lambda p: (ports6(p, 6) or ports6(p, 17)) and 5000 <= p["sport"] <= 6000, "hit"),
    ("inner dport v4", "inner proto ipv4 inner proto tcp inner dport 80 counter",
     lambda p: ports4(p, 6) and p["dport"] == 80, "hit"),
    ("inner dport v4 !=", "inner proto ipv4 inner proto udp inner dport != 1-52 counter",
     lambda p: ports4(p, 17) and not 1 <= p["dport"] <= 52, "hit"),
    ("inner sport v4 set", "inner proto ipv4 inner proto udp inner sport { 1234, 1235 } counter",
     lambda p: ports4(p, 17) and p["sport"] in (1234, 1235), "hit"),
    ("inner dport v6 ext header", "inner proto ipv6 inner proto tcp inner dport 22 counter",
     lambda p: ports6(p, 6) and p["dport"] == 22, "miss"),
    ("inner dport miss", "inner proto ipv6 inner proto udp inner dport 9999 counter", lambda p: False, "miss"),
    ("combined", "saddr fc00:a::/64 segleft 0-3 inner proto ipv6 inner proto tcp inner dport { 80, 443 } counter",
     lambda p: srh(p) and in_net(p["src"], "fc00:a::/64") and p["sl"] <= 3 and ports6(p, 6)
     and p["dport"] in (80, 443), "hit"),
    ("combined v4", "tag != 0x0000 inner daddr 10.2.0.0/24 inner proto tcp inner dport 80 counter",
     lambda p: srh(p) and p["tag"] != 0 and inner4(p) and in_net(p["idst"], "10.2.0.0/24")
     and ports4(p, 6) and p["dport"] == 80, "hit"),
]


def plan(out):
    pkts = make_packets()
    with open(out + "/packets.json", "w") as f:
        json.dump(pkts, f)
    with open(out + "/rules.txt", "w") as f:
        for _, rule, _, _ in CASES:
            f.write("add hook forward %s\n" % rule)
    exp = []
    for name, rule, pred, kind in CASES:
        n = sum(1 for p in pkts if pred(p))
        exp.append({"name": name, "rule": rule, "count": n, "kind": kind})
    with open(out + "/expected.json", "w") as f:
        json.dump(exp, f)


def send(out, iface, mac):
    from scapy.all import Ether, Raw, sendp
    pkts = json.load(open(out + "/packets.json"))
    frames = [Ether(dst=mac, type=0x86DD) / Raw(packet_bytes(p)) for p in pkts]
    sendp(frames, iface=iface, verbose=False)


def check(out, lib_file, nft_file):
    exp = json.load(open(out + "/expected.json"))
    lib = json.load(open(lib_file))
    nft_counts, body_counts, via_body = {}, {}, {}
    chain = None
    for line in open(nft_file):
        m = re.match(r"\s*chain (\S+) {", line)
        if m:
            chain = m.group(1)
        m = re.search(r"counter packets (\d+) bytes \d+.*# handle (\d+)", line)
        if m:
            nft_counts[int(m.group(2))] = int(m.group(1))
            if chain.startswith("_sr6b"):
                body_counts[chain[5:]] = int(m.group(1))
        # a rule with "contains": its statements sit in the auxiliary body chain
        m = re.search(r"jump _sr6c(\d+)_1 # handle (\d+)", line)
        if m:
            via_body[int(m.group(2))] = m.group(1)
    for h, aux in via_body.items():
        nft_counts[h] = body_counts.get(aux)
    rules = [r for r in lib["rules"] if r["chain"] == "forward"]
    failed = 0
    if len(rules) != len(exp):
        print("[FAIL] traffic: %d rules listed, %d added" % (len(rules), len(exp)))
        return 1
    for e, r in zip(exp, rules):
        name = "traffic: %s (%s)" % (e["name"], e["rule"])
        why = []
        if e["kind"] == "hit" and e["count"] == 0:
            why.append("the packet set has no packet this rule should hit")
        if e["kind"] == "miss" and e["count"] != 0:
            why.append("oracle counts %d for a rule that must miss" % e["count"])
        got = r.get("counter", {}).get("packets")
        if got != e["count"]:
            why.append("library counter %s, expected %d" % (got, e["count"]))
        if nft_counts.get(r["handle"]) != e["count"]:
            why.append("nft counter %s, expected %d" % (nft_counts.get(r["handle"]), e["count"]))
        if why:
            failed += 1
            print("[FAIL] %s: %s" % (name, "; ".join(why)))
        else:
            print("[ OK ] %s: %d packets" % (name, e["count"]))
    return 1 if failed else 0


def spec(args):
    kw = {}
    for a in args:
        k, v = a.split("=", 1)
        if k == "sids":
            kw[k] = v.split(",")
        elif k == "inner":
            kw[k] = None if v == "none" else int(v)
        elif k in ("srh", "dstopt", "inner_ext", "v4opts"):
            kw[k] = v == "1"
        elif re.fullmatch(r"0x[0-9a-f]+|\d+", v):
            kw[k] = int(v, 0)
        else:
            kw[k] = v
    return kw


def gen(out, n, args):
    kw = spec(args)
    try:
        pkts = json.load(open(out + "/packets.json"))
    except FileNotFoundError:
        pkts = []
    pkts += [packet(**kw) for _ in range(n)]
    with open(out + "/packets.json", "w") as f:
        json.dump(pkts, f)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "plan":
        plan(sys.argv[2])
    elif cmd == "send":
        send(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif cmd == "gen":
        gen(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    elif cmd == "frame":
        eth = bytes.fromhex(sys.argv[3].replace(":", "")) + b"\x02\0\0\0\0\x01\x86\xdd"
        with open(sys.argv[2], "wb") as f:
            f.write(eth + packet_bytes(packet(**spec(sys.argv[4:]))))
    else:
        sys.exit("unknown command " + cmd)
