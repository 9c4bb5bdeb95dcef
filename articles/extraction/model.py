"""Trained weights of the learned decisions, applied in pure Python (the training library is never imported here).

model/decisions.json is written by `python -m articles.extraction train` from the committed labelled sets.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "model" / "decisions.json"


@dataclass(frozen=True)
class LinearModel:
    weights: Mapping[str, float]
    intercept: float

    def score(self, features: Mapping[str, float]) -> float:
        get = self.weights.get
        total = self.intercept
        for name, value in features.items():  # a plain loop: this runs for every candidate and date option
            total += get(name, 0.0) * value
        return total

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.score(features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -35 else 0.0

    @classmethod
    def from_json(cls, data: Mapping) -> LinearModel:
        return cls(weights=dict(data["weights"]), intercept=float(data["intercept"]))


@dataclass(frozen=True)
class Calibration:
    """A monotone map from the model's probability to the observed share of right answers (isotonic steps)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def __call__(self, p: float) -> float:
        if not self.xs:
            return p
        if p <= self.xs[0]:
            return self.ys[0]
        if p >= self.xs[-1]:
            return self.ys[-1]
        i = bisect.bisect_right(self.xs, p)
        x0, x1, y0, y1 = self.xs[i - 1], self.xs[i], self.ys[i - 1], self.ys[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)

    @classmethod
    def from_json(cls, data: Mapping) -> Calibration:
        return cls(xs=tuple(data["xs"]), ys=tuple(data["ys"]))


@dataclass(frozen=True)
class Decisions:
    acceptance: LinearModel
    calibration: Calibration
    threshold: float
    dates: LinearModel

    def confidence(self, features: Mapping[str, float]) -> float:
        return self.calibration(self.acceptance.probability(features))


@cache
def load_decisions(language: str = "en", path: Path = MODEL_FILE) -> Decisions | None:
    """The shipped decisions for ``language``, or None when none were trained for it."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8")).get("languages", {}).get(language)
    if data is None:
        return None
    return Decisions(
        acceptance=LinearModel.from_json(data["acceptance"]),
        calibration=Calibration.from_json(data["calibration"]),
        threshold=float(data["threshold"]),
        dates=LinearModel.from_json(data["dates"]),
    )
