"""The learned category model: the project's set, every family's positives and hard
negatives (texts written for these tests, not in the set), framing, spans, the CLI."""

import json
import re

import numpy as np
import pytest

from cyberyouth.safety import analyze, analyze_many, dataset
from cyberyouth.safety.categories import CATEGORIES, load_category_model, load_signals
from cyberyouth.safety.cli import main
from cyberyouth.safety.engine import Engine, get_engine
from cyberyouth.safety.normalize import strip_diacritics

# ---------------------------------------------------------------- the set


def test_the_set_is_large_multilabel_and_covers_every_category():
    examples = dataset.load()
    assert len(examples) >= 1500
    for part in ("train", "dev"):
        split = dataset.split(part)
        for c in CATEGORIES:
            assert sum(c in ex.labels for ex in split) >= 10, (part, c)
        assert sum(not ex.labels for ex in split) >= 100
    assert sum(len(ex.labels) > 1 for ex in examples) >= 50
    assert not [ex.text for ex in examples if "{" in ex.text or "}" in ex.text]


def test_variants_never_straddle_the_split():
    train_groups = {ex.group for ex in dataset.split("train")}
    dev_groups = {ex.group for ex in dataset.split("dev")}
    assert train_groups and dev_groups and not train_groups & dev_groups
    variants = {ex.variant for ex in dataset.load()}
    assert variants == {"original", "no_diacritics", "teencode"}
    by_group: dict[str, list] = {}
    for ex in dataset.load():
        by_group.setdefault(ex.group, []).append(ex)
    for exs in by_group.values():
        if len(exs) > 1:
            original = exs[0].text
            for ex in exs[1:]:
                if ex.variant == "no_diacritics":
                    assert ex.text == strip_diacritics(original)


def test_every_variant_adds_the_typed_forms_the_set_left_out_and_nothing_else():
    train = dataset.split("train")
    extra = dataset.every_variant(train)
    have = {(ex.group, ex.variant) for ex in train}
    added = {(ex.group, ex.variant) for ex in extra}
    assert extra and not have & added and len(added) == len(extra)
    assert {ex.group for ex in extra} <= {ex.group for ex in train}  # never a dev line
    original = {ex.group: ex for ex in train if ex.variant == "original"}
    for ex in extra:
        src = original[ex.group]
        assert ex.labels == src.labels and ex.family == src.family
        assert ex.text == (strip_diacritics(src.text) if ex.variant == "no_diacritics"
                           else dataset.teencode_variant(src.text))
    # with them, every train line is there in both typed forms (teencode where it differs)
    both = have | added
    assert all((g, "no_diacritics") in both for g in original)
    assert dataset.every_variant(train + extra) == []


def test_laughter_variant_is_each_train_original_with_laughter_and_its_labels():
    train = dataset.split("train")
    laughing = dataset.laughter_variant(train)
    originals = [ex for ex in train if ex.variant == "original"]
    assert len(laughing) == len(originals) and dataset.laughter_variant(laughing) == []
    forms = set(load_signals().phrases["laughter"])
    for src, ex in zip(originals, laughing):
        assert (ex.labels, ex.family, ex.group, ex.variant) == (src.labels, src.family, src.group, "laughter")
        assert ex.text.startswith(src.text + " "), ex.text
        tail = ex.text[len(src.text) + 1:]
        assert tail in forms or (len(set(tail)) == 1 and tail[0] in forms), ex.text
    assert len({ex.text[len(src.text) + 1:] for src, ex in zip(originals, laughing)}) > 20  # the whole group


def test_register_variant_opens_and_closes_each_train_original_with_a_neutral_word():
    train = dataset.split("train")
    originals = [ex for ex in train if ex.variant == "original"]
    copies = dataset.register_variant(train)
    assert len(copies) == 2 * len(originals) and dataset.register_variant(copies) == []
    for src, opened, closed in zip(originals, copies[::2], copies[1::2]):
        for ex in (opened, closed):
            assert (ex.labels, ex.family, ex.group, ex.variant) == (src.labels, src.family, src.group, "register")
        assert any(opened.text == a + src.text for a in dataset.ADDRESS), opened.text
        body = src.text.rstrip(" .!?")
        assert any(closed.text == body + p + src.text[len(body):] for p in dataset.PARTICLES), closed.text
    assert {a for a in dataset.ADDRESS if any(ex.text.startswith(a) for ex in copies[::2])} == set(dataset.ADDRESS)


def test_tag_variant_appends_platform_tags_to_each_train_original():
    train = dataset.split("train")
    originals = [ex for ex in train if ex.variant == "original"]
    tagged = dataset.tag_variant(train)
    assert len(tagged) == len(originals) and dataset.tag_variant(tagged) == []
    two = 0
    for src, ex in zip(originals, tagged):
        assert (ex.labels, ex.family, ex.group, ex.variant) == (src.labels, src.family, src.group, "tag")
        assert ex.text.startswith(src.text + " "), ex.text
        tags = ex.text[len(src.text) + 1:].split(" ")
        assert 1 <= len(tags) <= 2 and set(tags) <= set(dataset.PLATFORM_TAGS), ex.text
        two += len(tags) == 2
    assert 0.3 < two / len(tagged) < 0.6


def test_dropout_variant_leaves_out_about_one_word_in_ten_of_every_longer_fit_text():
    train = dataset.split("train")
    fit = train + dataset.every_variant(train) + dataset.laughter_variant(train) + dataset.register_variant(train)
    copies = dataset.dropout_variant(fit)
    assert dataset.dropout_variant(copies) == []
    source = iter(ex for ex in fit if len(ex.text.split()) >= 4)
    left_out = []
    kinds = set()
    for ex in copies:
        src = next(s for s in source if s.group == ex.group and s.labels == ex.labels
                   and _is_subsequence(ex.text.split(), s.text.split()))
        assert (ex.labels, ex.family, ex.partial, ex.variant) == (src.labels, src.family, src.partial, "dropout")
        words, rest = src.text.split(), ex.text.split()
        assert len(rest) < len(words), ex.text
        left_out.append(1 - len(rest) / len(words))
        kinds.add(src.variant)
    # every kind of fit text has its copies, so none gains weight over another
    assert kinds == {"original", "no_diacritics", "teencode", "laughter", "register"}
    assert len(copies) > 0.7 * sum(len(ex.text.split()) >= 4 for ex in fit)
    assert 0.08 < sum(left_out) / len(left_out) < 0.15  # about one word in ten
    short = [ex for ex in train if len(ex.text.split()) < 4]
    assert short and dataset.dropout_variant(short) == []


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(w in it for w in part)


def test_held_out_files_leave_train_and_dev_and_are_judged_whole():
    """`hold_out`: the files matching the patterns leave both sides of the split and form the
    part 'held_out' — their train lines and their dev lines, every typed form; the other files'
    split is untouched, and nothing is lost or counted twice."""
    patterns = ("*wave13*", "harm_wave14_short.tsv")
    files = dataset.held_out_files(patterns)
    assert files == {"harm_wave13_selfharm_violence", "harm_wave13_targeted", "harm_wave13_threats",
                     "negatives_wave13_selfharm_violence", "negatives_wave13_targeted",
                     "negatives_wave13_threats", "harm_wave14_short"}
    train, dev, held = (dataset.split(part, patterns) for part in ("train", "dev", "held_out"))
    assert len(train) + len(dev) + len(held) == len(dataset.load())
    assert {dataset._file_of(ex.group) for ex in held} == files
    assert not {dataset._file_of(ex.group) for ex in train + dev} & files
    dev_groups = dataset._dev_groups()
    assert any(ex.group in dev_groups for ex in held) and any(ex.group not in dev_groups for ex in held)
    assert {ex.variant for ex in held} == {"original", "no_diacritics", "teencode"}
    assert train == [ex for ex in dataset.split("train") if dataset._file_of(ex.group) not in files]


def test_held_out_files_name_children_neither_split_names():
    """The held-out part is filled from the fresh pool, which shares no word (with or without
    diacritics) with the train and dev pools: a model trained without those files is judged on
    names it never met, in training or when its thresholds were chosen."""
    def words(*pools):
        return {x for pool in pools for n in pool for w in n.split() for x in (w.lower(), strip_diacritics(w).lower())}

    fresh_pool = dataset._POOLS["fresh"]
    seen = words(*dataset._POOLS["train"], *dataset._POOLS["dev"])
    assert not words(*fresh_pool) & seen
    held = dataset.split("held_out", ("negatives_wave24_named*",))
    named = [ex for ex in held if ex.variant == "original"]
    forms = [f for n in fresh_pool[0] for f in (n, strip_diacritics(n).lower().replace(" ", ""))]
    assert named and all(any(f in ex.text for f in forms) for ex in named)  # every line names a classmate
    trained = {ex.group: ex.text for ex in dataset.load() if ex.variant == "original"}
    assert all(ex.text != trained[ex.group] for ex in named)


def test_the_shipped_model_was_trained_on_every_file_of_the_set():
    """A model trained with `hold_out` is a yardstick, never the one in service."""
    meta = load_category_model().meta
    assert "hold_out" not in meta["training"] and "held_out_metrics" not in meta


def test_a_hold_out_pattern_that_matches_no_file_is_an_error():
    with pytest.raises(ValueError, match="matches no file"):
        dataset.split("train", ("*wave99*",))
    with pytest.raises(ValueError, match="needs hold_out"):
        dataset.split("held_out")


def test_adding_a_file_never_moves_earlier_texts_across_the_split():
    """Rounds 1-4 keep the split every earlier figure used (266 dev lines, this digest);
    a later file is split on its own, so it cannot reshuffle them."""
    import hashlib

    old = sorted({ex.group for ex in dataset.split("dev") if ex.group.split(":")[0] in dataset._ROUNDS_1_TO_4})
    assert len(old) == 266
    assert hashlib.sha256("\n".join(old).encode()).hexdigest()[:16] == "8c8c853eb3c443d7"
    later = [ex for ex in dataset.load() if ex.group.split(":")[0] not in dataset._ROUNDS_1_TO_4]
    assert later, "the fifth round is in the set"
    for part in ("train", "dev"):
        assert any(ex in later for ex in dataset.split(part)), part


def _written_round(group: str) -> int:
    """The round of written texts a line belongs to: `…_waveN…` files are round N (the self-harm
    file of round 10 too), the files of rounds 1-4 count as 4."""
    m = re.search(r"_wave(\d+)", group.split(":")[0])
    return int(m.group(1)) if m else 4


@pytest.mark.parametrize("upto, dev_texts, dev_lines, digest, train_texts", [
    (7, 839, 553, "9b6f93aed7c0c1aa", 2590),  # every figure up to the model's tenth round
    (8, 1035, 678, "40646cd350ff90d8", 3201),  # the twelfth round's figures
    (9, 1227, 798, "4f18af1db0497445", 3758),  # the thirteenth round's figures
    (10, 1526, 991, "dc74a5298cd58199", 4676),  # the fourteenth round's figures
    (11, 1703, 1115, "78398f43d569f6ab", 5231),  # the fifteenth round's figures
    (12, 2133, 1416, "6bc8a71530c3ada6", 6623),  # the sixteenth and seventeenth rounds' figures
    (13, 2577, 1710, "e6451dcac8585d0c", 8015),  # the eighteenth round's figures
    (14, 3035, 2011, "b91fd327a579cb20", 9348),  # the nineteenth to twenty-second rounds' figures
    (15, 3138, 2083, "c31e2c3aac750239", 9661),  # the twenty-third round's figures
    (17, 4000, 2648, "8b2aeeed93e3cd37", 12287),  # the twenty-fourth round's figures
    (20, 4654, 3071, "d1a038b254ae36e2", 14220),  # the twenty-fifth round's figures
    (22, 5090, 3373, "e23d3782ee5eb881", 15596),  # the twenty-sixth round's figures
    (23, 5292, 3501, "8b7304d55ae53a5a", 16159),  # the twenty-seventh round's first measurements
    (24, 5518, 3651, "cc580d91150c95e4", 16846),  # the twenty-seventh round's figures
    (25, 5994, 3960, "ebbcecb2fb89830d", 18282),  # the twenty-eighth round's figures
    (26, 6523, 4302, "43c77db35012a9a8", 19859),  # the twenty-ninth round's figures
])
def test_later_rounds_keep_the_earlier_rounds_split(upto, dev_texts, dev_lines, digest, train_texts):
    """The dev and train texts of the written rounds up to `upto` stay exactly those, whatever
    round is added after them: each later file is split on its own."""
    import hashlib

    dev = [ex for ex in dataset.split("dev") if _written_round(ex.group) <= upto]
    old = sorted({ex.group for ex in dev})
    assert (len(dev), len(old)) == (dev_texts, dev_lines)
    assert hashlib.sha256("\n".join(old).encode()).hexdigest()[:16] == digest
    assert sum(_written_round(ex.group) <= upto for ex in dataset.split("train")) == train_texts


def test_dev_names_children_classes_and_schools_train_never_named():
    """Placeholders are filled from disjoint pools, so dev measures names the model never saw."""
    assert not set(dataset._NAMES) & set(dataset._DEV_NAMES)
    assert not set(dataset._CLASSES) & set(dataset._DEV_CLASSES)
    assert not set(dataset._SCHOOLS) & set(dataset._DEV_SCHOOLS)
    dev = dataset._dev_groups()
    texts = {(ex.group, ex.variant): ex.text for ex in dataset.load()}
    named = [(g, t) for g, t, _labels, _family in dataset._lines() if "{ten}" in t]
    assert sum(g in dev for g, _ in named) >= 100
    for group, _ in named:
        pool = dataset._DEV_NAMES if group in dev else dataset._NAMES
        assert any(name in texts[(group, "original")] for name in pool), group


def test_ordinary_comments_are_clean_rows_deduplicated_in_hash_order(tmp_path):
    from cyberyouth.safety.train_categories import ordinary_texts

    p = tmp_path / "c.csv"
    p.write_text("free_text,label_id\nxin chào,0\nđồ ngu,1\nxin chào,0\nđi học thôi,0\nbài này khó,0\n", "utf-8")
    got = ordinary_texts([str(p)], 10, exclude={"bài này khó"})
    assert sorted(got) == ["xin chào", "đi học thôi"]
    assert ordinary_texts([str(p)], 1, exclude=set()) == ordinary_texts([str(p)], 3, exclude=set())[:1]


def test_every_hard_negative_family_is_there():
    families = {ex.family for ex in dataset.load() if not ex.labels}
    for f in ("prevention", "news", "official", "fiction_film", "volunteer", "idioms", "place_names",
              "everyday", "health_questions", "loan_legit"):
        assert f in families, f
    harm_families = {ex.family for ex in dataset.load() if ex.labels}
    for f in ("implicit_threat", "exclusion_shaming", "home_exposed", "means_question", "student_loan",
              "game_topup", "grooming", "sextortion", "framed_harm"):
        assert f in harm_families, f


def test_read_csv_rejects_unknown_categories(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("text,labels\nxin chào,-\nđồ ngu,harassment;bullying\n", "utf-8")
    with pytest.raises(ValueError, match="bullying"):
        dataset.read_csv(p)


# ---------------------------------------------------------------- families
# Written for these tests; none of them is in the set.

POSITIVES = {
    "implicit_threat": [
        ("harassment", "mày mà dám kể chuyện hôm nay với cô giáo thì coi chừng đấy"),
        # Typed without diacritics: a known miss from the fifteenth round (harassment 0.61 under
        # 0.73) to the twenty-fifth, when the eighteenth round's terse threats found it (0.82).
        ("harassment", "may ma dam ke chuyen hom nay voi co giao thi coi chung day"),
        ("harassment", "nói cho bố mẹ biết thì mai đừng hòng yên ổn ở lớp này"),
        ("violence", "mày mà còn méc thầy lần nữa thì đừng hòng yên ổn ra khỏi trường"),
    ],
    "exclusion_shaming": [
        ("harassment", "cả lớp mình đừng ai chơi với con Thủy nữa, cô lập nó luôn"),
        ("harassment", "ai có ảnh xấu của thằng Bình thì gửi vào nhóm, mai in ra dán bảng tin cho cả trường xem"),
        ("harassment", "tụi mình lập nhóm mới không có con Thủy nhé, đứa nào add nó vào là nghỉ chơi"),
    ],
    "home_exposed": [
        ("personal_data", "nhà con Thủy lớp 8B ở cuối ngõ cạnh chợ, bố nó nghiện rượu, ai muốn tìm thì tới"),
        ("personal_data", "thằng Bình lớp 8C ở một mình với bà trong ngõ cạnh chợ cá, tối nào cũng đi bộ về qua bờ đê"),
    ],
    "identifiers": [
        ("personal_data", "số điện thoại của thằng Bình đây 0913 456 789, cứ gọi trêu nó"),
    ],
    "means_question": [
        ("self_harm", "uống bao nhiêu viên thuốc ngủ thì không tỉnh lại nữa"),
        ("self_harm", "nhảy từ tầng mấy thì chắc chắn chết"),
        ("self_harm", "uống bao nhiêu viên thuốc an thần thì ngủ luôn không dậy"),
    ],
    "ideation": [
        ("self_harm", "mình mệt mỏi lắm rồi, không muốn sống nữa"),
        ("self_harm", "muon chet qua, chan song lam roi"),
        # Seventeenth round: the trap "chết thật" (really?!) no longer cancels "muốn chết".
        ("self_harm", "tao muốn chết thật"),
    ],
    "student_loan": [
        ("scam", "cho học sinh vay tiền nhanh, chỉ cần căn cước, giải ngân trong ngày, không cần bố mẹ biết"),
        ("scam", "vay tiền online dành cho học sinh, chỉ cần ảnh thẻ học sinh, bố mẹ không cần biết"),
    ],
    "game_topup": [
        ("scam", "bạn nạp hộ mình thẻ game 100k nhé, mai mình trả gấp đôi"),
        ("scam", "cho mình mượn 3 cái thẻ cào 50k nha, cuối tuần mình trả bạn gấp đôi"),
    ],
    "grooming": [
        ("sexual", "em gửi ảnh cho anh xem người em đi, đừng nói với bố mẹ nhé"),
    ],
    "sextortion": [
        ("sexual", "không gửi thêm ảnh thì anh tung ảnh của em lên nhóm trường"),
    ],
    "violence": [
        ("violence", "tan học chờ tao ở cổng trường, tao chém mày"),
    ],
    "gambling": [
        ("gambling", "soi kèo nhà cái hôm nay, vào tiền trận tối nay đi anh em"),
    ],
    "drugs": [
        ("drugs", "ai bán cỏ không, tối nay bay lắc"),
    ],
    # Seventh round: the families the out-of-fold errors on train showed.
    "violence_narrated": [
        ("violence", "giờ ra chơi cả nhóm xúm vào tát thằng Bình rồi đạp nó ngã xuống sân"),
        ("violence", "con Thủy bị túm tóc kéo ra sau nhà xe rồi bị đấm vào mặt"),
        ("violence", "bọn nó đè thằng bé xuống đất, ngồi lên ngực nó, nó thở không nổi"),
    ],
    "peer_sexual_remarks": [
        ("sexual", "tụi con trai lớp 8B chấm điểm vòng một của các bạn nữ rồi gửi vào nhóm kín"),
        ("sexual", "ai có ảnh con Thủy thay đồ ở phòng thể dục thì gửi tao, tao trả tiền"),
    ],
    "sexual_harassment": [
        ("sexual", "thầy dạy thêm cứ vuốt lưng con bé rồi bảo em lớn rồi nhỉ, nó sợ lắm"),
    ],
    "grooming_secret": [
        ("sexual", "chuyện của anh với em là bí mật, đừng cho bố mẹ đọc tin nhắn, cuối tuần gặp riêng anh nhé"),
    ],
    "direct_insult": [
        ("harassment", "nhìn cái mặt mày là biết cả đời chẳng làm nên trò trống gì, đồ vô dụng"),
    ],
    "exclusion_lunch": [
        ("harassment", "cả lớp đừng ai ngồi ăn trưa với con Thủy, thấy ai ngồi là tao báo cả nhóm"),
    ],
    # Twenty-fifth round: a scam dressed as a notice or a warning, and harassment opened with "ơi".
    "scam_dressed_official": [
        ("scam", "Thông báo từ phòng đào tạo: các em kiểm tra tin nhắn và gửi lại mã xác nhận 6 số để nhận học bổng"),
        ("scam", "Cảnh báo: tài khoản của em đang bị khóa, em đừng lo, gửi mã xác nhận vừa nhận cho anh để mở lại"),
    ],
    "address_harassment": [
        ("harassment", "Ngân ơi nhìn lại cái mặt mình đi rồi hẵng nói chuyện với tụi tao, đồ quê mùa"),
    ],
    "implicit_threat_deadline": [
        ("harassment", "hạn chót là thứ sáu, không trả đủ tiền thì đừng trách tụi tao"),
    ],
}

# Known failures (model card, "What still fails"): a news headline made of the harm's words and a
# dose question about a child's fever are still flagged. strict: when the model learns them, these tests fail and
# must move to NEGATIVES.
KNOWN_FALSE_ALARMS = [
    ("news", "Công an triệt phá đường dây cá độ bóng đá, bắt giữ nhiều đối tượng"),
    # Twenty-fourth round: "mày đừng …" opens many of the new rounds' implicit threats; said as a
    # joke's apology it reads violence (0.67 over 0.48). Of 13 such banter lines written for the
    # check, the twenty-third model flagged 3 and this one 3 — other lines each time.
    ("friendly_register", "tao giỡn thôi, mày đừng giận nha hihi"),
    # Twenty-fifth round: negation reaches the model through the refusal cue's phrases only; a
    # warning worded without one is read by its n-grams ("mã OTP" asked for: scam 0.89).
    ("prevention", "mã OTP là của riêng em, giữ cho mình"),
    # Twenty-sixth round: scam's threshold fell with the drugs and gambling rounds (0.0775 ->
    # 0.0525; the model's scam scores moved down, dev recall at 0.0775 would be 0.907) and this
    # teacher's line, carrying the refusal cue, scores 0.054 — it was a known false alarm in the
    # sixteenth round too (0.054 over 0.05).
    ("prevention", "Các em tuyệt đối không chuyển tiền hay gửi mã thẻ cào cho người lạ trên mạng"),
    # A dose question about a child's fever: self-harm runs recall-first and reads "bao nhiêu ...
    # liều" as a means question. It sits at the threshold: 0.24 > 0.20 (nineteenth round), 0.113 >
    # 0.11 (twenty-seventh), 0.090 < 0.0975 (twenty-eighth, with the helpline's questions about
    # ordinary medicine), 0.0965 > 0.0875 (twenty-ninth: self-harm's threshold fell), 0.093 > 0.0875
    # (thirtieth: everyday comments weigh more in self-harm's fit), 0.12 > 0.085 (thirty-first: word pairs).
    ("health_questions", "con mình 15kg sốt cao, cho uống hạ sốt bao nhiêu ml là đúng liều"),
]

NEGATIVES = {
    "prevention": [
        "Tiết sinh hoạt: khi bị bạn bè đe dọa hoặc cô lập, em hãy báo ngay cho thầy cô",
        # Twenty-fifth round: warnings in a scam's own words (a bank's line was floored at 0.9 by
        # the scam lexicon before "không bao giờ yêu cầu" joined its warning context).
        "Cô dặn cả lớp: đừng bấm vào đường link lạ gửi qua Zalo, ai nhắn xin mã thì báo cô ngay",
        "Ngân hàng không bao giờ yêu cầu khách hàng cung cấp mã OTP qua điện thoại, quý khách lưu ý",
        # Twenty-seventh round: the same warning typed without diacritics was floored at scam 0.90
        # (the lexicon's warning words matched only as typed; now folded like its phrases).
        "Ngan hang khong bao gio yeu cau khach hang cung cap ma OTP qua dien thoai",
    ],
    "news": [
        "Tòa tuyên án kẻ dụ dỗ nữ sinh gửi ảnh nhạy cảm, công an khuyến cáo phụ huynh",
        "Công an huyện bắt đối tượng cho học sinh vay nặng lãi qua mạng xã hội",
    ],
    "official": [
        "Thông báo lịch kiểm tra học kỳ I khối 8, học sinh có mặt lúc 7 giờ",
        "Thông báo lịch họp phụ huynh cuối học kỳ I, thứ bảy lúc 8 giờ tại phòng học",
    ],
    "fiction_film": [
        "Lịch chiếu phim hành động tối nay tại rạp, suất 19h và 21h",
    ],
    "volunteer": [
        "Đoàn trường tổ chức dọn rác bãi biển sáng chủ nhật, các bạn mang găng tay",
        "Chủ nhật này chi đoàn lớp 9A đi nhặt rác ở bãi biển, các bạn mang theo găng tay và túi",
    ],
    "idioms": [
        "mệt chết mất, học cả ngày chưa được nghỉ",
        "chém gió thôi mà, đừng tin",
        # Seventeenth round: idioms of "muốn chết" (traps) and words typed with other diacritics
        # than a phrase's ("thật cô" / "thật có" are not "thắt cổ"): everyday comments of ViHSD.
        "cười muốn chết luôn, cô kể chuyện duyên quá =))",
        "nói thật cô rất duyên, nói chuyện rất thật",
        "hàng giả thì có chữ Việt Nam, hàng thật thì không có",
    ],
    "place_names": [
        "cuối tuần cả nhà đi Cát Bà tắm biển",
    ],
    "everyday": [
        "chúc mừng sinh nhật bạn Thủy lớp 8B, chúc bạn học giỏi",
        # A known false alarm from the twenty-third to the twenty-fifth round ("Việt Nam" was the
        # country of the set's football bets); the twenty-sixth round's lines that name the country
        # in sport, news and school: gambling 0.079 -> 0.028 under 0.03.
        "Việt Nam tiến lên!",
        # A known false alarm of the twenty-first round ("đề" is an exam paper and the lottery's
        # "đánh đề"; gambling 0.029 over 0.0275); since the twenty-second, gambling's threshold is
        # 0.035 and students' feedback (UIT-VSFC dev) flagged gambling 11 -> 3 of 1,583.
        "đề thi khó .",
        "mày ơi chiều nay tao qua nhà mày chép bài nhé, tao quên vở rồi",
        # Seventh round: the same words as its harms, no harm.
        "mẹ bảo đập tỏi rồi đè dẹt miếng thịt trước khi ướp",
        "hạn chót nộp tiền quỹ lớp là thứ sáu nha, không đủ thì lớp mình không đi dã ngoại được",
        "cô chủ nhiệm muốn gặp riêng mẹ em để bàn chuyện học bổng vào thứ ba",
        "chuyện tổ chức sinh nhật bất ngờ cho Thủy là bí mật nhé, đừng ai kể",
        "tao béo ú rồi, từ mai chạy bộ với tao không",
        "Tài liệu ôn tập.\nEm thấy bài viết về tấm gương bạn Lan giúp người già qua đường rất cảm động ạ.",
        # Twenty-first round: "chill" is to relax, not drug slang (it was a drug cue).
        "playlist nhạc chill để học bài buổi tối, ai cần thì xin link",
        "quán trà sữa mới mở view hồ, ngồi chill cả buổi chiều",
        "mai cả lớp đi dã ngoại ở Cát Bà #xuhuong #fyp",
    ],
    "sport_games": [
        "học võ buổi đầu thầy dạy cách ngã và cách đè đối thủ xuống thảm an toàn",
        # A known false alarm until the twelfth round (read as sexual: "đè", "tay"; and gambling).
        "trận vật tay hôm nay thằng Bình đè tay tao xuống bàn, cả lớp vỗ tay",
    ],
    "health_questions": [
        "bài sinh học hôm nay nói về tuổi dậy thì, vòng một của bạn nữ phát triển là bình thường",
    ],
    # A pupil's opening question to the helpline: "cho em hỏi" opened most of the set's plain
    # questions about means, and this was a known false alarm of the twenty-seventh round (self-harm
    # 0.112 over 0.11; the helpline opened it as critical). The twenty-eighth round's 180 harmless
    # helpline questions with 50 harms in the same openers: 0.057 under 0.0975.
    "helpline_questions": [
        "Cho em hỏi về mạng xã hội",
    ],
    # Seventeenth round: one-word messages (an n-gram of a text of up to four words weighs at
    # most 1/3, min_grams = 9): "ờ"/"Ồ" read "ở" for personal data (0.46), "Nooo" read "nó" for
    # harassment (0.93) before.
    # "o" was read as "ở" (where someone lives) for personal data until the twenty-fifth round (0.05
    # over 0.04; now 0.026 under 0.05).
    "one_word": ["ờ", "Ồ", "Nooo", "Ơ hay", "hả", "o",
                 # The bare verb "hit" sits at violence's threshold: 0.346 (twenty-sixth round), 0.438
                 # over 0.42 (twenty-seventh), 0.467 over 0.46 (twenty-eighth), 0.450 under 0.47
                 # (twenty-ninth), 0.363 under 0.41 (thirtieth).
                 "đánh"],
    "prevention_fights": [
        "khi thấy bạn bị tát hay bị xô đẩy trong trường, em hãy gọi thầy cô ngay, đừng đứng quay clip",
    ],
}


@pytest.mark.parametrize("family, category, text", [(f, c, t) for f, xs in POSITIVES.items() for c, t in xs])
def test_family_positive(family, category, text):
    v = analyze(text)
    assert category in v.flags, (text, v.categories)
    spans = [s for s in v.spans if s.category == category]
    assert spans, v.spans
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)


@pytest.mark.parametrize("family, text", [(f, t) for f, xs in NEGATIVES.items() for t in xs])
def test_family_hard_negative(family, text):
    v = analyze(text)
    assert v.flags == [], (text, v.categories)
    assert not v.urgent


@pytest.mark.xfail(strict=True, reason="known false alarm, see the model card")
@pytest.mark.parametrize("family, text", KNOWN_FALSE_ALARMS)
def test_known_false_alarm(family, text):
    assert analyze(text).flags == []


def test_one_n_gram_of_a_short_text_never_weighs_fully():
    """The shipped artifact caps an n-gram's worth at 1/sqrt(min_grams) (one or two words are
    little evidence), and the engine scores with the value the artifact was trained with."""
    m = load_category_model()
    assert m.min_grams == 9
    f = Engine().prepare(["ờ", "tan học chờ tao ở cổng trường, tao đánh mày một trận cho chừa"]).features
    short, long = f.gram_val[f.gram_doc == 0], f.gram_val[f.gram_doc == 1]
    assert short.max() == pytest.approx(1 / 3)
    assert long.max() < 1 / 3


def test_an_emoticon_whose_letter_reads_as_a_word_is_no_n_gram_of_the_category_model():
    """":v", ":D", "=D" are read by the laughter cue alone: no n-gram overlaps them, in training and
    in scoring alike (`featurize`). The n-grams read ":v" as the word "v" — "vậy" in teencode,
    frequent in everyday comments —, whose weight against violence took a threat with ":v" after
    it under the threshold (":v" appended to every dev text: violence 0.783 -> 0.733). Other
    laughter ("haha", "kk") and "v" typed as a word keep their n-grams. The regular-expression
    path finds the same cues."""
    from cyberyouth.safety.categories import featurize

    engine = Engine()
    assert engine.signals.gram_free == {":v", ":d", "=d"}
    texts = ["tan học ra cổng sau tao xử mày :v", "haha vui quá :D", "sao v", "không có gì =D"]
    prep = engine.prepare(texts)

    def words(p, d):
        f, gr = p.features, p.grams
        return {p.norms[d].text[slice(*gr.span(int(i)))] for i in f.gram_idx[f.gram_doc == d]}

    assert words(prep, 0) == words(engine.prepare(["tan học ra cổng sau tao xử mày"]), 0)
    assert words(prep, 1) == {"haha", "vui", "quá", "haha vui", "vui quá", "haha vui quá"}
    assert words(prep, 2) == {"sao", "v", "sao v"}
    assert words(prep, 3) == {"không", "có", "gì", "không có", "có gì", "không có gì"}
    f = prep.features
    by_regex = featurize([n.text for n in prep.norms], texts, prep.grams, prep.scored.probs,
                         prep.lex_scores, prep.pii, prep.exposure, engine.signals, engine.category_model.kinds,
                         cue_grams=False, min_grams=engine.category_model.min_grams,
                         skip_scale=engine.category_model.skip_scale)
    assert (by_regex.gram_idx == f.gram_idx).all() and (by_regex.gram_val == f.gram_val).all()


def test_variants_of_a_positive_agree():
    # (The first example's diacritic-free form is a known miss, above.)
    base = "nói cho bố mẹ biết thì mai đừng hòng yên ổn ở lớp này"
    for text in (base, strip_diacritics(base), dataset.teencode_variant(base)):
        assert "harassment" in analyze(text).flags, text


# ---------------------------------------------------------------- framing and target


def test_framing_never_hides_self_harm_by_construction():
    cm = load_category_model()
    signals = load_signals()
    k = CATEGORIES.index("self_harm")
    framing = [i for i, g in enumerate(signals.groups) if g in signals.framing]
    assert framing
    assert np.all(cm.w_dense[framing, k] == 0)
    in_pair = np.isin(cm.pair_i, framing) | np.isin(cm.pair_j, framing)
    assert np.all(cm.w_pair[in_pair, k] == 0)


def test_framing_does_not_hide_self_harm_in_practice():
    text = "mình không muốn sống nữa"
    for frame in ("Bài tuyên truyền phòng chống bạo lực học đường. ", "Thông báo của nhà trường: ",
                  "Review phim tối qua: "):
        v = analyze(frame + text)
        assert "self_harm" in v.flags and v.urgent, (frame, v.categories)


def test_framing_is_reported_and_lowers_harassment():
    bare = analyze("cả lớp đừng ai chơi với nó nữa, cô lập nó luôn")
    framed = analyze("Bài học kỹ năng phòng chống bắt nạt: câu \"cả lớp đừng ai chơi với nó nữa, cô lập nó luôn\" "
                     "là bắt nạt, các em hãy báo thầy cô")
    assert "prevention" in framed.framing
    assert framed.categories["harassment"] < bare.categories["harassment"]
    assert bare.framing == []


def test_a_request_said_not_to_be_done_is_reported_and_lowers_scam():
    """Twenty-fifth round: a warning has to name a scam's words ("gửi mã thẻ cào", "mã OTP",
    "chuyển tiền"); what it does not do is ask for them. A request said not to be done is its own
    framing cue ("refusal"), and the same words asked for stay a scam (before: the teacher's line
    of NEGATIVES scored 0.15 over scam's 0.075 with the words of rounds 19-20)."""
    asked = analyze("gửi mã thẻ cào cho anh nhé, mai anh trả gấp đôi")
    refused = analyze("đừng gửi mã thẻ cào cho ai, kể cả người tự xưng là thầy cô")
    assert "refusal" in refused.framing and "refusal" not in asked.framing
    assert "scam" in asked.flags and refused.flags == [], (asked.categories, refused.categories)
    assert "refusal" in analyze("dung gui ma the cho ai nha").framing


def test_target_signal():
    assert analyze("mày ngu thế").targeted
    assert analyze("thằng Bình lớp 7A hôm nay nghỉ học").targeted
    assert not analyze("hôm nay trời đẹp quá").targeted



# ---------------------------------------------------------------- friendly register (tenth round)
# Texts written for these tests (not in the set, not from dev): hostile "mày/tao" and friendly
# "mày/tao" banter with laughter, invitations, thanks and teasing — some with a threat's words.

HOSTILE_MAY_TAO = [
    "bọn mày đừng đứa nào chơi với con Hoa nữa, đứa nào chơi với nó là tao cho ra rìa luôn",
    "mày nghĩ mày là ai mà dám lên mặt với tao, đồ óc chó",
    "tan học tao chờ mày ở cổng sau, trốn được thì trốn",
    "mày mà mách cô thì mai đừng hòng yên với tao",
    "nhìn cái mặt mày là tao thấy ghét, cút ra khỏi nhóm đi",
    # laughter does not hide mockery
    "mày béo như con lợn ấy =)) cả lớp cười vào mặt mày",
]

FRIENDLY_MAY_TAO = [
    "mày ơi mai đi đá bóng không =)) tao rủ thêm thằng Hùng nữa",
    "haha tao đùa thôi mà, mai tao khao mày trà sữa nhé",
    "cảm ơn mày nha, bài toán hôm qua mày giảng đỉnh thật 😂",
    "tối nay tụi mày qua nhà tao học nhóm nhé, nhớ mang máy tính, tao nấu chè hihi",
    "xin lỗi mày nhé hôm qua tao đến muộn, mai tao bao bánh tráng =))",
    "tao thua mày rồi hahaha, chiều mai đấu tiếp không",
    "mày giỏi thế, dạy tao cách giải bài này với =))",
    "ê mày, chủ nhật này cả nhóm đi cắm trại, mày có đi không, nhớ mang lều nhé",
    # a threat's words said as banter (the previous artifact flagged these three)
    "mày mà không đi ăn lẩu với tụi tao tối nay thì liệu hồn nhé =))",
    "đợi đấy, mai tao khao cả lớp trà sữa, đứa nào vắng là tao giận =))",
    "tao biết nhà mày rồi nhé, chiều tao qua rủ mày đi đá bóng haha",
]


@pytest.mark.parametrize("text", HOSTILE_MAY_TAO)
def test_hostile_may_tao_is_harassment(text):
    for t in (text, strip_diacritics(text)):
        assert "harassment" in analyze(t).flags, (t, analyze(t).categories)


@pytest.mark.parametrize("text", FRIENDLY_MAY_TAO)
def test_friendly_may_tao_banter_is_not_flagged(text):
    v = analyze(text)
    assert not v.flags, (text, v.categories)


def test_the_friendly_register_cues_are_there_and_match_teencode_and_no_diacritics():
    signals = load_signals()
    assert {"laughter", "shared_plan", "friendly", "teasing", "soft_particle"} <= signals.affect
    assert not signals.affect & signals.framing
    eng = get_engine()
    for text in ("tối nay đi học nhóm ko =))", "toi nay di hoc nhom khong haha", "cam on may nhe hihi"):
        cues = {signals.groups[g] for g in eng.prepare([text]).features.cues[0]}
        assert cues & signals.affect, (text, cues)


# Twenty-third round: the gambling cue was single syllables of everyday words ("đề" of "vấn đề",
# "chấp" of "chấp nhận", "gỡ" of "gỡ bài", "tiến lên"); now phrases of the lottery and of betting.
SCHOOL_WORDS_NOT_GAMBLING = [
    "nên đi sâu vào vấn đề .",
    "bám không sát đề thi , lan man .",
    "cô cho đề tài thuyết trình bằng tiếng Anh",
    "tao chấp nhận lời xin lỗi của mày rồi",
    "bạn ơi gỡ bài đó xuống đi, ảnh mờ quá",
    "cả lớp cùng tiến lên nào",
    "ván cờ vua chiều nay căng thật",
]


@pytest.mark.parametrize("text", SCHOOL_WORDS_NOT_GAMBLING + ["Việt Nam tiến lên!"])
def test_everyday_words_that_hold_a_betting_syllable_are_no_gambling_cue(text):
    signals = load_signals()
    cues = {signals.groups[g] for g in get_engine().prepare([text]).features.cues[0]}
    assert "gamble" not in cues, (text, cues)


@pytest.mark.parametrize("text", SCHOOL_WORDS_NOT_GAMBLING)
def test_everyday_words_that_hold_a_betting_syllable_are_not_flagged_gambling(text):
    assert "gambling" not in analyze(text).flags, (text, analyze(text).categories["gambling"])


@pytest.mark.parametrize("text", ["tối nay ghi đề con 68 không anh em", "kèo này tao chấp nửa trái",
                                  "thua mấy ván bài rồi phải gỡ lại"])
def test_the_lottery_and_betting_phrases_are_still_the_gambling_cue(text):
    signals = load_signals()
    assert "gamble" in {signals.groups[g] for g in get_engine().prepare([text]).features.cues[0]}
    assert "gambling" in analyze(text).flags


def test_the_friendly_register_never_lowers_self_harm_by_construction():
    """Affect cues (and their pairs) have no weight in self_harm, and none outside the
    categories they were meant for (harassment, sexual, violence)."""
    cm = load_category_model()
    signals = load_signals()
    affect = [i for i, g in enumerate(signals.groups) if g in signals.affect]
    assert affect
    allowed = set(cm.meta["training"]["affect_categories"])
    assert "self_harm" not in allowed and "harassment" in allowed
    in_pair = np.isin(cm.pair_i, affect) | np.isin(cm.pair_j, affect)
    for k, c in enumerate(CATEGORIES):
        if c in allowed:
            continue
        assert np.all(cm.w_dense[affect, k] == 0), c
        assert np.all(cm.w_pair[in_pair, k] == 0), c


@pytest.mark.parametrize("edit", ["{} 😂😂", "{} =)))))", "{} kkkkk", "{} :v", "ơi {}", "bạn ơi {}", "{} nhé", "{} nha",
                                  "{} #lop9 #kyniem"])
def test_laughter_or_a_particle_around_a_message_does_not_hide_harassment_or_violence(edit):
    """A mocker laughs and says "nhé" as much as a friend: laughter, an address word, a soft
    particle or tags added to every dev text keep harassment and violence recall within 0.05 of
    the plain texts. The nineteenth artifact, before the copies in training, lost up to 0.23
    ("kkkkk" took harassment 0.517 -> 0.299, "bạn ơi" 0.517 -> 0.287); the twenty-second lost at
    most 0.046 ("ơi", 0.527 -> 0.481; the twenty-first 0.031: the dropout copies' rate was chosen by
    this bound). The tags here were never in training as such. Since the twenty-eighth round the
    friendly-register cues are no features of violence: with the round's veiled threats found just
    over the threshold, ":v" had taken violence 0.796 -> 0.740 (0.795 -> 0.763 without them). Since
    the twenty-ninth, ":v" is read by the laughter cue alone, not as the word "v" (0.783 -> 0.733
    with the twenty-sixth written round; then 0.782 -> 0.782, and 0.803 -> 0.802 in the thirtieth)."""
    dev = dataset.split("dev")
    plain = analyze_many([ex.text for ex in dev], explain=False)
    edited = analyze_many([edit.format(ex.text) for ex in dev], explain=False)
    for c in ("harassment", "violence"):
        positives = [i for i, ex in enumerate(dev) if c in ex.labels]
        before = sum(c in plain[i].flags for i in positives) / len(positives)
        after = sum(c in edited[i].flags for i in positives) / len(positives)
        assert after >= before - 0.05, (c, before, after)


@pytest.mark.parametrize("edit", ["ê mày {}", "ê ê {}", "{} #xuhuong", "{} #chill"])
def test_an_address_or_a_tag_alone_does_not_make_a_harmless_text_a_harm(edit):
    """The other way: words that aim a text at someone or push it to the feed, added to every dev
    text, raise no category's false-positive rate by more than 0.02. Before the twenty-first round
    "ê mày" first took violence FPR 0.033 -> 0.089 and harassment 0.023 -> 0.067, "ê ê" sexual
    0.025 -> 0.054, "#xuhuong" harassment 0.023 -> 0.034, and "#chill" drugs 0.009 -> 0.121
    ("chill" was a drug-slang cue)."""
    dev = dataset.split("dev")
    plain = analyze_many([ex.text for ex in dev], explain=False)
    edited = analyze_many([edit.format(ex.text) for ex in dev], explain=False)
    for c in CATEGORIES:
        negatives = [i for i, ex in enumerate(dev) if c not in ex.labels]
        before = sum(c in plain[i].flags for i in negatives) / len(negatives)
        after = sum(c in edited[i].flags for i in negatives) / len(negatives)
        assert after <= before + 0.02, (c, before, after)


@pytest.mark.parametrize("text", [
    "haha cảm ơn tụi mày vì tất cả, tao không muốn sống nữa, tạm biệt",
    "=)) mai tao đi chơi với tụi mày lần cuối nhé, rồi tao sẽ uống hết lọ thuốc ngủ",
])
def test_laughter_and_thanks_do_not_hide_self_harm(text):
    v = analyze(text)
    assert "self_harm" in v.flags and v.urgent, v.categories


# ---------------------------------------------------------------- engine


def test_scores_are_calibrated_probabilities_and_flags_follow_thresholds():
    texts = [ex.text for ex in dataset.split("dev")[:200]]
    engine = get_engine()
    for v in analyze_many(texts):
        assert set(v.categories) == set(CATEGORIES)
        for c, p in v.categories.items():
            assert 0.0 <= p <= 1.0
            assert (c in v.flags) == (p >= engine.thresholds[c])
        assert v.urgent == ("self_harm" in v.flags)


def test_batch_and_single_agree():
    texts = ["mày mà mách cô thì liệu hồn", "cuối tuần đi Cát Bà", "uống bao nhiêu viên thì chết"]
    many = analyze_many(texts)
    for t, v in zip(texts, many):
        one = analyze(t)
        assert one.categories == v.categories and one.flags == v.flags and one.spans == v.spans


def test_without_the_category_model_the_lexicons_still_answer():
    e = Engine(category_model=False)
    v = e.analyze("mình không muốn sống nữa")
    assert "self_harm" in v.flags and v.urgent


def test_to_dict_has_the_new_fields():
    d = analyze("Thông báo: nhà trường tổ chức tuyên truyền phòng chống ma túy").to_dict()
    assert d["framing"] and isinstance(d["targeted"], bool)
    json.dumps(d, ensure_ascii=False)


def test_the_artifact_keeps_40_bits_of_a_key_and_older_artifacts_still_load(tmp_path):
    """The artifact saves each n-gram key's top 40 bits as gaps between sorted keys, and the
    weights a category at a time — the word pairs' in a file of their own (named otherwise on
    05/12/2026); the two formats saved before — 40-bit keys as such (the twenty-fourth round),
    full 64-bit keys without `key_bits` (before it) — load and score as the shipped one does.
    Built here from the shipped model."""
    from cyberyouth.safety.categories import KEY_BITS, WORD_PAIRS_FILE, CategoryModel, default_model_dir

    cm = load_category_model()
    assert cm is not None and cm.meta["key_bits"] == KEY_BITS and cm.meta["word_pairs_file"] == WORD_PAIRS_FILE
    with np.load(default_model_dir() / "categories.npz") as z:
        arrays = {k: z[k] for k in z.files}
    with np.load(default_model_dir() / WORD_PAIRS_FILE) as z:
        pairs = {k: z[k] for k in z.files}
    assert {"keys40_gaps", "w_gram_t"} <= set(arrays) and not {"keys", "keys40", "w_gram"} & set(arrays)
    assert set(pairs) == {"keys40_gaps", "w_gram_t"}
    for saved in (arrays, pairs):
        keys40 = np.cumsum(saved["keys40_gaps"].astype(np.uint64))
        assert (np.diff(keys40) > 0).all() and int(keys40[-1]) < 1 << KEY_BITS
    assert len(cm.keys) == len(arrays["keys40_gaps"]) + len(pairs["keys40_gaps"]) == cm.meta["training"]["n_ngrams"]
    texts = ["mày mà mách cô thì tan học đừng mong về nhà yên ổn", "tụi mình đi ăn chè sau giờ học nhé"]
    expected = [v.categories for v in Engine(category_model=cm).analyze_many(texts)]
    rest = {k: v for k, v in arrays.items() if k not in ("keys40_gaps", "w_gram_t")}
    one_file = {k: v for k, v in cm.meta.items() if k != "word_pairs_file"}

    def scores_of(saved: dict, meta: dict, name: str, more: dict | None = None) -> list:
        (tmp_path / name).mkdir()
        np.savez_compressed(tmp_path / name / "categories.npz", **rest, **saved)
        for file_name, content in (more or {}).items():
            np.savez_compressed(tmp_path / name / file_name, **content)
        (tmp_path / name / "categories.json").write_text(json.dumps(meta), "utf-8")
        return [v.categories for v in Engine(category_model=CategoryModel.load(tmp_path / name)).analyze_many(texts)]

    # The first artifact with word pairs (05/12/2026) named their file "categories_pairs.npz", by
    # "pairs_file".
    grams_only = {k: arrays[k] for k in ("keys40_gaps", "w_gram_t")}
    assert scores_of(grams_only, {**one_file, "pairs_file": "categories_pairs.npz"}, "pairs",
                     {"categories_pairs.npz": pairs}) == expected
    keys40 = np.concatenate([np.cumsum(saved["keys40_gaps"].astype(np.uint64)) for saved in (arrays, pairs)])
    w_gram = np.concatenate([saved["w_gram_t"].T for saved in (arrays, pairs)])
    assert scores_of({"keys40": keys40, "w_gram": w_gram}, one_file, "keys40") == expected
    # Full keys: the rows the texts use, under the texts' own 64-bit keys.
    keys = np.unique(Engine(category_model=cm).prepare(texts).features.gram_key)
    rows = cm.lookup(keys)
    assert (rows >= 0).sum() >= 10
    full = {"keys": keys[rows >= 0], "w_gram": cm.w_gram[rows[rows >= 0]].astype(np.float16)}
    assert scores_of(full, {k: v for k, v in one_file.items() if k != "key_bits"}, "full") == expected


def test_a_folder_without_the_word_pairs_file_its_model_names_is_refused_by_name(tmp_path):
    import shutil

    from cyberyouth.safety.categories import WORD_PAIRS_FILE, CategoryModel, default_model_dir

    for name in ("categories.npz", "categories.json"):
        shutil.copy(default_model_dir() / name, tmp_path)
    with pytest.raises(FileNotFoundError, match=WORD_PAIRS_FILE):
        CategoryModel.load(tmp_path)


# ---------------------------------------------------------------- eval CLI


def test_eval_categories_prints_per_category_figures(capsys):
    assert main(["eval", "--categories"]) == 0
    out = capsys.readouterr().out
    for c in CATEGORIES:
        assert re.search(rf"^{c}\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+\d+\s+[0-9.]+$", out, re.M), c
    assert "FPR" in out and "R@FPR.05" in out


def test_recall_at_fpr_is_the_best_threshold_within_the_false_positive_budget():
    from cyberyouth.safety.train_categories import recall_at_fpr

    y = np.array([1, 1, 1, 1] + [0] * 20)
    p = np.array([0.9, 0.8, 0.5, 0.1] + [0.95] + [0.6] * 2 + [0.05] * 17)
    assert recall_at_fpr(p, y, 0.05) == 0.5  # one false positive allowed: over 0.6, two of four
    assert recall_at_fpr(p, y, 0.0) == 0.0  # none allowed: over 0.95, none
    assert recall_at_fpr(p, y, 0.10) == 0.5  # the tie at 0.6 counts twice: still over 0.6
    assert recall_at_fpr(p, y, 0.15) == 1.0  # three allowed: over 0.05, all four
    assert recall_at_fpr(p, y, 1.0) == 1.0


def test_eval_categories_json_reproduces_the_stored_dev_metrics(capsys):
    assert main(["eval", "--categories", "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    stored = load_category_model().meta["dev_metrics"]
    assert m["per_category"] == stored["per_category"]
    assert m["model"] == load_category_model().version


def test_the_model_card_shows_the_shipped_dev_figures():
    """docs/safety/model-card.md, "Categories": the version and every category's row are
    what `safety eval --categories` gives for the shipped artifact."""
    from pathlib import Path

    card = (Path(__file__).resolve().parents[2] / "docs/safety/model-card.md").read_text("utf-8")
    section = card[card.index("## Categories (learned: "):]
    meta = load_category_model().meta
    assert meta["version"] in section.splitlines()[0]
    for c, r in meta["dev_metrics"]["per_category"].items():
        row = next(ln for ln in section.splitlines() if ln.startswith(f"| {c} | 0."))
        nums = re.findall(r"\d\.\d{4}", row)
        assert nums == [f"{r[k]:.4f}" for k in ("precision", "recall", "f1", "fpr", "recall_at_fpr_05")], row
        assert f"| {r['support']} |" in row, row


def test_eval_categories_on_a_csv_of_ones_own(tmp_path, capsys):
    p = tmp_path / "mine.csv"
    p.write_text("text,labels\nmình không muốn sống nữa,self_harm\nhôm nay trời đẹp,-\n", "utf-8")
    assert main(["eval", "--categories", "--data", str(p), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert m["n"] == 2 and m["per_category"]["self_harm"]["recall"] == 1.0


def test_read_csv_partial_rows(tmp_path):
    """What `monitoring export-decisions --scheme category` writes: a confirmation names the
    category judged (partial), a dismissal says no category at all."""
    p = tmp_path / "decisions.csv"
    p.write_text("text,labels,partial\nmai ra cổng sau tao xử,violence,1\nđi ăn kem không,-,0\n", "utf-8")
    threat, plain = dataset.read_csv(p)
    assert threat.partial and threat.known("violence") and not threat.known("harassment")
    assert not plain.partial and plain.known("harassment") and not plain.labels
    for body, message in (("x,violence,maybe\n", "partial"), ("x,-,1\n", "confirmed")):
        p.write_text("text,labels,partial\n" + body, "utf-8")
        with pytest.raises(ValueError, match=message):
            dataset.read_csv(p)


def test_eval_categories_measures_a_partial_row_on_its_category_only(tmp_path, capsys):
    p = tmp_path / "mine.csv"
    # a sextortion threat confirmed "sexual": whatever else it is flagged, only sexual is judged
    p.write_text("text,labels,partial\nmày không gửi thêm ảnh thì tao đăng ảnh cũ lên nhóm lớp,sexual,1\n"
                 "hôm nay trời đẹp,-,0\n", "utf-8")
    assert set(Engine().analyze("mày không gửi thêm ảnh thì tao đăng ảnh cũ lên nhóm lớp").flags) >= {
        "sexual", "harassment"}  # the text is flagged harassment too …
    assert main(["eval", "--categories", "--data", str(p), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert m["per_category"]["sexual"]["recall"] == 1.0 and m["n_harmless"] == 1
    assert m["per_category"]["harassment"]["fp"] == 0  # … which nobody judged: no false positive


def test_eval_categories_bad_csv_is_one_line(tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_text("text,label\nx,0\n", "utf-8")
    assert main(["eval", "--categories", "--data", str(p)]) == 2
    err = capsys.readouterr().err
    assert "labels" in err and len(err.strip().splitlines()) == 1


def test_everyday_comments_are_rarely_flagged(vihsd_dir):
    """Comments from elsewhere that ViHSD's annotators found clean (dev split: never used to
    train the category model) are seldom flagged: the fourth-round model flagged 15.3 % of
    them, the fifth 11.6 %, the sixth 9.5 %."""
    import csv

    with open(vihsd_dir / "dev.csv", encoding="utf-8") as fh:
        clean = [r["free_text"] for r in csv.DictReader(fh) if r["label_id"] == "0"]
    flagged = sum(bool(v.flags) for v in analyze_many(clean, explain=False))
    assert flagged / len(clean) <= 0.11, flagged / len(clean)


@pytest.mark.slow
def test_the_shipped_artifact_is_what_training_on_the_set_gives(tmp_path, vihsd_dir):
    """Retraining from the set (and the everyday comments it was trained with, ViHSD train's
    clean rows) reproduces the shipped model exactly (same version, same thresholds): an
    edit of the data or the cues without retraining fails here."""
    from cyberyouth.safety.train_categories import CategoryConfig, train_categories

    shipped = load_category_model().meta
    ordinary = tuple(str(vihsd_dir.parent / name) for name in shipped["training"]["ordinary"])
    meta = train_categories(tmp_path, CategoryConfig(ordinary=ordinary), log=lambda s: None)
    assert meta["version"] == shipped["version"]
    assert meta["thresholds"] == shipped["thresholds"]
    assert meta["dev_metrics"]["per_category"] == shipped["dev_metrics"]["per_category"]


def test_a_deployment_serves_its_own_retrained_model_from_outside_the_package(tmp_path, monkeypatch):
    """CYBERYOUTH_SAFETY_MODEL_DIR: a model retrained from the moderators' decisions is served
    without touching the package (an upgrade would overwrite it); what the folder lacks comes from
    the shipped models; a folder named wrongly stops the engine instead of silently falling back."""
    import shutil

    from cyberyouth.safety.categories import WORD_PAIRS_FILE, default_model_dir
    from cyberyouth.safety.model import MODEL_DIR_ENV, load_model

    shipped = default_model_dir()
    shipped_versions = (load_model().version, load_category_model().version)
    own = tmp_path / "model"
    own.mkdir()
    for name in ("categories.npz", WORD_PAIRS_FILE):
        shutil.copy(shipped / name, own)
    meta = json.loads((shipped / "categories.json").read_text("utf-8"))
    meta["version"] = "vi-cat-linear-ours"
    meta["thresholds"]["harassment"] = 0.5
    (own / "categories.json").write_text(json.dumps(meta), "utf-8")
    try:
        monkeypatch.setenv(MODEL_DIR_ENV, str(own))
        load_category_model.cache_clear()
        load_model.cache_clear()
        engine = Engine()
        assert engine.category_model.version == "vi-cat-linear-ours" and engine.thresholds["harassment"] == 0.5
        assert engine.model.version == shipped_versions[0]  # no toxicity.npz there: the shipped one
        for bad, message in ((tmp_path / "none", "no such folder"), (tmp_path, "neither")):
            monkeypatch.setenv(MODEL_DIR_ENV, str(bad))
            load_category_model.cache_clear()
            with pytest.raises(RuntimeError, match=message):
                Engine()
    finally:
        monkeypatch.delenv(MODEL_DIR_ENV)
        load_category_model.cache_clear()
        load_model.cache_clear()
    assert (Engine().model.version, Engine().category_model.version) == shipped_versions


def test_eval_categories_marks_what_a_small_file_cannot_measure(tmp_path, capsys):
    """A file of a few decisions holds a few categories: the others show "—", not a recall of 0,
    and macro-F1 is over the categories held."""
    p = tmp_path / "decisions.csv"
    p.write_text("text,labels,partial\n\"nạp thẻ 100k nhận 500k, cá độ bóng đá uy tín\",gambling,1\n"
                 "tối nay team mình leo rank,-,0\n", "utf-8")
    assert main(["eval", "--categories", "--data", str(p)]) == 0
    out = capsys.readouterr().out
    rows = {ln.split()[0]: ln.split()[1:] for ln in out.splitlines() if ln.split() and ln.split()[0] in CATEGORIES}
    assert rows["harassment"][:3] == ["—", "—", "—"] and rows["harassment"][3] == "0.0000"  # judged harmless once
    assert rows["gambling"][:3] == ["1.0000"] * 3
    assert "macro-F1 1.0000" in out
