"""Time `privacy.scan` on generated, realistic plan text (issue 8).

    .venv/bin/python bench/privacy_scan.py [MEGABYTES]   (default 160: 40,000 files of ~4 KB)

Prints the CPU time (steadier than wall time on a shared machine), MB/s, and the time per
1,000 typical files. The text mixes what plans
hold: ISO dates, percentages, money, phone numbers, role mailboxes, web links with long digit
runs, prose notes, and (in a few files) cohort phrases such as "born after 31 August 2015".
"""

from __future__ import annotations

import random
import sys
import time

from sendplan.privacy import scan

VOCABULARY = (
    "assessment plan EHCP timeliness review partnership health education social care children "
    "young people families parents carers SENCo school settings tribunal annual reviews quality "
    "assurance audit co-production outcomes impact evidence data dashboard NHS England ICB "
    "commissioning therapy speech language occupational CAMHS waiting list pathway transition "
    "preparation adulthood inclusion exclusion attendance alternative provision sufficiency"
)
WORDS = VOCABULARY.split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%")
    if rng.random() < 0.1:
        words.insert(rng.randint(0, len(words)), f"£{rng.randint(1, 999)},{rng.randint(100, 999)}")
    if rng.random() < 0.05:
        words.insert(rng.randint(0, len(words)), f"01865 {rng.randint(100000, 999999)}")
    if rng.random() < 0.05:
        words.insert(rng.randint(0, len(words)), "send.team@oxfordshire.gov.uk")
    if rng.random() < 0.01:
        words.append("children born after 31 August 2015")
    return " ".join(words).capitalize() + "."


def objective(rng: random.Random, n: int) -> str:
    lines = [
        f"id: PAP{n % 9}A:{n}",
        f"theme: PAP{n % 9}A",
        f"title: {sentence(rng)}",
        "commitment: >",
        *(f"  {sentence(rng)}" for _ in range(4)),
        "owner: Head of SEND",
        f"due: 2024-{rng.randint(1, 12):02d}",
        "evidence: [E24, E25, E26]",
        "kpis: [ehcp-20-weeks]",
        "impact:",
        *(f"  - {sentence(rng)}" for _ in range(3)),
        "ratings:",
    ]
    for month in range(1, rng.randint(6, 14)):
        lines += [
            f"  - date: 2024-{min(month, 12):02d}-{rng.randint(1, 28):02d}",
            f"    brag: {rng.choice(['red', 'amber', 'green', 'blue'])}",
            "    by: PDG",
            f"    note: {sentence(rng)} {sentence(rng)}",
        ]
    if rng.random() < 0.2:
        lines.append(
            f"# see https://democracy.example.gov.uk/documents/s{rng.randint(10**9, 10**10)}/x"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 160.0
    rng = random.Random(8)
    files: list[str] = []
    total = 0
    while total < megabytes * 1_000_000:
        text = objective(rng, len(files))
        files.append(text)
        total += len(text)
    wall, cpu = time.perf_counter(), time.process_time()
    found = sum(len(scan(text)) for text in files)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{len(files):,} files, {total / 1e6:.1f} MB: {cpu:.2f} s CPU ({wall:.2f} s wall), "
        f"{total / 1e6 / cpu:.0f} MB/s, {cpu / len(files) * 1000 * 1000:.1f} ms CPU "
        f"per 1,000 files of {total / len(files) / 1000:.1f} KB; {found} findings"
    )


if __name__ == "__main__":
    main()
