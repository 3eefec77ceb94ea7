"""Word vectors from unlabelled Vietnamese text: what lets the category model generalise beyond
the words its labelled set has shown it (eleventh round; training time only).

  1. the words of an unlabelled corpus (comment CSVs: ViHSD, ViCTSD, UIT-VSFC, ViHOS train,
     and the project's own train texts), normalised by the engine (`normalize`) and hashed as
     the toxicity model hashes them (word unigrams with diacritics, `features.extract`);
  2. for each word seen >= `min_count` times, its contexts: the words at distance 1..`window`
     either side, weighted 1/distance; positive pointwise mutual information with the context
     distribution smoothed (alpha 0.75);
  3. truncated SVD to `dim` dimensions (singular values to the power 0.5), rows scaled to unit
     length (fixed random state; one BLAS thread: deterministic).

The category model sees, beside its n-grams, the sum of the vectors of a text's words (each
present word counted once, worth what an n-gram of the text is worth). That term is linear in
the words, so after fitting it folds into one weight per word: w_word = E · w_vec, added to the
word's unigram n-gram weight (a new n-gram key when the labelled set never kept the word). The
artifact and inference are unchanged in kind: a word the labelled set never showed ("đạp")
carries the weight its vector shares with the words it did show ("đấm", "đánh", "đập").
"""

from __future__ import annotations

import csv
import hashlib

import numpy as np

from .categories import present_once
from .features import extract
from .normalize import normalize

__all__ = ["corpus_texts", "load_corpus", "word_keys", "word_key", "word_vectors", "word_occurrences"]

TEXT_COLUMNS = ("free_text", "Comment", "sentence", "content", "text")


def corpus_texts(paths) -> list[str]:
    """The texts of comment CSVs (the first known text column of each: ViHSD `free_text`,
    ViCTSD `Comment`, UIT-VSFC `sentence`, ViHOS `content`, or `text`), labels ignored,
    deduplicated, in a fixed order (sorted by a hash of the text: independent of file order)."""
    seen: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            col = next((c for c in TEXT_COLUMNS if c in (reader.fieldnames or ())), None)
            if col is None:
                raise ValueError(f"{path}: no text column (one of {', '.join(TEXT_COLUMNS)})")
            for r in reader:
                t = (r.get(col) or "").strip()
                if t:
                    seen.add(t)
    key = lambda t: hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest()  # noqa: E731
    return sorted(seen, key=key)


def load_corpus(paths, extra_texts: list[str] | None = None) -> list[str]:
    """The unlabelled corpus: the CSVs' texts, then the given texts (the project's train split)
    not among them, sorted."""
    texts = corpus_texts(paths)
    if extra_texts:
        have = set(texts)
        texts = texts + sorted({t for t in extra_texts if t not in have})
    return texts


def word_keys(norm_texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Keys of the word unigrams (with diacritics) of normalised texts, in text order, and the
    index of the text of each: the keys the toxicity model computes for kind 1, order 1."""
    g = extract(norm_texts, char_orders=(), word_orders=(1,), strip_orders=())
    return g.keys, g.doc


def word_key(word: str) -> int:
    """The key of one word (normalised as a text is), as `word_keys` gives it."""
    k, _d = word_keys([normalize(word).text])
    if len(k) != 1:
        raise ValueError(f"not one word: {word!r}")
    return int(k[0])


def word_vectors(texts: list[str], dim: int = 100, min_count: int = 5, window: int = 2,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Word keys (sorted, uint64) and unit-length word vectors (PPMI + truncated SVD) of raw texts."""
    from scipy.sparse import coo_matrix
    from sklearn.decomposition import TruncatedSVD

    keys, doc = word_keys([normalize(t).text for t in texts])
    uniq, inv, counts = np.unique(keys, return_inverse=True, return_counts=True)
    inv = inv.astype(np.int64)
    vocab_ok = counts >= min_count
    col_of = np.full(len(uniq), -1, dtype=np.int64)
    col_of[vocab_ok] = np.arange(int(vocab_ok.sum()))
    ids = col_of[inv]
    V = int(vocab_ok.sum())
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    for dist in range(1, window + 1):
        a, b = ids[:-dist], ids[dist:]
        ok = (doc[:-dist] == doc[dist:]) & (a >= 0) & (b >= 0)
        w = np.full(int(ok.sum()), 1.0 / dist)
        rows += [a[ok], b[ok]]
        cols += [b[ok], a[ok]]
        vals += [w, w]
    C = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(V, V)).tocsr()
    C.sum_duplicates()
    total = C.sum()
    row_sum = np.asarray(C.sum(1)).ravel()
    ctx = np.asarray(C.sum(0)).ravel() ** 0.75
    ctx /= ctx.sum()
    C = C.tocoo()
    pmi = np.log((C.data / total) / ((row_sum[C.row] / total) * ctx[C.col]))
    keep = pmi > 0
    P = coo_matrix((pmi[keep], (C.row[keep], C.col[keep])), shape=(V, V)).tocsr()
    svd = TruncatedSVD(n_components=min(dim, V - 1), algorithm="randomized", n_iter=7, random_state=seed)
    U = svd.fit_transform(P)  # U * S
    S = svd.singular_values_
    E = U / np.maximum(S, 1e-12) * np.sqrt(S)  # U * S^0.5
    E /= np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-12)
    return uniq[vocab_ok].astype(np.uint64), E


def word_occurrences(words: np.ndarray, f) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, word index, value) of each word of `words` (sorted keys) present in a text of a
    batch's features `f`, once per text — exactly the (doc, column, value) the category model
    gives that word's unigram n-gram key (the same key, the same value)."""
    if not len(words):
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0)
    idx = np.searchsorted(words, f.gram_key)
    np.minimum(idx, len(words) - 1, out=idx)
    ok = words[idx] == f.gram_key
    return present_once(f.gram_doc[ok], idx[ok], f.gram_val[ok], len(words))
