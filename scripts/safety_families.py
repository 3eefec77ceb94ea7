"""The model card's family table: dev texts grouped by the issue's families.

Each written line of the category set names its family (`@family`, 238 of them); here they are
grouped by name into the issue's families and the harmless kinds beside them. A harm counts as
found when one of its categories is flagged; a harmless text counts as flagged when it has any
flag. Uses the models in service (CYBERYOUTH_SAFETY_MODEL_DIR to measure another); `--names`
also prints which families fell in each group.

Run (≈ 5 s): SECRET_KEY=x .venv/bin/python scripts/safety_families.py [--names]
"""

import re
import sys
from collections import defaultdict

from cyberyouth.safety import dataset
from cyberyouth.safety.engine import analyze_many

# First match wins: gambling and drugs before the insults (an online casino's ad is gambling),
# violence before the explicit ("violence_explicit"), sexual before home ("sexual_address").
HARMS = (
    ("gambling", r"gambl|bet|lottery|cards|casino|lootbox"),
    ("drugs", r"drug|vape|using|weed|pill"),
    ("implicit threats and intimidation", r"threat|veiled|countdown|silenc|intimid|pressure"),
    ("calls to shame or exclude a classmate",
     r"exclu|shaming|shame|embarrass|rumour|clone|poll|boycott|kick_block|nickname|callout"),
    ("a classmate's home, family or routine exposed", r"home|family_exposed|routine|exposed_with_call"),
    ("fights narrated, calls to beat, praise of fights", r"violence|fight|beat|weapon|clip|bystander"),
    ("peer sexual remarks, sexual harassment", r"sexual|body|touch|camera|photo_request|innuendo"),
    ("insults with no swear word, online harassment, gloating",
     r"insult|harassment_online|gloat|mock|review|rating|remarks"),
    ("identifiers", r"identifier"),
    ("questions about means or doses of self-harm", r"means|dose"),
    ("ideation, hopelessness, self-injury, a friend's risk, urging",
     r"ideation|hopeless|self_injury|self_harm|selfharm|challenge|friend_report|incitement|risk_openers|hiding"),
    ("loans for students, game top-up scams", r"loan|topup"),
    ("prize, OTP, job and impersonation scams", r"prize|otp|job|scam|imperson|invest|recruit|fake_"),
    ("grooming, sextortion, explicit", r"groom|sextortion|explicit"),
)
HARMLESS = (
    ("prevention lessons and warnings", r"prevention|lesson|warning"),
    ("news", r"news"),
    ("official notices", r"official|notice|announce"),
    ("fiction, films, games", r"fiction|film|game"),
    ("volunteer work", r"volunteer"),
    ("sport, martial arts, first aid", r"sport|martial|first_aid"),
    ("health questions", r"health|puberty|dose|medic|sex_education"),
    ("idioms and place names", r"idiom|place"),
    ("everyday chat, banter, praise, comfort, twins", r"."),
)


def group_of(rules, family: str) -> str:
    return next((name for name, rx in rules if re.search(rx, family)), "other")


def main(argv: list[str]) -> int:
    dev = dataset.split("dev")
    verdicts = analyze_many([ex.text for ex in dev], explain=False)
    counts: dict[tuple[bool, str], list[int]] = defaultdict(lambda: [0, 0])
    families: dict[tuple[bool, str], set[str]] = defaultdict(set)
    for ex, v in zip(dev, verdicts):
        harm = bool(ex.labels)
        key = (harm, group_of(HARMS if harm else HARMLESS, ex.family))
        counts[key][0] += bool(set(v.flags) & ex.labels) if harm else bool(v.flags)
        counts[key][1] += 1
        families[key].add(ex.family)
    for harm, rules, title in ((True, HARMS, "harms (found)"), (False, HARMLESS, "harmless texts (flagged)")):
        print(f"{title}:")
        for name in [n for n, _ in rules] + ["other"]:
            if (harm, name) in counts:
                k, n = counts[harm, name]
                print(f"  {name:<62} {k:>5} / {n:<5} ({k / n:.2f})")
                if "--names" in argv:
                    print("    " + ", ".join(sorted(families[harm, name])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
