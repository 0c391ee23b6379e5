"""Scorer unit tests: normalisation, keys, slogan overlap, one-to-one matching, micro-averaging, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract.evaluate import (
    EvalInputError,
    evaluate,
    evaluate_files,
    format_errors,
    format_report,
    read_gold,
    run_eval,
)
from extract.scoring import (
    fact_key,
    match_facts,
    normalize_value,
    slogan_tokens,
    token_overlap,
    unify_tones,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "corpus" / "gold"


def art(article_id: str, *facts: dict) -> dict:
    return {"id": article_id, "facts": list(facts)}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("thành phố Đà Lạt", "Đà Lạt"),
        ("TP Bảo Lộc", "bảo lộc"),
        ("TP. Bảo Lộc", "Bảo Lộc"),
        ("UBND huyện Đức Trọng", "Đức Trọng"),
        ("Ủy ban nhân dân thị xã Buôn Hồ", "Buôn Hồ"),
        ("TX Gia Nghĩa", "Gia Nghĩa"),
        ("quận Ninh Kiều", "Ninh Kiều"),
        ("tỉnh Lâm Đồng", "LÂM ĐỒNG"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("TPHCM", "Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Hoà Bình", "Hòa Bình"),
        ("Uỷ ban", "Ủy ban"),
        ("Thuỷ Nguyên", "Thủy Nguyên"),
        ("khoẻ", "khỏe"),
        ("Cụm thi đua các huyện miền núi – trung du", "cụm  thi đua các huyện miền núi-trung du"),
        ("“Xóa nhà tạm, nhà dột nát”", "Xóa nhà tạm, nhà dột nát"),
        ("«Xóa nhà tạm»", "‘Xóa nhà tạm’"),
        ("Ca\u0301c huyện", "Các huyện"),
        ("Đà\u00a0Lạt", "Đà Lạt"),
    ],
)
def test_normalisation_makes_variants_equal(a: str, b: str) -> None:
    assert normalize_value(a) == normalize_value(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Đà Lạt", "Di Linh"),
        ("Cụm thi đua số 1", "Cụm thi đua số 2"),
        ("quý", "qúy"),
        ("Hoàng", "Hòang"),
        ("Bằng khen", "Cờ thi đua"),
    ],
)
def test_normalisation_keeps_different_values_apart(a: str, b: str) -> None:
    assert normalize_value(a) != normalize_value(b)


def test_prefix_alone_is_kept_and_numbers_parse() -> None:
    assert normalize_value("huyện") == "huyện"
    assert normalize_value("1.637") == 1637
    assert normalize_value("2392") == 2392
    assert normalize_value(2021) == 2021
    assert normalize_value(None) is None


def test_unify_tones_leaves_correct_words_alone() -> None:
    text = "ngoài thuyền quý hoàng khuyến"
    assert unify_tones(text) == text


def test_fact_key_uses_the_schema_fields() -> None:
    a = {
        "type": "award",
        "recipient": "UBND huyện Tây Sơn",
        "award": "Bằng khen",
        "year": 2021,
        "status": "proposed",
    }
    b = {
        "type": "award",
        "recipient": "Tây Sơn",
        "award": "bằng khen",
        "year": 2021,
        "conferred_by": "UBND tỉnh",
    }
    assert fact_key(a) == fact_key(b)
    assert fact_key({**b, "year": 2022}) != fact_key(a)
    chair = {"type": "chair", "role": "chair", "unit": "An Lão", "year": 2022, "cluster": "x"}
    assert fact_key(chair) == fact_key({**chair, "cluster": "y"})
    assert fact_key(chair) != fact_key({**chair, "role": "vice_chair"})


def test_slogan_token_overlap() -> None:
    gold = slogan_tokens("Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau")
    close = slogan_tokens("“Cả nước chung tay vì người nghèo, không để ai bỏ lại phía sau”")
    short = slogan_tokens("Vì người nghèo")
    assert token_overlap(gold, gold) == 1.0
    assert token_overlap(gold, close) >= 0.8
    assert token_overlap(gold, short) < 0.8
    assert token_overlap(close, gold) == token_overlap(gold, close)


def test_one_to_one_exact_matching_counts_duplicates() -> None:
    gold = [{"type": "member", "member": "Di Linh"}, {"type": "member", "member": "Đà Lạt"}]
    pred = [{"type": "member", "member": "huyện Di Linh"}] * 3
    pairs = match_facts("member", gold, pred)
    assert pairs == [(0, 0)]


def test_fuzzy_matching_is_maximum_not_greedy() -> None:
    # Predicted 0 fits both gold slogans; a greedy matcher that gives it to gold 0 loses gold 1.
    g0 = "a b c d e f g h i j"
    g1 = "a b c d e f g h i k"
    gold = [{"type": "slogan", "text": g0}, {"type": "slogan", "text": g1}]
    pred = [{"type": "slogan", "text": "a b c d e f g h i"}, {"type": "slogan", "text": g0}]
    pairs = match_facts("slogan", gold, pred)
    assert len(pairs) == 2
    assert sorted(j for _, j in pairs) == [0, 1]


def test_evaluate_counts_and_micro_average() -> None:
    gold = [
        art(
            "a",
            {"type": "member", "member": "A"},
            {"type": "member", "member": "B"},
            {"type": "slogan", "text": "Xóa nhà tạm, nhà dột nát", "kind": "movement"},
        ),
        art("b", {"type": "chair", "role": "chair", "unit": "C", "year": 2020}),
    ]
    pred = [
        art(
            "a",
            {"type": "member", "member": "huyện A"},
            {"type": "member", "member": "Z"},
            {"type": "slogan", "text": "“Xoá nhà tạm, nhà dột nát”", "kind": "theme"},
        ),
        art("b", {"type": "chair", "role": "chair", "unit": "C", "year": 2021}),
        art("c", {"type": "member", "member": "Q"}),
    ]
    report = evaluate(gold, pred)
    member, chair, slogan = report.per_type["member"], report.per_type["chair"], report.per_type["slogan"]
    assert (member.tp, member.fp, member.fn) == (1, 1, 1)
    assert (chair.tp, chair.fp, chair.fn) == (0, 1, 1)
    assert (slogan.tp, slogan.fp, slogan.fn) == (1, 0, 0)
    micro = report.micro
    assert (micro.tp, micro.fp, micro.fn) == (2, 2, 2)
    assert micro.precision == pytest.approx(0.5) and micro.f1 == pytest.approx(0.5)
    assert report.unscored == ["c"]
    assert report.articles == 2
    text = format_report(report)
    assert "micro" in text and "member" in text and "0.500" in text
    errors = format_errors(report)
    assert '"member": "Z"' in errors and '"unit": "C"' in errors


def test_micro_average_pools_articles_not_means() -> None:
    gold = [
        art("a", *[{"type": "member", "member": str(i)} for i in range(9)]),
        art("b", {"type": "member", "member": "x"}),
    ]
    pred = [art("a", *[{"type": "member", "member": str(i)} for i in range(9)]), art("b")]
    report = evaluate(gold, pred)
    assert report.per_type["member"].recall == pytest.approx(0.9)  # a mean of per-article recalls is 0.5


def test_empty_types_score_as_perfect_and_missing_predictions_as_misses() -> None:
    report = evaluate([art("a", {"type": "person", "name": "Nguyễn Văn A"})], [])
    assert report.per_type["person"].recall == 0.0
    assert report.per_type["person"].f1 == 0.0
    assert report.per_type["award"].f1 == 1.0


def test_samples_score_perfectly_against_themselves() -> None:
    gold = read_gold(GOLD / "gold.jsonl")
    report = evaluate(gold, gold)
    stated = sum(1 for g in gold for f in g["facts"] if not f.get("inferred"))
    assert report.micro.f1 == 1.0 and report.micro.tp == stated


def test_inferred_facts_are_left_out_on_both_sides() -> None:
    implied = {"type": "chair", "role": "chair", "unit": "Di Linh", "year": 2023, "inferred": True}
    stated = {"type": "chair", "role": "chair", "unit": "Bảo Lộc", "year": 2024}
    report = evaluate([art("a", stated, implied)], [art("a", stated)])
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 0, 0)
    report = evaluate([art("a", stated)], [art("a", stated, {**implied, "unit": "Đà Lạt"})])
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 0, 0)


def test_types_restrict_scoring_to_the_annotated_types() -> None:
    person = {"type": "person", "name": "Nguyễn Văn A"}
    cluster = {"type": "cluster", "name": "Cụm thi đua số 1"}
    report = evaluate([art("a", cluster)], [art("a", cluster, person)], types=["cluster"])
    assert list(report.per_type) == ["cluster"]
    assert report.micro.precision == 1.0


def test_calibration_table_reads_confidence_as_probability() -> None:
    right = [{"type": "cluster", "name": f"Cụm thi đua số {i}", "confidence": 0.95} for i in range(4)]
    wrong = {"type": "cluster", "name": "Cụm thi đua số 9", "confidence": 0.55}
    report = evaluate([art("a", *right)], [art("a", *right, wrong)])
    table = report.calibration.as_dict()
    assert table["facts"] == 5
    assert table["at_or_above_0.9"] == {"facts": 4, "precision": 1.0}
    assert [b["confidence"] for b in table["buckets"]] == ["0.5-0.6", "0.9-1.0"]
    # 4/5 facts at 0.95 all right (gap 0.05), 1/5 at 0.55 wrong (gap 0.55): ECE 0.15
    assert abs(table["ece"] - 0.15) < 1e-9


def test_bad_gold_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "a", "facts": []}\nnot json\n', encoding="utf-8")
    with pytest.raises(EvalInputError, match=r"gold\.jsonl:2"):
        read_gold(bad)
    bad.write_text('{"id": "a", "facts": [{"type": "planet"}]}\n', encoding="utf-8")
    with pytest.raises(EvalInputError, match="unknown type"):
        read_gold(bad)
    articles = tmp_path / "articles.jsonl"
    articles.write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    assert run_eval(bad, articles, as_json=False, show_errors=False, min_f1=None) == 2


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_run_eval_end_to_end_through_python_m_thidua(tmp_path: Path) -> None:
    pytest.importorskip("extract.pipeline")
    text = "Không có sự kiện thi đua nào trong đoạn này."
    gold = write_jsonl(tmp_path / "g.jsonl", [art("a", {"type": "member", "member": "Đà Lạt"})])
    articles = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": text, "published": "2022-01-13"}])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "thidua",
            "eval",
            str(gold),
            str(articles),
            "--json",
            "--show-errors",
            "--min-f1",
            "0.5",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["per_type"]["member"]["fn"] == 1
    assert data["errors"][0]["missed"][0]["member"] == "Đà Lạt"
    assert "below --min-f1" in done.stderr


def test_eval_scores_what_extraction_emits_and_every_fact_on_request(tmp_path: Path) -> None:
    """An undated proposal falls below the extraction floor: the default scores it as a miss,
    `min_confidence=0` as found."""
    text = "Hội nghị thống nhất đề nghị tặng Bằng khen cho huyện Đạ Tẻh vì thành tích giai đoạn 2018 - 2022."
    gold = write_jsonl(
        tmp_path / "g.jsonl",
        [art("a", {"type": "award", "recipient": "Đạ Tẻh", "award": "Bằng khen", "year": None})],
    )
    articles = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": text}])
    assert evaluate_files(gold, articles, ["award"]).per_type["award"].fn == 1
    assert evaluate_files(gold, articles, ["award"], min_confidence=0).per_type["award"].tp == 1


def test_gold_files_are_valid_and_the_constructed_set_covers_the_declared_diversity() -> None:
    from extract.models import parse_fact

    lines = (GOLD / "constructed_articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = [json.loads(x) for x in lines]
    gold = read_gold(GOLD / "constructed_gold.jsonl")
    assert [a["id"] for a in articles] == [g["id"] for g in gold]
    assert all(
        a["constructed"] and a["note"] and g["constructed"] for a, g in zip(articles, gold, strict=True)
    )
    assert 40 <= len(articles) <= 60
    assert sum(a["published"] is None for a in articles) >= 5
    assert len({a["province"] for a in articles if a["province"]}) >= 10
    years = {int(a["published"][:4]) for a in articles if a["published"]}
    assert min(years) <= 2009 and max(years) >= 2026
    evidence = {"sentence": "x", "start": 0, "end": 1}
    blind = read_gold(GOLD / "blind_gold.jsonl")
    blind_lines = (GOLD / "blind_articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [g["id"] for g in blind] == [json.loads(x)["id"] for x in blind_lines]
    for record in [*gold, *blind, *read_gold(GOLD / "gold.jsonl")]:
        for fact in record["facts"]:
            parse_fact({**fact, "evidence": evidence})
    types = {f["type"] for g in gold for f in g["facts"]}
    assert types == {"cluster", "member", "chair", "award", "award_count", "slogan", "event", "person"}


def test_scoring_data_is_well_formed() -> None:
    import unicodedata

    import yaml

    from extract.scoring import DATA_FILE

    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    ids = [e["id"] for section in data.values() for e in section]
    assert len(ids) == len(set(ids))
    for section in data.values():
        for entry in section:
            assert entry["text"] and entry["example"]
            assert unicodedata.normalize("NFC", entry["text"]) == entry["text"]
            assert entry["text"].casefold() in entry["example"].casefold()


def test_thidua_eval_cli_prints_the_table(thidua_bin: str) -> None:
    pytest.importorskip("extract.pipeline")
    done = subprocess.run(
        [thidua_bin, "eval", str(GOLD / "gold.jsonl"), str(GOLD / "articles.jsonl"), "--min-f1", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "micro" in done.stdout and "award_count" in done.stdout and "5 articles" in done.stdout
