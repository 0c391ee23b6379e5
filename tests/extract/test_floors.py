"""Pinned score floors for CI: the issue's targets on the samples, measured floors on the other sets."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

from extract.evaluate import Report, evaluate_files, format_errors, format_report
from extract.models import FACT_TYPES

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"


class Floor(NamedTuple):
    gold: str
    articles: str
    micro_f1: float
    type_f1: float
    types: tuple[str, ...] | None = None  # the types a set is annotated for (None: all)


SIX_TYPES = ("cluster", "member", "chair", "award", "slogan", "event")  # what ANNOTATION.md annotates


# Issue 3: micro-F1 ≥ 0.95 on the samples and every type ≥ 0.90. The other sets: slightly below
# the figures measured when the floors were pinned (docs/EVALUATION.md); raise them when
# extraction improves, never lower them silently. First, unseen scores of the blind rounds:
# blind 0.827 / 0.909 (two rounds), blind2 0.924, blind3 0.964, blind4 0.975; all 1.000 since.
# Blind 5 (six types, award-rich, the thirty-first session): 0.935 unseen, 0.983 after its fixes;
# blind 6 (province-wide, multi-cluster reports, the same session): 0.855 unseen, 0.901 after;
# blind 7 (reports where the cluster is not the subject): 0.864 unseen, 0.876 after (awards 0.65),
# 0.901 at the end of the thirty-second session (awards 0.725; blind 6 then 0.911);
# blind 8 (events, chairs and members written messily, the thirty-second session): 0.858 unseen,
# 0.920 after its fixes (events 0.81, awards 0.82); blind 9 (results notices and decisions, awards in
# bulk, the same session): 0.755 unseen (awards 0.52), 0.877 after its fixes (awards 0.81); blind 10
# (provincial and district year-end conferences, cut at ~2,000 characters): 0.826 unseen, 0.848 after,
# 0.856 in the thirty-third session; blind 11 (sector clusters: police, army, procuracy, finance,
# education, enterprises, mass organisations, the thirty-third session): 0.856 unseen, 0.918 after;
# blind 12 (news items and digests telling several meetings, with crawled pages' related-headline
# lists, the same session): 0.866 unseen (clusters P 0.49, events P 0.63), 0.941 after; blind 13
# (decisions and summaries laying out many clusters' members and chairs, the same session): 0.726
# unseen (members and chairs R 0.48), 0.829 after. Blind 16 (enterprise and armed-force blocs,
# clusters after the 2025 merger, whole crawled pages; the thirty-sixth session): 0.838 unseen,
# 0.896 after (a month without a day no date, as its writers left it). Blind 17
# (abbreviations, denied and planned facts, 2008–2014 wording, interviews and commentaries; the same
# session): 0.829 unseen, 0.863 after (awards 0.66: no-year awards withheld, abbreviated awards unread).
FLOORS = {
    "samples": Floor("gold.jsonl", "articles.jsonl", 0.95, 0.90),
    "constructed": Floor("constructed_gold.jsonl", "constructed_articles.jsonl", 0.97, 0.95),
    "blind": Floor("blind_gold.jsonl", "blind_articles.jsonl", 0.97, 0.90),
    "blind2": Floor("blind2_gold.jsonl", "blind2_articles.jsonl", 0.97, 0.90),
    "blind3": Floor("blind3_gold.jsonl", "blind3_articles.jsonl", 0.97, 0.90),
    "blind4": Floor("blind4_gold.jsonl", "blind4_articles.jsonl", 0.97, 0.90),
    "blind5": Floor("blind5_gold.jsonl", "blind5_articles.jsonl", 0.97, 0.90, SIX_TYPES),
    "blind6": Floor("blind6_gold.jsonl", "blind6_articles.jsonl", 0.91, 0.80, SIX_TYPES),
    "blind7": Floor("blind7_gold.jsonl", "blind7_articles.jsonl", 0.92, 0.70, SIX_TYPES),
    "blind8": Floor("blind8_gold.jsonl", "blind8_articles.jsonl", 0.91, 0.78, SIX_TYPES),
    "blind9": Floor("blind9_gold.jsonl", "blind9_articles.jsonl", 0.86, 0.78, SIX_TYPES),
    "blind10": Floor("blind10_gold.jsonl", "blind10_articles.jsonl", 0.85, 0.70, SIX_TYPES),
    "blind11": Floor("blind11_gold.jsonl", "blind11_articles.jsonl", 0.91, 0.85, SIX_TYPES),
    "blind12": Floor("blind12_gold.jsonl", "blind12_articles.jsonl", 0.93, 0.85, SIX_TYPES),
    "blind13": Floor("blind13_gold.jsonl", "blind13_articles.jsonl", 0.87, 0.80, SIX_TYPES),
    "blind14": Floor("blind14_gold.jsonl", "blind14_articles.jsonl", 0.89, 0.64, SIX_TYPES),
    "blind15": Floor("blind15_gold.jsonl", "blind15_articles.jsonl", 0.83, 0.58, SIX_TYPES),
    "blind16": Floor("blind16_gold.jsonl", "blind16_articles.jsonl", 0.89, 0.78, SIX_TYPES),
    "blind17": Floor("blind17_gold.jsonl", "blind17_articles.jsonl", 0.86, 0.64, SIX_TYPES),
    "blind18": Floor("blind18_gold.jsonl", "blind18_articles.jsonl", 0.90, 0.75, SIX_TYPES),
    "blind19": Floor("blind19_gold.jsonl", "blind19_articles.jsonl", 0.85, 0.64, SIX_TYPES),
    "blind20": Floor("blind20_gold.jsonl", "blind20_articles.jsonl", 0.89, 0.70, SIX_TYPES),
    # Blind 21 (many clusters' results in one report, heads speaking for units, member lists; the
    # thirty-eighth session): 0.845 unseen, 0.917 after; blind 22 (awards to people beside units, results
    # tables, chairs' years across two meetings): 0.788 unseen, 0.840 after (tables run together in one
    # line unread); blind 23 (clusters of provinces, short items, clusters below the district): 0.897
    # unseen, 0.918 after; blind 24 (reports heavy with figures, award years, documents posted as text):
    # 0.898 unseen, 0.918 after (awards 0.68: no-year awards withheld); blind 25 (bank and enterprise
    # blocs of branded branches, two clusters in one report, mass organisations' clusters): 0.859
    # unseen, 0.884 after (awards 0.73: recipients written in another form than their first mention).
    "blind21": Floor("blind21_gold.jsonl", "blind21_articles.jsonl", 0.91, 0.84, SIX_TYPES),
    "blind22": Floor("blind22_gold.jsonl", "blind22_articles.jsonl", 0.83, 0.66, SIX_TYPES),
    "blind23": Floor("blind23_gold.jsonl", "blind23_articles.jsonl", 0.91, 0.80, SIX_TYPES),
    "blind24": Floor("blind24_gold.jsonl", "blind24_articles.jsonl", 0.91, 0.66, SIX_TYPES),
    "blind25": Floor("blind25_gold.jsonl", "blind25_articles.jsonl", 0.87, 0.72, SIX_TYPES),
    # Blind rounds 26–38 (the thirty-ninth session; first unseen score, then after its fixes): 26
    # (clusters of communes and wards after the 2025 reorganisation) 0.862, 0.946; 27 (awards' years
    # and recipients' second forms) 0.785, 0.850 (awards 0.55: no-year awards withheld); 28 (old and
    # clumsy portals) 0.933, 0.960; 29 (chairs and meetings told many ways) 0.914, 0.927; 30 (mass
    # organisations' clusters) 0.941, 0.948; 31 (digests, briefs, captions) 0.941, 0.965; 32 (police
    # and military blocs, interviews) 0.879, 0.906; 33 (decisions, plans and notices as text) 0.879,
    # 0.931; 34 (a cluster's timeline over many years) 0.784, 0.836; 36 (negation and modality) 0.946,
    # 0.980 (precision 0.929 -> 0.996); 37 (central ministries' and corporations' blocs) 0.821, 0.865;
    # 38 (a cluster's own reports, minutes and covenants as documents) 0.893, 0.897.
    "blind26": Floor("blind26_gold.jsonl", "blind26_articles.jsonl", 0.94, 0.77, SIX_TYPES),
    "blind27": Floor("blind27_gold.jsonl", "blind27_articles.jsonl", 0.84, 0.53, SIX_TYPES),
    "blind28": Floor("blind28_gold.jsonl", "blind28_articles.jsonl", 0.95, 0.84, SIX_TYPES),
    "blind29": Floor("blind29_gold.jsonl", "blind29_articles.jsonl", 0.92, 0.82, SIX_TYPES),
    "blind30": Floor("blind30_gold.jsonl", "blind30_articles.jsonl", 0.94, 0.88, SIX_TYPES),
    "blind31": Floor("blind31_gold.jsonl", "blind31_articles.jsonl", 0.96, 0.85, SIX_TYPES),
    "blind32": Floor("blind32_gold.jsonl", "blind32_articles.jsonl", 0.90, 0.86, SIX_TYPES),
    "blind33": Floor("blind33_gold.jsonl", "blind33_articles.jsonl", 0.92, 0.79, SIX_TYPES),
    "blind34": Floor("blind34_gold.jsonl", "blind34_articles.jsonl", 0.83, 0.77, SIX_TYPES),
    "blind36": Floor("blind36_gold.jsonl", "blind36_articles.jsonl", 0.97, 0.92, SIX_TYPES),
    "blind37": Floor("blind37_gold.jsonl", "blind37_articles.jsonl", 0.85, 0.62, SIX_TYPES),
    "blind38": Floor("blind38_gold.jsonl", "blind38_articles.jsonl", 0.89, 0.69, SIX_TYPES),
    # Blind 39 (ordinary reports, no emphasis) 0.933 unseen, 0.940 after; blind 40 (damaged and sloppy
    # text: words without diacritics, "số ll", "--" for a dash) 0.862 unseen, 0.877 after.
    "blind39": Floor("blind39_gold.jsonl", "blind39_articles.jsonl", 0.93, 0.81, SIX_TYPES),
    "blind40": Floor("blind40_gold.jsonl", "blind40_articles.jsonl", 0.87, 0.80, SIX_TYPES),
    # Blind rounds 41–54 (the fortieth session; first unseen score, then after its fixes): 41 (ordinary,
    # north and centre) 0.976, 0.978; 42 (award-heavy) 0.928, 0.949; 43 (long crawled pages) 0.960, 0.973;
    # 44 (ordinary, 2008–2026) 0.973, 0.981; 45 (units in several forms) 0.871, 0.939; 46 (ordinary, rarely
    # covered provinces and big cities) 0.961, 0.967; 47 (units in several forms, bodies and brands) 0.879,
    # 0.906; 48 (a precision test) 0.951, 0.951; 49 (ordinary, every kind of item) 0.923, 0.931; 50 (awards
    # as reports tell them) 0.889, 0.930; 51 (units in several forms, localities and agencies) 0.913, 0.917;
    # 52 (ordinary, many outlets) 0.967; 53 (awards of clusters and blocs) 0.939, 0.951; 54 (meetings,
    # dates and chairs) 0.967 (52 and 54 had no fix of their own); 55, 56 (ordinary) 0.967, 0.976 and 57
    # (awards and units in several forms) 0.925, written and scored after the session's last fix.
    "blind41": Floor("blind41_gold.jsonl", "blind41_articles.jsonl", 0.97, 0.87, SIX_TYPES),
    "blind42": Floor("blind42_gold.jsonl", "blind42_articles.jsonl", 0.94, 0.84, SIX_TYPES),
    "blind43": Floor("blind43_gold.jsonl", "blind43_articles.jsonl", 0.96, 0.91, SIX_TYPES),
    "blind44": Floor("blind44_gold.jsonl", "blind44_articles.jsonl", 0.97, 0.94, SIX_TYPES),
    "blind45": Floor("blind45_gold.jsonl", "blind45_articles.jsonl", 0.93, 0.83, SIX_TYPES),
    "blind46": Floor("blind46_gold.jsonl", "blind46_articles.jsonl", 0.96, 0.84, SIX_TYPES),
    "blind47": Floor("blind47_gold.jsonl", "blind47_articles.jsonl", 0.90, 0.72, SIX_TYPES),
    "blind48": Floor("blind48_gold.jsonl", "blind48_articles.jsonl", 0.94, 0.84, SIX_TYPES),
    "blind49": Floor("blind49_gold.jsonl", "blind49_articles.jsonl", 0.92, 0.80, SIX_TYPES),
    "blind50": Floor("blind50_gold.jsonl", "blind50_articles.jsonl", 0.92, 0.81, SIX_TYPES),
    "blind51": Floor("blind51_gold.jsonl", "blind51_articles.jsonl", 0.91, 0.75, SIX_TYPES),
    "blind52": Floor("blind52_gold.jsonl", "blind52_articles.jsonl", 0.96, 0.87, SIX_TYPES),
    "blind53": Floor("blind53_gold.jsonl", "blind53_articles.jsonl", 0.94, 0.85, SIX_TYPES),
    "blind54": Floor("blind54_gold.jsonl", "blind54_articles.jsonl", 0.96, 0.90, SIX_TYPES),
    "blind55": Floor("blind55_gold.jsonl", "blind55_articles.jsonl", 0.96, 0.83, SIX_TYPES),
    "blind56": Floor("blind56_gold.jsonl", "blind56_articles.jsonl", 0.97, 0.91, SIX_TYPES),
    "blind57": Floor("blind57_gold.jsonl", "blind57_articles.jsonl", 0.92, 0.80, SIX_TYPES),
    "blind58": Floor("blind58_gold.jsonl", "blind58_articles.jsonl", 0.97, 0.91, SIX_TYPES),
    "blind59": Floor("blind59_gold.jsonl", "blind59_articles.jsonl", 0.96, 0.88, SIX_TYPES),
    "blind60": Floor("blind60_gold.jsonl", "blind60_articles.jsonl", 0.97, 0.87, SIX_TYPES),
    "blind61": Floor("blind61_gold.jsonl", "blind61_articles.jsonl", 0.96, 0.87, SIX_TYPES),
    "blind62": Floor("blind62_gold.jsonl", "blind62_articles.jsonl", 0.96, 0.88, SIX_TYPES),
    "blind63": Floor("blind63_gold.jsonl", "blind63_articles.jsonl", 0.94, 0.84, SIX_TYPES),
    # Blind rounds 64–71 (the forty-second session; first unseen score, then after its fixes): 64
    # (ordinary) 0.966, 0.971; 65 (crawled and copied text) 0.943, 0.982; 66 (a province's whole
    # picture, briefs) 0.827, 0.855; 67 (ordinary) 0.965, 0.970; 68 (a member's own site) 0.942, 0.953;
    # 69 (ordinary) 0.972, 0.978; 70 (official documents, big cities) 0.900, 0.939; 71 (ordinary) 0.972,
    # 0.974 (0.979 after); 72 (ordinary; its second half came after the session's last fix) 0.966.
    "blind64": Floor("blind64_gold.jsonl", "blind64_articles.jsonl", 0.96, 0.84, SIX_TYPES),
    "blind65": Floor("blind65_gold.jsonl", "blind65_articles.jsonl", 0.97, 0.89, SIX_TYPES),
    "blind66": Floor("blind66_gold.jsonl", "blind66_articles.jsonl", 0.84, 0.71, SIX_TYPES),
    "blind67": Floor("blind67_gold.jsonl", "blind67_articles.jsonl", 0.95, 0.87, SIX_TYPES),
    "blind68": Floor("blind68_gold.jsonl", "blind68_articles.jsonl", 0.94, 0.83, SIX_TYPES),
    "blind69": Floor("blind69_gold.jsonl", "blind69_articles.jsonl", 0.96, 0.88, SIX_TYPES),
    "blind70": Floor("blind70_gold.jsonl", "blind70_articles.jsonl", 0.92, 0.78, SIX_TYPES),
    "blind71": Floor("blind71_gold.jsonl", "blind71_articles.jsonl", 0.96, 0.85, SIX_TYPES),
    "blind72": Floor("blind72_gold.jsonl", "blind72_articles.jsonl", 0.95, 0.83, SIX_TYPES),
}

# Lowered on purpose, not silently: the Bình Định sample's gold lists as members four units named
# only as award recipients and chairs; ../shared/ANNOTATION.md (which the held-out sets follow and
# which wins over the samples) takes members only from explicit membership statements.
# The same goes for the samples' events: two of them annotate one "tổng kết … và ký kết giao ước"
# meeting as a review and a signing; ANNOTATION.md makes it one review.
TYPE_FLOORS = {("samples", "member"): 0.85, ("samples", "event"): 0.8}


@cache
def report(name: str) -> Report:
    floor = FLOORS[name]
    return evaluate_files(GOLD / floor.gold, GOLD / floor.articles, floor.types)


def _figures(rep: Report) -> str:
    return "\n" + format_report(rep) + "\n" + format_errors(rep)


@pytest.mark.parametrize("name", FLOORS)
def test_micro_f1_floor(name: str) -> None:
    rep = report(name)
    assert not rep.failures, rep.failures
    assert rep.micro.f1 >= FLOORS[name].micro_f1, f"{name}: micro-F1 {rep.micro.f1:.3f}" + _figures(rep)


@pytest.mark.parametrize(
    ("name", "fact_type"),
    [
        (name, t)
        for name, floor in FLOORS.items()
        for t in FACT_TYPES
        if floor.types is None or t in floor.types
    ],
)
def test_f1_floor_per_type(name: str, fact_type: str) -> None:
    rep = report(name)
    counts = rep.per_type[fact_type]
    floor = TYPE_FLOORS.get((name, fact_type), FLOORS[name].type_f1)
    message = f"{name}: {fact_type} F1 {counts.f1:.3f} < {floor}"
    assert counts.f1 >= floor, message + _figures(rep)


# Crawl damage (extract/damage.py, `thidua eval --damage`): the committed sets' texts flattened,
# hard-wrapped, with hard breaks, broken words and image file names, scored as they are. Floors a
# little below the figures measured when they were last raised (docs/EVALUATION.md, twenty-ninth
# session: flat 0.993–1.000, broken words 0.983–1.000, image names 0.993–1.000, wrap 0.981–0.994,
# hard breaks 0.985–0.997; in the twenty-seventh, wrap 0.973 and hard breaks 0.958 at least; when first
# pinned, in the twenty-fifth, flat 0.985, broken words 0.973 and hard breaks 0.950 at least; hard
# breaks were 0.788–0.851 before that session).
DAMAGE_FLOORS = {
    "flat": 0.985,
    "broken-words": 0.975,
    "image-names": 0.985,
    "wrap": 0.97,
    "hard-breaks": 0.975,
}
DAMAGED_SETS = ("constructed", "blind", "blind2", "blind3", "blind4")


@cache
def damaged_report(name: str, kind: str) -> Report:
    floor = FLOORS[name]
    return evaluate_files(GOLD / floor.gold, GOLD / floor.articles, damaged=kind)


@pytest.mark.parametrize("kind", DAMAGE_FLOORS)
@pytest.mark.parametrize("name", DAMAGED_SETS)
def test_micro_f1_floor_on_damaged_copies(name: str, kind: str) -> None:
    rep = damaged_report(name, kind)
    assert not rep.failures, rep.failures
    assert rep.micro.f1 >= DAMAGE_FLOORS[kind], f"{name}, {kind}: micro-F1 {rep.micro.f1:.3f}" + _figures(rep)


TRUNCATED_PRECISION_FLOOR = 0.965  # a cut text loses facts; what is read from it must stay right


@pytest.mark.parametrize("name", DAMAGED_SETS)
def test_precision_floor_on_truncated_copies(name: str) -> None:
    rep = damaged_report(name, "truncated")
    assert not rep.failures, rep.failures
    assert rep.micro.precision >= TRUNCATED_PRECISION_FLOOR, (
        f"{name}, truncated: precision {rep.micro.precision:.3f}" + _figures(rep)
    )
