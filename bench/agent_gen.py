#!/usr/bin/python3
"""A policy of the size the agent is measured at: POLICIES policies of two weighted paths over
1,000 named segment lists of three SIDs, and RULES steering rules on distinct /64 prefixes
(TCP, one port each), each pointing to a policy.  CHANGE=n changes rule n's port (one rule
differs from the file without it).

  agent_gen.py RULES POLICIES [CHANGE] > file.yaml
"""
import sys

rules, policies = int(sys.argv[1]), int(sys.argv[2])
change = int(sys.argv[3]) if len(sys.argv) > 3 else -1
out = sys.stdout
out.write("apiVersion: sr6/v1\nnode:\n  name: scale\n  locator: fc00:1::/48\n"
          "  source: fc00:1::1\n  interfaces: [{ name: s0, attach: xdp }]\n")
out.write("segment_lists:\n")
for i in range(1000):
    out.write('  l%d: ["fc00:%x::10", "fc00:%x::10", "fc00:3::d6"]\n' % (i, 0x100 + i, 0x1100 + i))
out.write("policies:\n")
for i in range(policies):
    out.write("  - { name: p%d, paths: [{ segments: l%d, weight: 3 }, { segments: l%d }] }\n"
              % (i, i % 1000, (i + 1) % 1000))
out.write("steering:\n")
for i in range(rules):
    port = 443 if i != change else 8443
    out.write('  - { match: { dst: "2001:db8:%x:%x::/64", proto: tcp, dport: %d }, policy: p%d }\n'
              % (i >> 16, i & 0xffff, port, i % policies))
