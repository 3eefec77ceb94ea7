"""Text preparation for insight: the safety normaliser plus what students' feedback needs.

`prepare(text)` is the one definition used by training and inference:
  1. emoticons and emoji (and "xD") become the tokens UIT-VSFC uses for them (its sentences
     were collected with ":)" written as "colonsmile", ":(" as "colonsad", …), so
     a student's ":((" weighs what the dataset's "colonsad" weighs;
  2. `cyberyouth.safety.normalize` (NFC, lower case, look-alike letters, old/new tone
     placement, repeated letters, teencode: "ko" → "không", "đc" → "được", …);
  3. the dataset's anonymised names ("wzjwz208") become one token, "wzjwz";
  4. punctuation is set apart by spaces, as in UIT-VSFC ("tốt." → "tốt ."), so
     the character n-grams of a typed sentence match those of the training text.
Pure Python; no Django.
"""

from __future__ import annotations

import re

from cyberyouth.safety.normalize import normalize

__all__ = ["prepare", "EMOTICONS"]

# Typed emoticons and emoji -> the dataset's tokens (longest first when matching).
EMOTICONS: dict[str, str] = {
    ":)))": "colonsmilesmile", ":))": "colonsmilesmile", ":)": "colonsmile", ":-)": "colonsmile",
    "=))": "colonsmilesmile", "=)": "colonsmile", "^^": "colonsmile", "^_^": "colonsmile",
    ":d": "colonbigsmile", ":-d": "colonbigsmile",
    ":((": "colonsad", ":(": "colonsad", ":-(": "colonsad", ":'(": "colonsad", "t_t": "colonsad",
    "<3": "colonlove", ":v": "colonsmile", ":3": "colonsmile", ":o": "colonsurprise",
    ":/": "coloncontemn", "-_-": "coloncontemn", ":|": "coloncontemn",
    "😀": "colonbigsmile", "😃": "colonbigsmile", "😄": "colonbigsmile", "😁": "colonbigsmile",
    "😆": "colonbigsmile", "😂": "colonsmilesmile", "🤣": "colonsmilesmile", "😊": "colonsmile",
    "🙂": "colonsmile", "😉": "colonsmile", "👍": "colonsmile", "😍": "colonlove", "🥰": "colonlove",
    "❤": "colonlove", "❤️": "colonlove", "♥": "colonlove", "😢": "colonsad", "😭": "colonsad",
    "😞": "colonsad", "😔": "colonsad", "☹": "colonsad", "🙁": "colonsad", "😡": "coloncontemn",
    "😠": "coloncontemn", "😒": "coloncontemn", "👎": "coloncontemn", "😮": "colonsurprise",
    "😲": "colonsurprise",
}
_EMO_RE = re.compile(
    "|".join(
        re.escape(k) if not k.isascii()
        # Typed right after a word ("hay:))") counts; inside a time or a link ("8:30", "http://") not.
        else (r"(?<!\S)" if k[0].isalnum() else r"(?<![:=;^<\d])") + re.escape(k) + r"+(?![\w/])"
        for k in sorted(EMOTICONS, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
# Characters any emoticon of EMOTICONS holds (xd is handled on tokens): one cheap search
# rules out most answers before the emoticon pattern runs.
_EMO_HINT = re.compile(
    "[" + re.escape("".join(sorted({ch for k in EMOTICONS for ch in k if not ch.isalnum()}))) + "]"
)
_NAME_RE = re.compile(r"wzjwz\d+")
_PUNCT_RE = re.compile(r"\s*([^\w\s]+)\s*")


def _emoticon(m: re.Match[str]) -> str:
    s = m.group(0).lower()
    for k in sorted(EMOTICONS, key=len, reverse=True):
        if s.startswith(k):
            return f" {EMOTICONS[k]} "
    return " "


def prepare(text: str) -> str:
    """Prepared text of one answer (never raises for any str)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text:
        return ""
    if _EMO_HINT.search(text):
        text = _EMO_RE.sub(_emoticon, text)
    t = normalize(text).text
    if "xd" in t:
        t = " ".join("colonbigsmile" if w == "xd" else w for w in t.split(" "))
    if "wzjwz" in t:
        t = _NAME_RE.sub("wzjwz", t)
    if _PUNCT_RE.search(t):
        t = _PUNCT_RE.sub(r" \1 ", t).strip()
        # Setting punctuation apart can free an emoticon ("a:)b" -> "a :) b"): read it too,
        # so that preparing prepared text changes nothing.
        if _EMO_HINT.search(t):
            t = " ".join(_EMO_RE.sub(_emoticon, t).split())
    return t
