"""What a pupil can add to a message without changing what it says, and whether the flags move.

Each edit is applied to every text of the category set's dev split; the script prints, per edit,
how many texts' flags changed and every category's recall / false-positive rate against the
plain texts. The model card's twentieth round (docs/safety/model-card-history.md) came from this
(laughter appended took harassment recall 0.517 -> 0.359, "bạn ơi " first 0.517 -> 0.27, before
the copies in training), and its twenty-first (the other way: "ê mày " first took violence FPR
0.033 -> 0.089, " #chill" drugs FPR 0.009 -> 0.121). Uses the models in service (CYBERYOUTH_SAFETY_MODEL_DIR to measure another).

Run (≈ 15 s): SECRET_KEY=x .venv/bin/python scripts/safety_perturbations.py
"""

import random
import re

from cyberyouth.safety import dataset
from cyberyouth.safety.engine import CATEGORIES, analyze_many
from cyberyouth.safety.normalize import strip_diacritics


def _edits():
    rng = random.Random(1)

    def stretch(t):  # one word's last letter held: "nha" -> "nhaaaa"
        ws = t.split()
        if not ws:
            return t
        i = rng.randrange(len(ws))
        ws[i] = ws[i] + ws[i][-1] * 3 if ws[i][-1:].isalpha() else ws[i]
        return " ".join(ws)

    def dots(t):  # a word spelt with dots: "n.g.u"
        ws = t.split()
        long = [i for i, w in enumerate(ws) if len(w) >= 4 and w.isalpha()]
        if long:
            i = rng.choice(long)
            ws[i] = ".".join(ws[i])
        return " ".join(ws)

    return {
        "upper case": str.upper, "lower case": str.lower, "a letter stretched": stretch,
        "dots inside a word": dots, "punctuation dropped": lambda t: re.sub(r"[^\w\s]", "", t),
        "double spaces": lambda t: t.replace(" ", "  "),
        "capital and full stop": lambda t: t[:1].upper() + t[1:] + ".",
        'laughter " 😂😂"': lambda t: t + " 😂😂", 'laughter " =)))))"': lambda t: t + " =)))))",
        'laughter " kkkkk"': lambda t: t + " kkkkk", 'laughter " :v"': lambda t: t + " :v",
        'address "ê " first': lambda t: "ê " + t, 'address "ơi " first': lambda t: "ơi " + t,
        'address "bạn ơi " first': lambda t: "bạn ơi " + t, 'address "này " first': lambda t: "này " + t,
        'particle " nhé" last': lambda t: t + " nhé", 'particle " nha" last': lambda t: t + " nha",
        'particle " nhỉ" last': lambda t: t + " nhỉ",
        "diacritics dropped": strip_diacritics, 'address "ê mày " first': lambda t: "ê mày " + t,
        'address "ê ê " first': lambda t: "ê ê " + t, 'emoji " 😡"': lambda t: t + " 😡",
        'emoji " 🙄"': lambda t: t + " 🙄", 'emoji " ❤️"': lambda t: t + " ❤️",
        'hashtag " #xuhuong"': lambda t: t + " #xuhuong", 'hashtag " #chill"': lambda t: t + " #chill",
        'hashtags " #lop9 #kyniem"': lambda t: t + " #lop9 #kyniem",
    }


def _figures(dev, flags) -> str:
    out = []
    for c in CATEGORIES:
        pos = [c in ex.labels for ex in dev]
        p, n = sum(pos), len(pos) - sum(pos)
        tp = sum(1 for y, f in zip(pos, flags) if y and c in f)
        fp = sum(1 for y, f in zip(pos, flags) if not y and c in f)
        out.append(f"{c} {tp / p:.3f}/{fp / n:.3f}")
    return "  ".join(out)


def main() -> None:
    dev = dataset.split("dev")
    texts = [ex.text for ex in dev]
    plain = [set(v.flags) for v in analyze_many(texts, explain=False)]
    print(f"{'plain':28} {'':>8}  {_figures(dev, plain)}")
    for name, edit in _edits().items():
        flags = [set(v.flags) for v in analyze_many([edit(t) for t in texts], explain=False)]
        changed = sum(a != b for a, b in zip(plain, flags))
        print(f"{name:28} {changed:>4} changed  {_figures(dev, flags)}")


if __name__ == "__main__":
    main()
