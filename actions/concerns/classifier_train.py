"""Fit the concern classifier on the labelled accounts and write ``classifier_model.npz``.

    .venv/bin/python -m actions.concerns.classifier_train          # fit and write
    .venv/bin/python -m actions.concerns.classifier_train --check  # is the model current?

The training files and model settings are in ``classifier.yml``. ``--check`` exits 1 when
the model was fitted on other data or settings than those (``make test`` runs it, so a
new labelled file cannot be added without refitting). Fitting needs scikit-learn (present
with Rasa); the product only reads the written file (``classifier.py``).

Fitting: TF-IDF (sublinear tf, l2 norm) over ``word_terms`` with a minimum document
frequency; a one-vs-rest logistic regression per code (liblinear,
balanced class weights, fixed seed); then the ``max_features`` columns with the largest
weight for any code are kept and everything is refitted on those alone, which keeps the
file small and the reading fast.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from actions.concerns.classifier import (
    FEATURES_VERSION,
    MODEL_FILE,
    ClassifierConfig,
    ClassifierError,
    ConcernClassifier,
    load_config,
    word_terms,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = 7


def load_labelled(paths: list[Path]) -> tuple[list[str], list[set[str]]]:
    """Texts and gold code sets of JSONL files of ``{"id", "text", "codes"}``."""
    texts, codes = [], []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    texts.append(row["text"])
                    codes.append(set(row["codes"]))
    return texts, codes


def label_matrix(code_sets: list[set[str]], codes: list[str]) -> np.ndarray:
    index = {code: i for i, code in enumerate(codes)}
    matrix = np.zeros((len(code_sets), len(codes)), dtype=bool)
    for row, found in enumerate(code_sets):
        for code in found:
            matrix[row, index[code]] = True
    return matrix


class FittedClassifier:
    """The scikit-learn side: vectorizers and one logistic regression per code."""

    def __init__(self, config: ClassifierConfig, codes: list[str]):
        self.config = config
        self.codes = codes

    def fit(self, texts: list[str], y: np.ndarray) -> FittedClassifier:
        self._fit_on(texts, y, vocabulary=None)
        if self.config.max_features and self.coef.shape[1] > self.config.max_features:
            keep = np.argsort(-np.abs(self.coef).max(axis=0))[: self.config.max_features]
            terms = self.vectorizer.get_feature_names_out()
            self._fit_on(texts, y, vocabulary=sorted(terms[keep]))
        return self

    def _fit_on(self, texts: list[str], y: np.ndarray, vocabulary: list[str] | None) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(
            analyzer=word_terms,
            min_df=1 if vocabulary else self.config.min_document_frequency,
            vocabulary=vocabulary,
            sublinear_tf=True,
        )
        x = self.vectorizer.fit_transform(texts)
        coef = np.zeros((len(self.codes), x.shape[1]))
        intercept = np.full(len(self.codes), -30.0)  # a code never seen: probability ~0
        for j in range(len(self.codes)):
            if y[:, j].any():
                model = LogisticRegression(
                    C=self.config.regularisation_c,
                    class_weight="balanced",
                    solver="liblinear",
                    max_iter=500,
                    random_state=SEED,
                )
                model.fit(x, y[:, j])
                coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
        self.coef, self.intercept = coef, intercept

    def probabilities(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.codes)))
        x = self.vectorizer.transform(texts)
        return 1.0 / (1.0 + np.exp(-(x @ self.coef.T + self.intercept)))

    def write(self, path: Path, trained_on: str) -> None:
        np.savez_compressed(
            path,
            codes=np.array(self.codes, dtype=str),
            trained_on=np.array(trained_on),
            vocabulary=np.array(self.vectorizer.get_feature_names_out(), dtype=str),
            idf=self.vectorizer.idf_.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
        )


def file_digest(paths: list[Path]) -> str:
    """One sha256 over the given files' names and bytes, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def training_digest(config: ClassifierConfig) -> str:
    """What a model must have been fitted on: the training files and the model settings."""
    settings = json.dumps(
        [
            FEATURES_VERSION,
            config.regularisation_c,
            config.min_document_frequency,
            config.max_features,
        ]
    )
    return file_digest(config.training_paths(ROOT)) + ":" + settings


def taxonomy_codes() -> list[str]:
    from actions.bank.schema import TAXONOMY_CODES

    return sorted(TAXONOMY_CODES)


def fit_and_write(config: ClassifierConfig, model_path: Path = MODEL_FILE) -> dict:
    started = time.perf_counter()
    texts, code_sets = load_labelled(config.training_paths(ROOT))
    codes = taxonomy_codes()
    fitted = FittedClassifier(config, codes).fit(texts, label_matrix(code_sets, codes))
    fitted.write(model_path, training_digest(config))
    return {
        "accounts": len(texts),
        "features": int(fitted.coef.shape[1]),
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": model_path.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the model is stale")
    args = parser.parse_args(argv)
    try:
        config = load_config()
        if args.check:
            current = ConcernClassifier().trained_on
            if current != training_digest(config):
                print(
                    "classifier_model.npz is stale: run "
                    ".venv/bin/python -m actions.concerns.classifier_train",
                    file=sys.stderr,
                )
                return 1
            print("classifier_model.npz is current")
            return 0
        figures = fit_and_write(config)
    except (ClassifierError, OSError, ValueError, KeyError) as error:
        print(f"classifier: {error}", file=sys.stderr)
        return 2
    print(
        f"fitted on {figures['accounts']} accounts, {figures['features']} features, "
        f"in {figures['seconds']} s; wrote {MODEL_FILE.name} ({figures['bytes']:,} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
