"""The policy: its text as shipped, the parser, the vocabulary and the BM25 retriever."""
