#!/usr/bin/env python3
"""Reconciles the 2025-07-01 conversion table with the 2025-01-04 commune list.

Writes data/vn-admin/corrections-2025-07-01.csv, which ytcs-refdata's
admin_units() applies. Run from the repository root; the output is committed
and reviewed like code (the loader refuses a table that disagrees with the
list without a correction, so a new data drop shows what needs a decision).

Rules (also in crates/ytcs-refdata/src/lib.rs):
- A row whose old code names a commune of the same district under a name
  that folds (diacritics, đ, case) to the same text is fine and not listed.
- Otherwise the row's name is looked up among the communes of its old
  district by bare folded name (without Xã/Phường/Thị trấn):
  * another commune has that name -> `wrong_code`, corrected to its code;
  * the written code's own commune has it (only the type differs) -> `retyped`;
  * the names are close (similarity >= 0.5 once spaces, apostrophes and
    hyphens are dropped) -> `spelling`, accepted as is;
  * else, the code is on the list -> `renamed` (renamed between the lists),
    accepted as is;
  * the code is not on the list at all -> `interim` (a unit formed between
    the lists), corrected to the nearest lower code of the same district on
    the list (new codes are given next to the unit they are carved from).
- An old commune with no row after that is a `missing_row`: its successor is
  the new commune of the same bare name among those its district fed, else
  (rule) the successor of the nearest lower code of its district that has
  one (the nearest higher if none is lower), taken whole.
"""
import csv
import difflib
import re
import sys
import unicodedata
from collections import defaultdict

D = "data/vn-admin/"
LIST = "NSO list of 2025-01-04 (communes-pre-2025-07-01.csv; vietnam-provinces 2026.2.0)"
SOURCES = {
    # Province code -> the Standing Committee resolution that changed its
    # communes between the list (2025-01-04) and the reform (2025-07-01).
    "14": "NQ 1280/NQ-UBTVQH15 (Sơn La, in force 2025-02-01)",
}


def fold(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("đ", "d").replace("Đ", "d").lower()
    return " ".join(s.split())


def bare(s):
    f = fold(s)
    for t in ("thi tran ", "phuong ", "xa ", "dac khu "):
        if f.startswith(t):
            return f[len(t):]
    return f


ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}


def squeeze(s):
    b = bare(s)
    return ROMAN.get(b, re.sub(r"[\s'’\-.]", "", b))


def name_and_code(s):
    m = re.match(r"^(.*)\((\d+)\)\s*$", s.strip())
    return (m.group(1).strip(), m.group(2)) if m else (s.strip(), "")


def main():
    pre = {}
    for r in csv.DictReader(open(D + "communes-pre-2025-07-01.csv", encoding="utf-8")):
        if r["Mã PX"]:
            pre[r["Mã PX"]] = dict(name=r["Phường Xã"], dist=r["Mã QH"], dname=r["Quận Huyện"], prov=r["Mã TP"])
    by_dist = defaultdict(list)
    for c, u in sorted(pre.items()):
        by_dist[u["dist"]].append(c)

    rows = []
    with open(D + "conversion-2025-07-01.csv", encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.reader(f)):
            r = r + [""] * 9
            if i < 2 or not r[2].strip() or not r[4].strip():
                continue
            dname, dcode = name_and_code(r[6])
            rows.append(dict(record=i + 1, new_code=r[2].strip(), new_name=r[1].strip(),
                             old_name=r[3].strip(), old_code=r[4].strip(), note=r[5].strip(),
                             dist=dcode, dname=dname))

    out = []
    corrected = {}  # record -> code
    for r in rows:
        code, name, dist = r["old_code"], r["old_name"], r["dist"]
        listed = pre.get(code)
        if listed and listed["dist"] == dist and fold(listed["name"]) == fold(name):
            continue
        same = [c for c in by_dist[dist] if bare(pre[c]["name"]) == bare(name)]
        prov = listed["prov"] if listed else (pre[by_dist[dist][0]]["prov"] if by_dist[dist] else "")
        source = SOURCES.get(prov, LIST)
        if same and code not in same:
            kind, fixed = "wrong_code", same[0]
            source = f"{LIST}: {fixed} is {pre[fixed]['name']}, {code} is {listed['name'] if listed else 'not listed'}"
        elif listed and listed["dist"] == dist:
            fixed = code
            if same:
                kind = "retyped"
            elif difflib.SequenceMatcher(None, squeeze(name), squeeze(listed["name"])).ratio() >= 0.5:
                kind = "spelling"
            else:
                kind = "renamed"
            source = f"{source}: {code} is {listed['name']}"
        elif not listed:
            lower = [c for c in by_dist[dist] if c < code]
            if not lower:
                sys.exit(f"record {r['record']}: {code} {name}: no commune to attach")
            kind, fixed = "interim", lower[-1]
            source = f"{source}; rule: nearest lower code {fixed} ({pre[fixed]['name']})"
        else:
            sys.exit(f"record {r['record']}: {code} {name} lies in another district")
        corrected[r["record"]] = fixed
        out.append(dict(record=r["record"], old_code=code, old_name=name, district=f"{r['dname']} ({dist})",
                        corrected_code=fixed, kind=kind, new_code=r["new_code"], new_name=r["new_name"],
                        source=source))

    # Successors after the corrections.
    succ = defaultdict(list)
    fed = defaultdict(set)  # old district -> new communes it fed
    new_names = {}
    for r in rows:
        c = corrected.get(r["record"], r["old_code"])
        succ[c].append(r)
        fed[r["dist"]].add(r["new_code"])
        new_names[r["new_code"]] = r["new_name"]
    for code, u in sorted(pre.items()):
        if succ.get(code):
            continue
        named = sorted(n for n in fed[u["dist"]] if bare(new_names[n]) == bare(u["name"]))
        if named:
            new, how = named[0], f"{LIST}; successor by name: {new_names[named[0]]}"
        else:
            codes = by_dist[u["dist"]]
            lower = [c for c in codes if c < code and succ.get(c)]
            higher = [c for c in codes if c > code and succ.get(c)]
            n = lower[-1] if lower else higher[0]
            first = next((r for r in succ[n] if "phần" not in r["note"]), succ[n][0])
            new = first["new_code"]
            how = f"rule: no source found; successor of the nearest code {n} ({pre[n]['name']})"
        out.append(dict(record="", old_code=code, old_name=u["name"], district=f"{u['dname']} ({u['dist']})",
                        corrected_code=code, kind="missing_row", new_code=new, new_name=new_names[new],
                        source=how))

    cols = ["record", "old_code", "old_name", "district", "corrected_code", "kind", "new_code", "new_name", "source"]
    with open(D + "corrections-2025-07-01.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    kinds = defaultdict(int)
    for o in out:
        kinds[o["kind"]] += 1
    print(dict(kinds), file=sys.stderr)


if __name__ == "__main__":
    main()
