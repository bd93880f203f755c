"""The article a word takes, guessed from its spelling only where the spelling settles it."""

from __future__ import annotations

import pytest

from idrename.prose import article_change, article_for


@pytest.mark.parametrize(("word", "article"), [
    ("order", "an"), ("Purchase", "a"), ("hourlyRate", "an"), ("handler", "a"),
    ("unknownID", "an"), ("update", "an"), ("user", "a"), ("unique", "a"), ("unaryOp", "a"),
    ("oneShot", "a"), ("euroPrice", "a"), ("ID", "an"), ("UUID", "a"), ("HTTPServer", "an"),
    ("SQLRow", "an"), ("XMLName", "an"), ("ORDER", "an"), ("PURCHASE", "a"), ("X", "an"),
    ("url", None), ("usage", "a"), ("utmost", None), ("42nd", None), ("", None),
])
def test_article_for(word: str, article: str | None) -> None:
    assert article_for(word) == article


def test_article_change_needs_the_article_right_before_the_word_on_its_line() -> None:
    data = b"// an order, an\n// order, anorder, the order, an  order"
    at = [i for i in range(len(data)) if data.startswith(b"order", i)]
    changes = [article_change(data, i, "order", "purchase") for i in at]
    assert changes == [(3, 5, b"a"), None, None, None, (46, 48, b"a")]
