"""Invariants over arbitrary text: reading, article splitting and extraction never crash, every
evidence offset is valid, and the output is deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model import Article
from graph.nlp.layout import split_articles
from graph.nlp.pipeline import recognize
from graph.sources import normalize_text

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
NEWS_PIECES = st.sampled_from(
    [
        "市委书记",
        "、",
        "，",
        "。",
        "\n",
        "\n\n",
        "主持召开",
        "会议",
        "(",
        ")",
        "记者",
        "通讯员/",
        "日报",
        "12月5日",
        "昨日",
        "项目",
        "区",
        "社区",
        "出席",
        "讲话",
        " ",
        "\u3000",
        "\x00",
        "\u2028",
        "１２",
    ]
)
TEXT = st.lists(st.one_of(st.text(CJK, max_size=6), NEWS_PIECES, st.text(max_size=4)), max_size=60).map(
    "".join
)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_normalizing_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@SETTINGS
@given(TEXT)
def test_splitting_never_crashes_and_keeps_text(text: str) -> None:
    articles = split_articles(normalize_text(text))
    assert articles == split_articles(normalize_text(text))
    for article in articles:
        assert article.headline or article.paragraphs  # an article may be printed without a headline
        for paragraph in article.paragraphs:
            assert paragraph.strip() and "\n" not in paragraph


@SETTINGS
@given(TEXT)
def test_recognized_spans_are_slices_of_the_text(text: str) -> None:
    text = normalize_text(text)
    found = recognize(text, "株洲")
    assert found == recognize(text, "株洲")
    for entity in found:
        assert 0 <= entity.start < entity.end <= len(text)
        assert text[entity.start : entity.end] == entity.text


@SETTINGS
@given(TEXT, TEXT)
def test_every_fact_quotes_its_article_body(headline: str, body: str) -> None:
    from graph.nlp.divisions import DivisionTable
    from graph.nlp.pipeline import Backend, IssueExtractor, Locale

    table = DivisionTable.load()
    extractor = IssueExtractor(Locale.for_city(table, table.city("株洲").key), Backend.RJIEBA)
    body = normalize_text(body)
    article = Article(key="a", headline=normalize_text(headline) or "x", body=body)
    facts = extractor.extract(article, extractor.persons.names([article]))
    spans = [m.evidence for m in facts.memberships] + [e.evidence for e in facts.events]
    spans += [m.span for m in facts.mentions if not m.in_headline and not m.in_byline]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(body)
        assert body[span.start : span.end] == span.text
