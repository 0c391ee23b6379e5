"""Extraction scorer: precision, recall and F1 per fact type, micro-averaged over articles (SCHEMA.md)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from extract import confidence
from extract.calibration import Calibration
from extract.damage import damage
from extract.models import FACT_TYPES
from extract.pipeline import extract_facts
from extract.scoring import KEYS, match_facts
from runtime.progress import track

log = logging.getLogger(__name__)


class EvalInputError(ValueError):
    """A gold or articles file that cannot be read or has a malformed line."""


@dataclass
class Counts:
    """True positives, false positives and false negatives, with the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class ArticleErrors:
    """What one article got wrong: gold facts not found and predicted facts not in the gold."""

    article_id: str
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Report:
    """The result of scoring: counts per type, per-article errors and anything that could not be scored."""

    per_type: dict[str, Counts]
    articles: int
    errors: list[ArticleErrors] = field(default_factory=list)
    unscored: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    calibration: Calibration = field(default_factory=lambda: Calibration([]))
    outcomes: list[tuple[Mapping[str, Any], bool]] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.per_type.values():
            total.add(counts)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "per_type": {t: c.as_dict() for t, c in self.per_type.items()},
            "micro": self.micro.as_dict(),
            "calibration": self.calibration.as_dict(),
            "unscored_articles": self.unscored,
            "extraction_failures": self.failures,
            "errors": [
                {"id": e.article_id, "missed": e.missed, "spurious": e.spurious}
                for e in self.errors
                if e.missed or e.spurious
            ],
        }


def _by_type(facts: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Facts grouped by type; a fact marked `inferred` (implied, not stated) is left out of scoring."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for fact in facts:
        if fact.get("inferred") is True:
            continue
        grouped.setdefault(str(fact.get("type")), []).append(fact)
    return grouped


def _brief(fact: Mapping[str, Any]) -> dict[str, Any]:
    """A fact as shown in error lists: its type, key fields and, for predictions, the sentence."""
    fields = KEYS.get(str(fact.get("type")), ())
    shown: dict[str, Any] = {"type": fact.get("type"), **{f: fact.get(f) for f in fields}}
    evidence = fact.get("evidence")
    if isinstance(evidence, Mapping) and evidence.get("sentence"):
        shown["sentence"] = str(evidence["sentence"])[:200]
    return shown


def score_article(
    article_id: str,
    gold: Sequence[Mapping[str, Any]],
    pred: Sequence[Mapping[str, Any]],
    outcomes: list[tuple[Mapping[str, Any], bool]] | None = None,
) -> tuple[dict[str, Counts], ArticleErrors]:
    """Score one article: match each type's facts one-to-one and count what is left over.
    Each scored prediction with whether it matched is appended to `outcomes` when given."""
    gold_by, pred_by = _by_type(gold), _by_type(pred)
    counts: dict[str, Counts] = {}
    errors = ArticleErrors(article_id)
    for fact_type in sorted(set(gold_by) | set(pred_by)):
        g, p = gold_by.get(fact_type, []), pred_by.get(fact_type, [])
        pairs = match_facts(fact_type, g, p)
        matched_g, matched_p = {i for i, _ in pairs}, {j for _, j in pairs}
        counts[fact_type] = Counts(tp=len(pairs), fp=len(p) - len(pairs), fn=len(g) - len(pairs))
        errors.missed += [_brief(f) for i, f in enumerate(g) if i not in matched_g]
        errors.spurious += [_brief(f) for j, f in enumerate(p) if j not in matched_p]
        if outcomes is not None:
            outcomes += [(f, j in matched_p) for j, f in enumerate(p)]
    return counts, errors


def _confidence(fact: Mapping[str, Any]) -> float:
    value = fact.get("confidence")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.9


def _ordered(per_type: dict[str, Counts]) -> dict[str, Counts]:
    known = [t for t in FACT_TYPES if t in per_type]
    return {t: per_type[t] for t in known + sorted(set(per_type) - set(known))}


def evaluate(
    gold: Iterable[dict[str, Any]],
    predicted: Iterable[dict[str, Any]],
    types: Collection[str] | None = None,
) -> Report:
    """Score predicted `{"id", "facts"}` records against gold ones; only gold articles are scored,
    and only the fact types in `types` when given (a gold set annotated for some types only)."""
    keep = set(types) if types else set(FACT_TYPES)
    gold_facts: dict[str, list[dict[str, Any]]] = {}
    for record in gold:
        gold_facts.setdefault(str(record["id"]), []).extend(
            f for f in record.get("facts") or [] if f.get("type") in keep
        )
    pred_facts: dict[str, list[dict[str, Any]]] = {}
    for record in predicted:
        pred_facts.setdefault(str(record["id"]), []).extend(
            f for f in record.get("facts") or [] if f.get("type") in keep
        )
    per_type: dict[str, Counts] = {t: Counts() for t in FACT_TYPES if t in keep}
    report = Report(per_type=per_type, articles=len(gold_facts))
    outcomes: list[tuple[Mapping[str, Any], bool]] = []
    for article_id, facts in gold_facts.items():
        counts, errors = score_article(article_id, facts, pred_facts.get(article_id, []), outcomes)
        for fact_type, c in counts.items():
            per_type.setdefault(fact_type, Counts()).add(c)
        report.errors.append(errors)
    report.unscored = sorted(set(pred_facts) - set(gold_facts))
    report.per_type = _ordered(per_type)
    report.outcomes = outcomes
    report.calibration = Calibration([(_confidence(f), ok) for f, ok in outcomes])
    return report


def read_jsonl(path: Path, *, required: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file; a malformed line raises EvalInputError naming it."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalInputError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalInputError(f"{path}:{number}: invalid JSON: {exc}") from exc
        missing = [k for k in required if not isinstance(record, dict) or k not in record]
        if missing:
            raise EvalInputError(f"{path}:{number}: missing {', '.join(missing)}")
        yield record


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Gold records `{"id", "facts": [...]}`; every fact must have a known type."""
    records = list(read_jsonl(path, required=("id", "facts")))
    for record in records:
        for fact in record["facts"]:
            if not isinstance(fact, dict) or fact.get("type") not in FACT_TYPES:
                raise EvalInputError(f"{path}: article {record['id']}: fact of unknown type: {fact!r}")
    return records


def predict(
    articles: Iterable[dict[str, Any]], failures: dict[str, str], min_confidence: float | None = None
) -> Iterator[dict[str, Any]]:
    """Run extract_facts on each article; an article that fails is recorded and gets no facts."""
    for article in articles:
        article_id = str(article["id"])
        try:
            facts = extract_facts(
                article["text"],
                published=article.get("published"),
                url=article.get("url"),
                article_id=article_id,
                min_confidence=min_confidence,
            )
            dumped = [f.model_dump(mode="json") for f in facts]
        except Exception as exc:  # one bad article must not stop the evaluation
            log.warning("extraction failed on %s: %r", article_id, exc)
            failures[article_id] = repr(exc)
            dumped = []
        yield {"id": article_id, "facts": dumped}


def evaluate_files(
    gold_path: Path,
    articles_path: Path,
    types: Collection[str] | None = None,
    min_confidence: float | None = None,
    damaged: str | None = None,
) -> Report:
    """Extract facts from every article of ARTICLES (jsonl) and score them against GOLD (jsonl), the
    facts below `min_confidence` withheld (the setting extract_min_confidence by default); with
    `damaged` (a kind of extract/damage.py), from copies of the texts damaged that way."""
    gold = read_gold(Path(gold_path))
    articles = list(read_jsonl(Path(articles_path), required=("id", "text")))
    if damaged is not None:
        articles = [{**a, "text": damage(str(a["text"]), damaged, str(a["id"]))} for a in articles]
    failures: dict[str, str] = {}
    predicted = list(predict(track(articles, desc="eval", total=len(articles)), failures, min_confidence))
    report = evaluate(gold, predicted, types)
    report.failures = failures
    missing = sorted({str(r["id"]) for r in gold} - {str(a["id"]) for a in articles})
    for article_id in missing:
        failures[article_id] = "gold article not in the articles file"
    return report


def format_report(report: Report) -> str:
    """A plain-text table: type, P, R, F1, tp/fp/fn per type, then the micro-averaged row."""
    header = f"{'type':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
    rows = [f"{report.articles} articles", header, "-" * len(header)]
    for name, c in [*report.per_type.items(), ("micro", report.micro)]:
        if name == "micro":
            rows.append("-" * len(header))
        rows.append(
            f"{name:<12} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f} {c.tp:>5} {c.fp:>5} {c.fn:>5}"
        )
    for article_id, reason in sorted(report.failures.items()):
        rows.append(f"not scored normally: {article_id}: {reason}")
    if report.unscored:
        rows.append(f"predictions for articles without gold (ignored): {', '.join(report.unscored)}")
    return "\n".join(rows)


def format_errors(report: Report) -> str:
    """Missed and spurious facts per article, one line each, for a developer to fix."""
    rows = []
    for errors in report.errors:
        if not (errors.missed or errors.spurious):
            continue
        rows.append(f"== {errors.article_id}")
        rows += [f"  missed   {json.dumps(f, ensure_ascii=False)}" for f in errors.missed]
        rows += [f"  spurious {json.dumps(f, ensure_ascii=False)}" for f in errors.spurious]
    return "\n".join(rows) if rows else "no errors"


def run_eval(
    gold: Path,
    articles: Path,
    *,
    as_json: bool,
    show_errors: bool,
    min_f1: float | None,
    types: Collection[str] | None = None,
    calibration: bool = False,
    fit_confidence: Path | None = None,
    min_confidence: float | None = None,
    damaged: str | None = None,
) -> int:
    """Score, print the report to stdout; 0 ok, 1 micro-F1 below `min_f1`, 2 unreadable input.
    With `fit_confidence`, also write the confidence table fitted on these predictions there; the fit
    sees every fact, those the floor `min_confidence` would withhold too."""
    unknown = sorted(set(types or ()) - set(FACT_TYPES))
    if unknown:
        print(
            f"error: unknown fact type {', '.join(unknown)}; known: {', '.join(FACT_TYPES)}", file=sys.stderr
        )
        return 2
    try:
        floor = 0.0 if fit_confidence is not None else min_confidence
        report = evaluate_files(gold, articles, types, floor, damaged)
    except EvalInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if fit_confidence is not None:
        write_confidence(fit_confidence, report, gold)
    if as_json:
        data = report.as_dict()
        if not show_errors:
            data.pop("errors")
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
        if calibration:
            print()
            print(report.calibration.table())
        if show_errors:
            print()
            print(format_errors(report))
    if min_f1 is not None and report.micro.f1 < min_f1:
        print(f"micro-F1 {report.micro.f1:.3f} is below --min-f1 {min_f1:.3f}", file=sys.stderr)
        return 1
    return 0


def write_confidence(path: Path, report: Report, gold: Path) -> None:
    """Write the confidence table fitted on the report's scored predictions (extract/confidence.py)."""
    header = (
        "# Fitted by extract/confidence.py: the share of facts of each kind that were right on\n"
        f"# {report.articles} annotated real reports ({gold.name}). Refit with\n"
        "#   thidua eval GOLD ARTICLES --types … --fit-confidence extract/data/confidence.yaml\n"
    )
    body = yaml.safe_dump(confidence.fit(report.outcomes), allow_unicode=True, sort_keys=False, width=100)
    Path(path).write_text(header + body, encoding="utf-8")
