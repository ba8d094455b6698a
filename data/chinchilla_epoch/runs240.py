#!/usr/bin/env python3
"""Prints the 240 Epoch points as a runs CSV (params,tokens,loss) for `scalecalc fit`.

Derived exactly as the replication does (Besiroglu et al. 2024; data/README.md): tokens
D = Training FLOP / (6 * Model Size), and the 5 points with the highest loss are dropped. The
shipped file is read, never changed:

    python3 data/chinchilla_epoch/runs240.py > epoch240.csv
    scalecalc fit epoch240.csv --json
"""
import csv
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "svg_extracted_data.csv"), newline="") as f:
    rows = [(float(r["Model Size"]), float(r["Training FLOP"]), float(r["loss"])) for r in csv.DictReader(f)]
assert len(rows) == 245, len(rows)
cut = sorted((l for _, _, l in rows), reverse=True)[4]
kept = [(n, c / (6 * n), l) for n, c, l in rows if l < cut]
assert len(kept) == 240, len(kept)
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["params", "tokens", "loss"])
for n, d, l in kept:
    out.writerow([repr(n), repr(d), repr(l)])
