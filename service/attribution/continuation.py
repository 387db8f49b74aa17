"""Whether a sentence with no cue of its own continues the account of the sentence before it.

A sentence continues an account, and keeps its source, when it says so in one of these ways:

- it opens as a continuation ("Two of them were charged.", "Of those, ...", and in the same
  paragraph "It", "The figure", "In all"), see `continuation_openers` and `partitive_words`;
- it opens, in the same paragraph, with a definite noun for the event the account reports
  ("... is recalling 184,000 cars, the company said. The recall covers ...");
- a figure in it is a part of what the account counted, named with a definite noun the account
  used ("Drug overdose deaths fell to 1,284, the department said. Fentanyl was involved in 902 of
  the deaths");
- its subject, in the same paragraph, refers back to the account's source ("..., the national
  disaster agency said. The agency raised its alert and ordered everyone within 8 km to leave.");
- in the same paragraph, the figure counts the same thing as the account's figures did ("The enemy
  launched 56 drones, the air force said. Air defences brought down 48 drones."), a thing named
  by more than a generic head such as "people".

Anything else without a cue is in the document's own voice: "Police said 11 people were
arrested. The stadium holds 52,000 fans."
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..models import Figure
from ..read import ParsedDocument
from .cues import Cue
from .lexicon import Lexicon
from .names import SPEAKER
from .spans import Runs

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class Continuation:
    """The continuation tests for the sentences of one parsed document."""

    def __init__(
        self, parsed: ParsedDocument, cues: Sequence[Sequence[Cue]], figures: Sequence[Figure], lex: Lexicon
    ) -> None:
        self.parsed = parsed
        self.sentences = parsed.sentences
        self.cues = cues
        self.lex = lex
        self._opens: dict[int, bool] = {}
        # What the figures of each sentence count, for "the same thing" across sentences.
        self.concepts: dict[int, set[str]] = {}
        for f in figures:
            concept = _concept(f)
            if concept is not None:
                self.concepts.setdefault(f.sentence, set()).add(concept)

    def opens(self, si: int) -> bool:
        """Sentence si, which has no cue of its own, says that it continues the account before it:
        by its opening words, a definite noun for the account's event, or a part of what the
        account counted."""
        found = self._opens.get(si)
        if found is None:
            found = self._opens[si] = si > 0 and (
                self._opener(si) or self._names_event(si) or self._part_of_account(si)
            )
        return found

    def new_paragraph(self, si: int) -> bool:
        return "\n" in self.parsed.text[self.sentences[si - 1].end : self.sentences[si].start]

    def same_thing(self, si: int, figure: Figure) -> bool:
        """In the same paragraph, the figure counts what a figure of the sentence before counted."""
        concept = _concept(figure)
        return concept is not None and not self.new_paragraph(si) and concept in self.concepts.get(si - 1, set())

    # --- the tests ---------------------------------------------------------------------------

    def _opener(self, si: int) -> bool:
        """Within a paragraph any continuation opener will do ("It", "The figure"); a new paragraph
        continues only with a partitive that refers back ("Two of them", "Of those")."""
        lex = self.lex
        words = _WORD.findall(self.sentences[si].text.lower())
        span = words[: lex.window + 2]
        if any(a in lex.partitive_preps and b in lex.partitive_words for a, b in itertools.pairwise(span)):
            return True
        return not self.new_paragraph(si) and any(tuple(words[: len(p)]) == p for p in lex.openers)

    def _names_event(self, si: int) -> bool:
        """Whether sentence si opens, in the same paragraph, with a definite noun for what the
        sentence before reports happening: 'X is recalling 184,000 cars, the company said. The
        recall covers ...', 'Police said 11 were arrested. The arrests followed ...'."""
        sentence, prev = self.sentences[si], self.sentences[si - 1]
        if sentence.doc is None or prev.doc is None or self.new_paragraph(si):
            return False
        subject = next((t for t in sentence.doc if t.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None or subject.pos_ != "NOUN" or subject.left_edge.i != 0:
            return False
        if not any(c.dep_ == "det" and c.lower_ in self.lex.definite for c in subject.lefts):
            return False
        lemma = subject.lemma_.lower()
        scope = self._account_scope(si - 1)
        return any(t.pos_ == "VERB" and t.lemma_.lower() == lemma and t.i in scope for t in prev.doc)

    def _part_of_account(self, si: int) -> bool:
        """A number taken out of a definite noun the account before used: '902 of the deaths' after
        'Drug overdose deaths fell to 1,284, the department said', '58% of the camp's residents'
        after 'The population of the camp reached 112,400, the agency said'."""
        lex = self.lex
        sentence, prev = self.sentences[si], self.sentences[si - 1]
        if sentence.doc is None or prev.doc is None:
            return False
        scope = self._account_scope(si - 1)
        if not scope:
            return False
        nouns = {t.lemma_.lower() for t in prev.doc if t.pos_ == "NOUN" and t.i in scope}
        for tok in sentence.doc:
            number = tok.head.like_num or any(c.like_num for c in tok.head.children)  # "902 of", "58% of"
            if tok.lower_ not in lex.partitive_preps or not number:
                continue
            for whole in tok.children:
                if whole.dep_ != "pobj":
                    continue
                # "the deaths", or "the camp's residents", whose owner is what the account named
                for named in (whole, *(c for c in whole.lefts if c.dep_ == "poss")):
                    definite = any(c.dep_ == "det" and c.lower_ in lex.definite for c in named.lefts)
                    if definite and named.lemma_.lower() in nouns:
                        return True
        return False

    def _account_scope(self, si: int) -> Runs:
        """All that the named cues of sentence si report."""
        return Runs().union(c.scope for c in self.cues[si] if c.source not in (None, SPEAKER))


def _concept(figure: Figure) -> str | None:
    frame = figure.frame
    if frame is None or frame.generic or not frame.head or frame.concept in {"?", ""}:
        return None
    return frame.concept
