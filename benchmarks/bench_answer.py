"""Answer speed: index build time and per-question latency, on the policy and at scale.

Prints figures; asserts nothing (the machines are noisy: compare medians and ratios
measured in one run). Run: python benchmarks/bench_answer.py [--questions N]

1. The policy: build the index, then answer N questions in process (retrieval alone,
   and the full composed answer with templates). Each question is made unique so the
   query-analysis cache cannot flatter the figures.
2. A synthetic corpus of 10,000 sections built from the policy's own sentences, searched
   with the same retriever (rank-bm25). If bm25s is installed, the same corpus and
   queries through bm25s's sparse matrices, for comparison.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.assistant import Assistant
from bot.excerpts import sentences
from knowledge.language import detect
from knowledge.library import Library
from knowledge.retriever import Retriever
from knowledge.sections import Policy, Section

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.jsonl"


def percentiles(samples_s: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples_s)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   (n={len(ms)})"


def unique_questions(n: int, seed: int = 7) -> list[str]:
    base = [json.loads(line)["q"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    return [f"{rng.choice(base)} {i}" for i in range(n)]


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t)
    return out


def synthetic_policy(policy: Policy, size: int, seed: int = 11) -> Policy:
    rng = random.Random(seed)
    pool = [s for sec in policy.sections for s in sentences(sec.text)]
    sections = tuple(
        Section(id=f"9.{i + 1}", heading=None, text=" ".join(rng.sample(pool, 3)), parent=None) for i in range(size)
    )
    return Policy(number="999", title="Synthetic", effective_date=None, sections=sections)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=3000)
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--cold-starts", type=int, default=7)
    args = parser.parse_args()

    library = Library.load()
    policy = library.current()
    builds = timed(lambda _: Retriever(policy), range(20))
    print(f"policy {policy.number}: {len([s for s in policy.sections if s.text])} indexed sections")
    print(f"  index build          {percentiles(builds)}")

    assistant = Assistant(library=library)
    questions = unique_questions(args.questions)
    retriever = assistant.composer.retriever
    print(f"  retrieval only       {percentiles(timed(retriever.search, questions))}")
    model = assistant.composer.model
    print(f"  section model only   {percentiles(timed(model.probabilities, unique_questions(args.questions, seed=9)))}")
    print(f"  language only        {percentiles(timed(detect, unique_questions(args.questions, seed=10)))}")
    questions = unique_questions(args.questions, seed=8)
    print(f"  composed answer      {percentiles(timed(assistant.composer.answer, questions))}")
    cold = []
    for _ in range(args.cold_starts):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot.cli", "ask", "Can I post about my pay on Facebook?"], check=True, capture_output=True)
        cold.append(time.perf_counter() - t)
    print(f"  cold start of `policybot ask` (incl. the answer store): median {statistics.median(cold):.2f} s over {len(cold)} runs")

    big = synthetic_policy(policy, args.scale)
    t = time.perf_counter()
    big_retriever = Retriever(big)
    print(f"synthetic corpus: {args.scale} sections")
    print(f"  index build          {(time.perf_counter() - t) * 1000:9.1f} ms")
    scale_questions = unique_questions(min(args.questions, 500), seed=9)
    rank_bm25_times = timed(big_retriever.search, scale_questions)
    print(f"  rank-bm25 retrieval  {percentiles(rank_bm25_times)}")

    try:
        import bm25s
    except ImportError:
        print("  bm25s                not installed (pip install bm25s) - skipped")
        return
    corpus = [big_retriever._document(s) for s in big_retriever.sections]
    tok = big_retriever.tokenizer
    t = time.perf_counter()
    index = bm25s.BM25(method="bm25+")
    index.index([tok(d) for d in corpus], show_progress=False)
    print(f"  bm25s index build    {(time.perf_counter() - t) * 1000:9.1f} ms")

    def bm25s_search(q: str) -> None:
        query = big_retriever._analyse(q)  # uncached, as the rank-bm25 path paid for it
        terms = list(query.terms) + [t for t, _ in query.alias_terms]
        index.get_scores(terms)

    bm25s_times = timed(bm25s_search, scale_questions)
    print(f"  bm25s retrieval      {percentiles(bm25s_times)}")
    ratio = statistics.median(rank_bm25_times) / statistics.median(bm25s_times)
    print(f"  rank-bm25 / bm25s median ratio: {ratio:.1f}x")


if __name__ == "__main__":
    main()
