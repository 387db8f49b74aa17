"""Reading: copy wrapped at a fixed width is read in sentences, not lines, and normalising keeps
every offset."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.read import normalise, split_sentences

WRAPPED = (
    "Heavy rain hits the coast\n"
    "Up to 30,000 people may have left their homes in the past 48 hours to\n"
    "escape the floods, the United Nations refugee agency UNHCR said on\n"
    "Friday. The agency's chief spokeswoman said between 8,500 and\n"
    "30,000 people may have crossed.\n"
    "One million people are also believed to be displaced, she told a\n"
    "news briefing in Geneva."
)

# fmt: off
SENTENCES = [
    # wrapped copy: a line break inside a sentence is a space; a short heading stays apart
    (WRAPPED, [
        "Heavy rain hits the coast",
        "Up to 30,000 people may have left their homes in the past 48 hours to escape the floods, the United "
        "Nations refugee agency UNHCR said on Friday.",
        "The agency's chief spokeswoman said between 8,500 and 30,000 people may have crossed.",
        "One million people are also believed to be displaced, she told a news briefing in Geneva.",
    ]),
    # two long lines without a stop do not make copy wrapped: each line is a sentence
    ("Police said 11 people were arrested after the match on Sunday\nThe club said 48,000 fans attended the "
     "game at the stadium\nThe match ended 2-1.",
     ["Police said 11 people were arrested after the match on Sunday",
      "The club said 48,000 fans attended the game at the stadium", "The match ended 2-1."]),
    # a list of short lines is a list, not wrapped copy
    ("Cases by region:\nRegion 3 9,426\nRegion 7 7,741\nRegion 9 5,684\nNCR 1,997",
     ["Cases by region:", "Region 3 9,426", "Region 7 7,741", "Region 9 5,684", "NCR 1,997"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "sentences"), SENTENCES)
def test_wrapped_copy_is_read_in_sentences(text: str, sentences: list[str]) -> None:
    read = normalise(text)
    assert [read[s:e] for s, e in split_sentences(read)] == sentences


@given(st.text(alphabet=st.sampled_from("ab .,\n\u2019\u201c\u2014\u00a0\t"), max_size=400))
def test_normalising_changes_one_character_for_one_and_a_line_break_only_to_a_space(text: str) -> None:
    read = normalise(text)
    assert len(read) == len(text)
    for was, now in zip(text, read, strict=True):
        assert now == normalise(was) or (was == "\n" and now == " ")
