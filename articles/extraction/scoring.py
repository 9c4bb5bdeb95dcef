"""Evaluation against a labelled file, exactly as TAXONOMY.md scores it.

Predictions match labels of the same article when their party sets are equal; each side is
matched at most once, and pairs whose types agree are matched first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .results import TYPES


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    type_ok: int = 0
    status_ok: int = 0
    date_ok: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def type_accuracy(self) -> float:
        return self.type_ok / self.tp if self.tp else 0.0

    @property
    def status_accuracy(self) -> float:
        return self.status_ok / self.tp if self.tp else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.date_ok / self.tp if self.tp else 0.0


@dataclass
class Report:
    overall: Counts
    per_type: dict[str, Counts]
    misses: list[dict] = field(default_factory=list)
    articles: int = 0


def date_matches(gold: str | None, predicted: str | None) -> bool:
    """A labelled "2023-07" is matched by "2023-07" or any "2023-07-DD"; a labelled null only by null."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return predicted[: len(gold)] == gold


def _pred_type(pred: dict) -> str | None:
    if "type" in pred:
        return pred["type"]
    types = pred.get("types") or []
    return types[0] if types else None


def _match_article(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    scored: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if sorted(g["parties"]) != sorted(p["parties"]):
                continue
            # Type agreement dominates; status and date only break ties between type-agreeing pairs.
            score = (
                4 * (_pred_type(p) in g["types"])
                + 2 * (p.get("status") == g["status"])
                + date_matches(g["date"], p.get("date"))
            )
            scored.append((score, gi, pi))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in scored:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def score(gold: list[dict], predicted: dict[str, list[dict]]) -> Report:
    overall = Counts()
    per_type = {t: Counts() for t in TYPES}
    misses: list[dict] = []
    for record in gold:
        rid = record["id"]
        golds = record.get("agreements", [])
        preds = predicted.get(rid, [])
        pairs = _match_article(golds, preds)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, pi in pairs:
            g, p = golds[gi], preds[pi]
            bucket = per_type.setdefault(g["types"][0], Counts())
            for counts in (overall, bucket):
                counts.tp += 1
            ptype = _pred_type(p)
            checks = {
                "type": ptype in g["types"],
                "status": p.get("status") == g["status"],
                "date": date_matches(g["date"], p.get("date")),
            }
            for name, ok in checks.items():
                if ok:
                    setattr(overall, f"{name}_ok", getattr(overall, f"{name}_ok") + 1)
                    setattr(bucket, f"{name}_ok", getattr(bucket, f"{name}_ok") + 1)
                else:
                    misses.append({"id": rid, "kind": name, "gold": g, "predicted": p})
        for gi, g in enumerate(golds):
            if gi not in matched_g:
                overall.fn += 1
                per_type.setdefault(g["types"][0], Counts()).fn += 1
                misses.append({"id": rid, "kind": "FN", "gold": g, "predicted": None})
        for pi, p in enumerate(preds):
            if pi not in matched_p:
                overall.fp += 1
                ptype = _pred_type(p) or "other"
                per_type.setdefault(ptype, Counts()).fp += 1
                misses.append({"id": rid, "kind": "FP", "gold": None, "predicted": p})
    return Report(overall=overall, per_type=per_type, misses=misses, articles=len(gold))


def _brief(item: dict | None) -> str:
    if not item:
        return "-"
    types = item.get("types") or [item.get("type")]
    return f"{'+'.join(item['parties'])} {'/'.join(t for t in types if t)} {item.get('status')} {item.get('date')}"


def format_report(report: Report) -> str:
    o = report.overall
    lines = [
        f"articles {report.articles}  gold {o.tp + o.fn}  predicted {o.tp + o.fp}  matched {o.tp}",
        f"precision {o.precision:.3f}  recall {o.recall:.3f}  F1 {o.f1:.3f}",
        f"type accuracy {o.type_accuracy:.3f}  status accuracy {o.status_accuracy:.3f}  "
        f"date accuracy {o.date_accuracy:.3f}",
        "",
        f"{'type':<11} {'gold':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6} "
        f"{'type':>6} {'stat':>6} {'date':>6}",
    ]
    for name, c in report.per_type.items():
        lines.append(
            f"{name:<11} {c.tp + c.fn:>4} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>6.2f} {c.recall:>6.2f} "
            f"{c.f1:>6.2f} {c.type_accuracy:>6.2f} {c.status_accuracy:>6.2f} {c.date_accuracy:>6.2f}"
        )
    if report.misses:
        lines += ["", "misses:"]
        for miss in report.misses:
            lines.append(
                f"  {miss['id']} {miss['kind']:<6} gold: {_brief(miss['gold'])}  pred: {_brief(miss['predicted'])}"
            )
    return "\n".join(lines)
