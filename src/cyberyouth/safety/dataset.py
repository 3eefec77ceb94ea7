"""The project's own labelled set for the child-safety categories (data/categories/*.tsv).

Loading expands each authored line into its texts: the line itself (placeholders such as
{ten} filled with a name chosen deterministically), and for some lines a variant typed
without diacritics or in teencode. A line and its variants form one *group*; the
train/dev split is made per group (stratified by family), so a text and its near-duplicate
never fall on different sides. Everything is deterministic (hashes, no random state).

Line format (tab-separated): `labels<TAB>text`, labels a comma-separated list of category
codes or "-" for none; `@family NAME` starts a family; `#` starts a comment. See
data/categories/README.md.
"""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .categories import CATEGORIES as CATEGORY_CODES
from .categories import load_signals
from .normalize import strip_diacritics

__all__ = ["Example", "CATEGORY_CODES", "NAME_PLACEHOLDERS", "load", "split", "held_out_files", "every_variant", "teencode_variant", "laughter_variant",
           "register_variant", "tag_variant", "read_csv"]

DEV_EVERY = 4  # one group in four (per family) goes to dev

# Placeholders are filled from two disjoint pools: train texts from one, dev texts from the other,
# so dev measures what a deployment meets — children, classes and schools the set never named.
# (Until the twelfth round both sides drew from one pool of 30 given names, used in four times
# more harms than hard negatives: the model learnt the names. Dev refilled with unseen names lost
# harassment recall 0.56 -> 0.52 and personal data 0.92 -> 0.87 at the same thresholds.) The train
# pool is large, with the forms pupils use — given names, full names, nicknames — so that no
# name's own n-grams carry weight.
_NAMES = (
    "Lan", "Hùng", "Minh Anh", "Tuấn", "Ngọc Hân", "Quân", "Thảo", "Bảo Ngọc", "Đức", "Hà My",
    "Khánh", "Linh", "Phúc", "Trang", "Hoàng", "Yến", "Long", "Mai Chi", "Nam", "Diệp",
    "Huyền", "Tùng", "Vy", "Sơn", "Thư", "Đạt", "Nhung", "Kiên", "Phương", "Hiếu",
    "An", "Dũng", "Giang", "Hải", "Quỳnh", "Trâm", "Tiến", "Việt", "Hưng", "Thịnh",
    "Cường", "Dương", "Hậu", "Thành", "Trung", "Nhi", "Ánh", "Hoa", "Thủy", "Lâm",
    "Anh Thư", "Gia Bảo", "Minh Khôi", "Thanh Hương", "Đăng Khoa", "Khánh Vy", "Bảo Anh",
    "Tuệ Nhi", "Hoài Nam", "Phương Linh", "Thu Trang", "Đức Anh", "Ngọc Mai", "Quang Minh",
    "Nguyễn Minh Đức", "Trần Thu Hà", "Lê Văn Tài", "Phạm Thị Huệ", "Vũ Gia Hưng", "Đỗ Khánh Linh",
    "Bùi Quang Huy", "Hoàng Thảo Vy", "Đặng Tiến Đạt", "Đinh Công Mạnh", "Lương Thị Ngọc",
    "Tèo", "Bin", "Su", "Mít", "Bơ", "Tũn", "Bi", "Bông",
)
_CLASSES = ("6A1", "6A3", "7A2", "7B", "8A", "8A4", "9A1", "9C", "10A2", "11B3", "12A5", "7A", "9B", "8C2",
            "6A2", "6C", "7A4", "8B", "9A2", "10A1", "10C3", "11A2", "11D", "12B1", "12D4")
_SCHOOLS = ("Cát Bà", "Cát Hải", "Hoàng Châu", "Văn Phong", "Nghĩa Lộ", "Phù Long", "Gia Luận", "Trân Châu",
            "Xuân Đám", "Hiền Hào", "Trần Hưng Đạo", "Chu Văn An")
_DEV_NAMES = (
    "Bình", "Gia Huy", "Thùy Dung", "Quốc Bảo", "Hải Yến", "Khoa", "Ngân", "Thắng", "Duy", "Như Quỳnh",
    "Vân Anh", "Trí", "Xuân", "Kim Oanh", "Hữu Nghĩa", "Loan", "Tâm", "Sang", "Châu", "Phong",
    "Nguyễn Văn Toàn", "Trần Thị Mơ", "Phạm Gia Khiêm", "Lê Minh Triết", "Hà Thanh Tú", "Đoàn Thị Lụa",
    "Tí", "Na", "Cún", "Bống",
)
_DEV_CLASSES = ("6B1", "7C", "8D", "9A5", "10B", "11A4", "12C1", "7B2", "8A1", "10D2")
_DEV_SCHOOLS = ("Ngô Quyền", "Trần Phú", "Lê Chân", "Kiến An", "Thủy Sơn", "Hồng Bàng")
# A third pool, sharing no word with the other two, fills the files held out of training
# (`split("held_out", …)`): a model trained without them meets children, classes and schools it
# saw neither in training nor when its thresholds were chosen — as a deployment does. (Filled
# like the rest of the set, mostly from the train pool, as until the twenty-third session,
# held-out harassment was flattered by names the model knew: recall 0.698 for lines that drew a
# train-pool name, 0.531 for the others.)
_FRESH_NAMES = (
    "Hạnh", "Lộc", "Tường Vi", "Khải", "Diễm", "Nhật Uyển", "Uyên", "Thiện", "Trọng Nhân", "Diệu Thuần",
    "Cao Nhã Nguyệt", "Tạ Khắc Vinh", "Kiệt", "Sương", "Bích Ngà", "Phi", "Lợi", "Thoa",
    "Kha Bội Nghi", "Mạc Thế Khuê", "Ly", "Thục", "Quế Trinh", "Ngà", "Tấn Khang", "Lựu", "Sóc", "Mận",
)
_FRESH_CLASSES = ("6D", "7D3", "8E", "9D1", "10E", "11C2", "12E3")
_FRESH_SCHOOLS = ("Dư Hàng", "Bãi Cháy", "Hàng Kênh", "Lạc Viên")
# The placeholders that stand for a person's name (the others stand for a class or a school).
NAME_PLACEHOLDERS = ("{ten}", "{ten2}", "{ten_ascii}")
_POOLS = {"train": (_NAMES, _CLASSES, _SCHOOLS), "dev": (_DEV_NAMES, _DEV_CLASSES, _DEV_SCHOOLS),
          "fresh": (_FRESH_NAMES, _FRESH_CLASSES, _FRESH_SCHOOLS)}


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: frozenset[str]
    family: str
    group: str  # "<file>:<line>": a line and its variants
    variant: str  # "original" | "no_diacritics" | "teencode"; in the fit only: "laughter" | "register" | "tag" | "dropout"
    # True: `labels` are the categories a person confirmed and the others were not judged (a
    # moderator confirms one category per decision), so the text is no negative for them.
    partial: bool = False

    def known(self, category: str) -> bool:
        """Whether this text says anything about `category` (present or absent)."""
        return not self.partial or category in self.labels


def _h(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")


def _fill_values(key: str, pool: str = "train") -> dict[str, str]:
    """What each placeholder of the line `key` is filled with from `pool` (chosen by a hash of the key)."""
    names, classes, schools = _POOLS[pool]
    h = _h(key)
    name = names[h % len(names)]
    name2 = names[(h // 31 + 7) % len(names)]
    if name2 == name:
        name2 = names[(h % len(names) + 1) % len(names)]
    return {"{ten2}": name2, "{ten_ascii}": strip_diacritics(name).lower().replace(" ", ""), "{ten}": name,
            "{lop}": classes[(h // 7) % len(classes)], "{truong}": schools[(h // 13) % len(schools)]}


def _fill(text: str, key: str, pool: str = "train") -> str:
    for placeholder, value in _fill_values(key, pool).items():  # {ten2} and {ten_ascii} before {ten}
        text = text.replace(placeholder, value)
    return text


@lru_cache(maxsize=1)
def _filled_by_group() -> dict[str, tuple[tuple[str, str], ...]]:
    dev = _dev_groups()
    out = {}
    for group, text, _labels, _family in _lines():
        values = _fill_values(group, "dev" if group in dev else "train")
        used = tuple((p, v) for p, v in values.items() if p in text)
        if used:
            out[group] = used
    return out


def fills(group: str, placeholders: tuple[str, ...] = NAME_PLACEHOLDERS) -> tuple[str, ...]:
    """The words the line `group` had its `placeholders` filled with (a name, a class, a school),
    as it reads them; none for a line without them or a row of a CSV."""
    return tuple(v for p, v in _filled_by_group().get(group, ()) if p in placeholders)


# How young people type: the inverse of data/teencode.json for the common words, plus a
# few habits (dropped tone marks on some words, "j" for "gì"). Applied word by word.
_TEEN = {
    "không": "ko", "được": "dc", "với": "vs", "mày": "m", "tao": "t", "gì": "j", "rồi": "r",
    "biết": "bít", "quá": "wa", "vậy": "v", "thôi": "thui", "nhé": "nha", "anh": "a", "em": "e",
    "mình": "mk", "bạn": "b", "người": "ng", "chồng": "ck", "vợ": "vk", "yêu": "iu", "thế": "z",
    "luôn": "lun", "muốn": "mún", "giờ": "h", "chết": "chớt",
    "trường": "trg", "lớp": "lp", "nhiều": "nhìu", "đâu": "đou", "ơi": "ơiii",
}
_WORD = re.compile(r"\w+|\W+")


def teencode_variant(text: str) -> str:
    """The text as typed in teencode (lower case, common abbreviations)."""
    out = []
    for tok in _WORD.findall(text.lower()):
        out.append(_TEEN.get(tok, tok))
    return "".join(out)


def _parse(name: str, raw: str) -> list[tuple[str, frozenset[str], str, int]]:
    rows = []
    family = ""
    for i, line in enumerate(raw.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@family"):
            family = line.split(None, 1)[1].strip()
            continue
        labels_s, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise ValueError(f"{name}:{i}: expected 'labels<TAB>text'")
        labels = frozenset() if labels_s.strip() == "-" else frozenset(x.strip() for x in labels_s.split(","))
        bad = labels - set(CATEGORY_CODES)
        if bad:
            raise ValueError(f"{name}:{i}: unknown category {sorted(bad)}")
        if not family:
            raise ValueError(f"{name}:{i}: line before any @family")
        rows.append((text.strip(), labels, family, i))
    return rows


@lru_cache(maxsize=1)
def _lines() -> tuple[tuple[str, str, frozenset[str], str], ...]:
    """Every authored line as (group, text with its placeholders, labels, family), in file order."""
    root = resources.files("cyberyouth.safety").joinpath("data/categories")
    out = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".tsv"):
            for text, labels, family, line in _parse(entry.name, entry.read_text("utf-8")):
                out.append((f"{entry.name[:-4]}:{line}", text, labels, family))
    return tuple(out)


@lru_cache(maxsize=2)
def load(fresh: bool = False) -> tuple[Example, ...]:
    """Every text of the set, originals and variants, in file order; with `fresh`, every line
    filled from the pool no split draws from (names, classes and schools never seen)."""
    dev = _dev_groups()
    out: list[Example] = []
    for group, text, labels, family in _lines():
        filled = _fill(text, group, "fresh" if fresh else "dev" if group in dev else "train")
        out.append(Example(filled, labels, family, group, "original"))
        h = _h(group)
        keep = {"no_diacritics": h % 3 == 0, "teencode": h % 4 == 1}
        out.extend(v for v in _variants(out[-1]) if keep[v.variant])
    return tuple(out)


def _variants(ex: Example) -> list[Example]:
    """The forms of an original text as pupils type it: without diacritics, in teencode."""
    out = [Example(strip_diacritics(ex.text), ex.labels, ex.family, ex.group, "no_diacritics", ex.partial)]
    teen = teencode_variant(ex.text)
    if teen != ex.text.lower():
        out.append(Example(teen, ex.labels, ex.family, ex.group, "teencode", ex.partial))
    return out


def every_variant(examples: list[Example]) -> list[Example]:
    """The typed forms of each original among `examples` that the set left out (the set gives a
    line its no-diacritics form one time in three and its teencode form one time in four, by
    hash): for training, so that every line is also seen as pupils type it."""
    have = {(ex.group, ex.variant) for ex in examples}
    return [v for ex in examples if ex.variant == "original"
            for v in _variants(ex) if (v.group, v.variant) not in have]


def _copies(examples: list[Example], variant: str, texts_of: Callable[[str], tuple[str, ...]]) -> list[Example]:
    """Fit-only copies of each original: `texts_of(text)` gives the copies' texts; labels, family,
    group and partiality are the original's."""
    return [Example(text, ex.labels, ex.family, ex.group, variant, ex.partial)
            for ex in examples if ex.variant == "original" for text in texts_of(ex.text)]


def laughter_variant(examples: list[Example]) -> list[Example]:
    """Each original with laughter appended (a form of the laughter cue group chosen by a hash of
    the text; an emoji one to three times), same labels and group. Laughter by itself says nothing
    about harm — a mocker laughs as much as a friend — so the fit must not learn it as a sign of
    banter from how our texts happened to be written."""
    forms = load_signals().phrases["laughter"]

    def laughing(text: str) -> tuple[str]:
        h = _h(text)
        form = forms[h % len(forms)]
        form = form * (1 + (h >> 16) % 3) if len(form) == 1 and not form.isalnum() else form
        return (f"{text} {form}",)

    return _copies(examples, "laughter", laughing)


# How a pupil opens or closes any message, a jibe or a threat as much as a chat: an address
# interjection first, or a soft particle last (the "soft_particle" cue group, "ê", "này"). Since the
# twenty-first round also "ê mày", "ê ê": aiming a text at someone does not make it a harm — "ê mày"
# first took dev violence FPR 0.033 -> 0.089 and "ê ê" sexual 0.025 -> 0.054 without them.
ADDRESS = ("ê ", "ơi ", "bạn ơi ", "này ", "nè ", "alo ", "ừ ", "ủa ", "ê mày ", "mày ơi ", "ê ê ", "tao bảo này ")
PARTICLES = (" nhé", " nha", " nhỉ", " nè", " ha", " nhen", " hen", " nhá", " đó", " á")


def register_variant(examples: list[Example]) -> list[Example]:
    """Each original twice: opened with an address word and closed with a soft particle (each chosen
    by a hash of the text), same labels and group: like laughter, these say nothing by themselves
    about harm, and a model over words learns them from how our texts happened to be written. (One
    copy of either kind, as in the twentieth round, left "ơi" first 0.05 under plain harassment
    recall once the address words were twelve.)"""
    def opened_and_closed(text: str) -> tuple[str, str]:
        h = _h("register:" + text)
        body = text.rstrip(" .!?")  # the particle goes before the final punctuation
        return (ADDRESS[(h >> 8) % len(ADDRESS)] + text,
                body + PARTICLES[(h >> 16) % len(PARTICLES)] + text[len(body):])

    return _copies(examples, "register", opened_and_closed)


# Tags a pupil adds to any post to reach the feed or the school's crowd; none says what the post
# is about (topical tags such as "#batnathocduong" do, and are left to the texts that use them).
PLATFORM_TAGS = ("#fyp", "#xuhuong", "#trend", "#viral", "#foryou", "#tiktok", "#xh", "#trending",
                 "#hocsinh", "#hocduong", "#tuoiteen", "#capcut")


def tag_variant(examples: list[Example]) -> list[Example]:
    """Each original with one or two platform tags appended (chosen by a hash of the text), same
    labels and group: in our texts tags sat mostly under harms (56 of the 86 train texts with
    one), so "#xuhuong" appended to every dev text raised harassment recall 0.512 -> 0.620 and its
    false-positive rate 0.023 -> 0.034 — a tag read as a harm."""
    def tagged(text: str) -> tuple[str]:
        h = _h("tag:" + text)
        tags = [PLATFORM_TAGS[h % len(PLATFORM_TAGS)]]
        if (h >> 8) % 2:
            tags.append(PLATFORM_TAGS[(h >> 16) % len(PLATFORM_TAGS)])
        return (" ".join([text, *dict.fromkeys(tags)]),)

    return _copies(examples, "tag", tagged)


# The share of words a dropout copy leaves out (twenty-second round).
DROPOUT_RATE = 0.10


def dropout_variant(examples: list[Example]) -> list[Example]:
    """Each text of four words or more among `examples` — originals, typed forms and the other
    fit-only copies alike — once more with about one word in ten left out (chosen by a hash of
    the text), same labels and group: the "random deletion" of EDA (Wei & Zou 2019). A new writer's
    harm shares only some of its words with ours; copies that lack a word make the fit spread its
    weight over the rest of a text instead of the one n-gram our writer happened to use. Every kind
    of text gets its copy so that none gains weight over another: copies of the originals alone
    outnumbered the laughter and address copies and brought back the bias those remove ("😂😂"
    appended: harassment recall 0.515 -> 0.470)."""
    out = []
    for ex in examples:
        words = ex.text.split()
        if ex.variant == "dropout" or len(words) < 4:
            continue
        h = _h("dropout:" + ex.text)
        left = [w for i, w in enumerate(words) if _h(f"{h}:{i}") % 1000 >= DROPOUT_RATE * 1000]
        if len(left) < len(words):
            out.append(Example(" ".join(left), ex.labels, ex.family, ex.group, "dropout", ex.partial))
    return out


# The files of the first four rounds are split together, per family (the split every
# published figure up to round 4 used). Each later file is split on its own, per family:
# adding texts then never moves an existing text across the split, so dev figures before
# and after a round compare the same old texts (plus the new file's own dev share).
_ROUNDS_1_TO_4 = frozenset({
    "harassment", "harm_wave2", "harm_wave3", "harm_wave4", "negatives_fiction_idiom", "negatives_framed",
    "negatives_wave2", "negatives_wave3", "negatives_wave4", "personal_data", "scam_gambling_drugs",
    "self_harm", "sexual_violence",
})


def _file_of(group: str) -> str:
    return group.rsplit(":", 1)[0]


def _split_key(group: str, family: str) -> str:
    file = _file_of(group)
    return family if file in _ROUNDS_1_TO_4 else f"{file}/{family}"


@lru_cache(maxsize=1)
def _dev_groups() -> frozenset[str]:
    by_family: dict[str, list[str]] = {}
    for group, _text, _labels, family in _lines():
        by_family.setdefault(_split_key(group, family), []).append(group)
    dev = set()
    for family, groups in by_family.items():
        ordered = sorted(groups, key=lambda g: _h("split:" + g))
        offset = _h("offset:" + family) % DEV_EVERY
        dev.update(g for k, g in enumerate(ordered) if k % DEV_EVERY == offset)
    return frozenset(dev)


def held_out_files(patterns: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The set's files (names without ".tsv") that match any of the shell-style `patterns`
    ("*wave13*", "harm_wave14_short"). A pattern matching no file is an error: a typo must not
    quietly hold out nothing."""
    files = sorted({_file_of(group) for group, _text, _labels, _family in _lines()})
    held: set[str] = set()
    for pattern in patterns:
        found = fnmatch.filter(files, pattern.removesuffix(".tsv"))
        if not found:
            raise ValueError(f"hold-out pattern {pattern!r} matches no file of the set (its files: "
                             f"{', '.join(files)})")
        held.update(found)
    return frozenset(held)


def split(part: str, hold_out: tuple[str, ...] | list[str] = ()) -> list[Example]:
    """'train' or 'dev' (groups never straddle the two). With `hold_out` (patterns of the set's
    files, `held_out_files`), those files leave train and dev and are the part 'held_out': every
    text of them, whichever side the split gave it — what a model trained without them never saw,
    as a new writer's texts would be, about children, classes and schools neither split names
    (the fresh pool)."""
    if part not in ("train", "dev", "held_out"):
        raise ValueError("part must be 'train', 'dev' or 'held_out'")
    held = held_out_files(hold_out) if hold_out else frozenset()
    if part == "held_out":
        if not held:
            raise ValueError("the part 'held_out' needs hold_out patterns")
        return [ex for ex in load(fresh=True) if _file_of(ex.group) in held]
    dev = _dev_groups()
    return [ex for ex in load() if (ex.group in dev) == (part == "dev") and _file_of(ex.group) not in held]


_YES = frozenset({"1", "yes", "true", "x", "có", "co"})
_NO = frozenset({"", "0", "no", "false", "-", "không", "khong"})


def read_csv(path: str | Path) -> list[Example]:
    """A labelled CSV of one's own: columns text and labels (comma/semicolon/pipe-separated
    category codes, empty or "-" for none); optional family; optional partial ("1": the labels
    are what a person confirmed, the other categories were not judged — what
    `cyberyouth monitoring export-decisions --scheme category` writes for a confirmation)."""
    p = Path(path)
    with p.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        if "text" not in fields or "labels" not in fields:
            raise ValueError(f"{p}: needs columns 'text' and 'labels' (columns: {', '.join(fields)})")
        out = []
        for i, r in enumerate(reader, start=2):
            raw = (r.get("labels") or "").strip()
            labels = frozenset() if raw in ("", "-") else frozenset(
                x.strip() for x in re.split(r"[,;|]", raw) if x.strip())
            bad = labels - set(CATEGORY_CODES)
            if bad:
                raise ValueError(f"{p}:{i}: unknown category {sorted(bad)} (known: {', '.join(CATEGORY_CODES)})")
            flag = (r.get("partial") or "").strip().lower()
            if flag not in _YES | _NO:
                raise ValueError(f"{p}:{i}: partial must be 1 or 0, not {flag!r}")
            partial = flag in _YES
            if partial and not labels:
                raise ValueError(f"{p}:{i}: a partial row needs the categories that were confirmed")
            out.append(Example(r.get("text") or "", labels, r.get("family") or "", f"{p.name}:{i}", "original",
                               partial))
    return out
