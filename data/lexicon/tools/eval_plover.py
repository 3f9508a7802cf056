#!/usr/bin/env python3
"""Scores sitrep's lexicon on the PLOVER/CAMEO gold-standard sentences.

    python3 data/lexicon/tools/eval_plover.py SITREP [GOLD_JSON] [-v]

SITREP is the sitrep binary; GOLD_JSON defaults to
../shared/corpora/events/plover/PLOVER_GSR_CAMEO.txt.  Each sentence is
coded with the dictionaries of data/lexicon/sitrep.project; an intended,
threatened or negated event takes the CAMEO code of its mood (modality.tsv),
and its CAMEO code is turned into a PLOVER category with cameo_plover.tsv (the 2016
categories the gold file uses).  A sentence has the right category when one
of its events has the gold category, and also the right source when that
event's source code starts with one of the gold source codes (HUNGOV for
HUN) or is their prefix.  Prints both rates; -v lists the misses.
"""
import json
import os
import re
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
    mood = read_modality(os.path.join(LEX, "modality.tsv"))
    lines = "".join(json.dumps({"id": g["id"], "text": g["text"], "date": g.get("date", "")}) + "\n"
                    for g in gold)
    cmd = [sitrep, "code"]
    for f in project_files(os.path.join(LEX, "sitrep.project")):
        cmd += ["--dict", f]
    out = subprocess.run(cmd, input=lines, capture_output=True, text=True)
    coded = {}
    for line in out.stdout.splitlines():
        d = json.loads(line)
        coded[d["id"]] = d.get("events", [])
    n = cat = src = 0
    for g in gold:
        n += 1
        events = [e for e in (in_mood(e, mood) for e in coded.get(g["id"], [])) if e]
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


def in_mood(e, mood):
    """The event with the CAMEO code of its mood (modality.tsv), or None
    for a negated event that has no refusal code."""
    col = {"intent": 1, "threat": 2}.get(e.get("modality"), 0)
    if e.get("negated"):
        col = 3
    if col == 0 or e["cameo"] not in mood:
        return e
    code = mood[e["cameo"]][col - 1]
    if not code:
        return None
    e = dict(e)
    e["cameo"] = code
    return e


def read_modality(path):
    m = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) == 4 and p[0].isdigit():
                m[p[0]] = p[1:]
    return m


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


def project_files(path):
    base = os.path.dirname(path)
    out = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*<(actors|agents|options|verbs)file>\s*(\S+)", line)
        if m:
            out.append(os.path.join(base, m.group(2)))
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
