#!/usr/bin/env python3
"""Scores sitrep's lexicon on the PLOVER/CAMEO gold-standard sentences.

    python3 data/lexicon/tools/eval_plover.py SITREP [GOLD_JSON] [-v]

SITREP is the sitrep binary; GOLD_JSON defaults to
../shared/corpora/events/plover/PLOVER_GSR_CAMEO.txt.  Each sentence is
coded with the lexicon folder (data/lexicon: sitrep.project and the tables
next to it); sitrep itself gives an intended, threatened or negated event the
CAMEO code of its mood (modality.tsv), and its CAMEO code is turned into a
PLOVER category with cameo_plover.tsv (the 2016 categories the gold file
uses).  A sentence has the right category when one
of its events has the gold category, and also the right source when that
event's source code starts with one of the gold source codes (HUNGOV for
HUN) or is their prefix.  Prints both rates; -v lists the misses.
"""
import json
import os
import subprocess
import sys

LEX = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(LEX))


def main(argv):
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    if not argv:
        sys.exit(__doc__)
    sitrep = argv[0]
    gold_path = argv[1] if len(argv) > 1 else os.path.join(
        REPO, "..", "shared", "corpora", "events", "plover", "PLOVER_GSR_CAMEO.txt")
    gold = [g for g in json.load(open(gold_path, encoding="utf-8")) if g.get("text")]
    plover = read_plover(os.path.join(LEX, "cameo_plover.tsv"))
    lines = "".join(json.dumps({"id": g["id"], "text": g["text"], "date": g.get("date", "")}) + "\n"
                    for g in gold)
    cmd = [sitrep, "code", "--dict", LEX]
    out = subprocess.run(cmd, input=lines, capture_output=True, text=True)
    coded = {}
    for line in out.stdout.splitlines():
        d = json.loads(line)
        coded[d["id"]] = d.get("events", [])
    n = cat = src = 0
    for g in gold:
        n += 1
        events = coded.get(g["id"], [])
        golds = [s.get("code", "") for s in g.get("source", []) if s.get("code")]
        hit_cat = [e for e in events if plover.get(e["cameo"], "") == g["event"]]
        hit_src = [e for e in hit_cat if e.get("source") and any(
            same_actor(e["source"]["code"], c) for c in golds)]
        cat += bool(hit_cat)
        src += bool(hit_src)
        if verbose and not hit_src:
            got = ["%s/%s/%s(%s)" % ((e.get("source") or {}).get("code"), (e.get("target") or {}).get("code"),
                                    e["cameo"], plover.get(e["cameo"], "")) for e in events]
            print("%s %s %s | %s\n   got %s" % ("SRC" if hit_cat else "CAT", g["event"], golds,
                                             g["text"][:160], got))
    print("plover gold: %d sentences, category %.1f%%, category+source %.1f%%"
          % (n, 100.0 * cat / n, 100.0 * src / n))
    if out.stderr.strip():
        sys.stderr.write(out.stderr[-2000:])






def same_actor(code, gold):
    code = code or ""
    return bool(gold) and (code.startswith(gold) or gold.startswith(code)) and len(code) >= 3


def read_plover(path):
    m = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 9 and p[0].isdigit():
                m[p[0]] = p[8]
    return m




if __name__ == "__main__":
    main(sys.argv[1:])
