"""Check a question author's files: python3 check_author.py aNN [--min 6]

Reads out/aNN.questions.jsonl and out/aNN.conversations.jsonl (next to this file, in the
authoring folder the author is given) and prints format problems and counts against the
quotas (QUOTAS.md: at least 6 questions per section; QUOTAS2.md: --min 4; QUOTAS3.md: --min 3; QUOTAS4.md: --min 2).
"""
import json, sys
from collections import Counter
IDS = ["1","2.1","2.2","2.3","2.4","2.5","3.1","3.2"] + [f"3.3.{i}" for i in range(1,13)] + ["3.4","3.5.1","3.5.2","3.5.3","3.6","3.7","3.8","4","5","6","7"]
args = sys.argv[1:]; MIN = 6
if "--min" in args:  # the flag may come before or after the author
    at = args.index("--min"); MIN = int(args[at + 1]); del args[at : at + 2]
a = args[0]; bad = 0
def chk(where, sections, nlra):
    global bad
    if not isinstance(sections, list) or any(s not in IDS for s in sections) or len(sections) > 3:
        print(where, "bad sections", sections); bad += 1
    if not isinstance(nlra, bool): print(where, "nlra must be true/false"); bad += 1
    if not sections and nlra: print(where, "not covered must have nlra false"); bad += 1
qs = []
for n, line in enumerate(open(f"out/{a}.questions.jsonl", encoding="utf-8"), 1):
    if not line.strip(): continue
    try: r = json.loads(line)
    except Exception as e: print(f"questions:{n} not JSON: {e}"); bad += 1; continue
    if r.get("author") != a or not r.get("q") or "lang" not in r: print(f"questions:{n} missing q/lang/author"); bad += 1
    chk(f"questions:{n}", r.get("sections"), r.get("nlra")); qs.append(r)
convs = []
try:
    for n, line in enumerate(open(f"out/{a}.conversations.jsonl", encoding="utf-8"), 1):
        if not line.strip(): continue
        try: r = json.loads(line)
        except Exception as e: print(f"conversations:{n} not JSON: {e}"); bad += 1; continue
        if not 2 <= len(r.get("turns", [])) <= 4: print(f"conversations:{n} needs 2-4 turns"); bad += 1
        for i, t in enumerate(r.get("turns", [])): chk(f"conversations:{n} turn {i}", t.get("sections"), t.get("nlra"))
        convs.append(r)
except FileNotFoundError: print("no conversations file yet")
main = Counter(r["sections"][0] for r in qs if r.get("sections"))
print(f"{len(qs)} questions: {sum(1 for r in qs if r.get('sections'))} in scope, {sum(1 for r in qs if not r.get('sections'))} not covered, "
      f"{sum(1 for r in qs if r.get('nlra'))} nlra true; languages {dict(Counter(r.get('lang') for r in qs))}")
print("main section counts:", dict(sorted(main.items(), key=lambda kv: [int(x) for x in kv[0].split('.')])))
print(f"sections under {MIN}:", [s for s in IDS if main[s] < MIN])
print(f"{len(convs)} conversations, {sum(len(c['turns']) for c in convs)} turns; problems: {bad}")
print("unique questions:", len({r['q'].strip().lower() for r in qs}), "of", len(qs))
