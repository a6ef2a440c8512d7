#!/usr/bin/python3
"""Check `sr6 stats --prometheus` (stdin) against the Prometheus text exposition format.

  prom_check.py < metrics       prints "ok: N families, N samples" or one line per problem

The text is read by the Prometheus client library's own parser (python3-prometheus-client),
which refuses malformed lines; on top of that, the conventions the output promises:
  - every family is declared (# TYPE) and named sr6_[a-z0-9_]*
  - counter samples end in _total; no series appears twice
  - labels come from a small fixed set (no per-packet or per-flow label)
  - counters are whole and non-negative; a histogram's buckets are cumulative, end with
    le="+Inf", and that bucket equals its _count
"""
import math
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

LABELS = {"version", "policy", "path", "segments", "sid", "behavior", "datapath",
          "function", "counter", "ingress", "egress", "le", "reason"}
NAME = re.compile(r"^sr6_[a-z0-9_]*$")


def check(text):
    problems = []
    families = list(text_string_to_metric_families(text))
    seen = set()
    samples = 0
    declared = set(re.findall(r"^# TYPE (\S+) ", text, re.M))
    for fam in families:
        if not NAME.match(fam.name):
            problems.append(f"{fam.name}: not an sr6_ name")
        # The library names a counter family without its _total.
        if fam.type == "unknown" or not {fam.name, fam.name + "_total"} & declared:
            problems.append(f"{fam.name}: no # TYPE line")
        buckets = {}
        counts = {}
        for s in fam.samples:
            samples += 1
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in seen:
                problems.append(f"{s.name}{s.labels}: appears twice")
            seen.add(key)
            extra = set(s.labels) - LABELS
            if extra:
                problems.append(f"{s.name}: unexpected labels {sorted(extra)}")
            if not math.isfinite(s.value) or s.value < 0:
                problems.append(f"{s.name}{s.labels}: value {s.value}")
            if fam.type == "counter":
                if not s.name.endswith("_total"):
                    problems.append(f"{s.name}: a counter sample must end in _total")
                if s.value != int(s.value):
                    problems.append(f"{s.name}{s.labels}: a count that is not whole")
            if fam.type == "histogram":
                series = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
                if s.name.endswith("_bucket"):
                    buckets.setdefault(series, []).append((s.labels["le"], s.value))
                elif s.name.endswith("_count"):
                    counts[series] = s.value
        for series, bs in buckets.items():
            values = [v for _, v in bs]
            if values != sorted(values):
                problems.append(f"{fam.name}{dict(series)}: buckets not cumulative")
            if bs[-1][0] != "+Inf":
                problems.append(f"{fam.name}{dict(series)}: last bucket is not le=\"+Inf\"")
            elif counts.get(series) != bs[-1][1]:
                problems.append(f"{fam.name}{dict(series)}: +Inf bucket {bs[-1][1]} != "
                                f"_count {counts.get(series)}")
    if not families:
        problems.append("no metric at all")
    return problems, len(families), samples


def main():
    try:
        problems, nfam, nsamples = check(sys.stdin.read())
    except ValueError as e:
        print(f"not the Prometheus text format: {e}")
        return 1
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"ok: {nfam} families, {nsamples} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
