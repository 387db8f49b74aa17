"""Arithmetic within one text: totals against their parts, percentage changes, shares of one
whole, and "doubled"/"halved" against the values they describe.

Each check reads only what one document states, so it needs no second account: a text that
says "2,340 beds in all: 1,480 ..., 620 ... and 190 ..." contradicts itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from .group import key_of, lemma, statuses_of, time_words, times_fit
from .models import Discrepancy, Figure
from .rules import RuleSet
from .severity import fmt, severity

_FROM = re.compile(r"\bfrom\s*$", re.I)
_TO = re.compile(r"\bto\s*$", re.I)
# Up to 60 characters of the same clause ("." only inside a number) before "to" or "from".
_BETWEEN_TO = re.compile(r"^(?:[^.;:]|\.(?=\d)){0,60}?\bto\s*$", re.I)
_BETWEEN_FROM = re.compile(r"^(?:[^.;:]|\.(?=\d)){0,60}?\bfrom\s*$", re.I)
_CHANGE_BEFORE = re.compile(
    r"(?<!made )(?<!make )(?<!makes )(?<!making )"
    r"(?:increase|rise|jump|gain|growth|climb|fall|drop|decline|decrease|cut|reduction|slump|plunge|"
    r"up|down|rose|fell|grew|grown|climbed|dropped|declined|increased|decreased|jumped|gained|slid|soared)"
    r"\s+(?:of|by)?\s*$",
    re.I,
)
_CHANGE_AFTER = re.compile(r"^\s*(?:increase|rise|jump|gain|fall|drop|decline|decrease|cut|reduction|more|less|"
                           r"higher|lower|up|down)\b", re.I)
_MULTIPLE = re.compile(
    r"\b(more than |nearly |almost |over |roughly |about )?(doubled|doubling|doubles|double|tripled|tripling|"
    r"triples|triple|trebled|quadrupled|quadrupling|halved|halving|halves|halve|twice|three times|four times)\b",
    re.I,
)
_MULTIPLES = {"doubl": 2.0, "doubled": 2.0, "twice": 2.0, "tripl": 3.0, "trebled": 3.0, "three times": 3.0,
              "quadrupl": 4.0, "four times": 4.0, "halv": 0.5}
_EXHAUSTIVE = re.compile(
    r"\b(?:in all|in total|altogether|all told|remaining|the rest|all other|other (?:\w+ ){0,2}"
    r"(?:accounted|made up|took|received|got)|a total of|totall?ing|made up of|consist(?:s|ed|ing)? of|"
    r"comprise[sd]?|broken down|split into|divided into)\b",
    re.I,
)
_SEPARATOR = re.compile(r":|\b(?:including|of which|of whom|comprising|made up of|broken down|split|with)\b", re.I)
_BREAKDOWN = re.compile(r":|\b(?:comprise[sd]?|comprising|made up of|consist(?:s|ed|ing)? of|broken down|split into|"
                        r"divided into)\b", re.I)
_OVER_PERIODS = re.compile(r"\b(?:over|across|during|in)\s+(?:the\s+)?(\w+)\s+(?:days|weeks|months|years|nights|"
                           r"rounds|quarters|stages|sessions)\b", re.I)
WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_COMPARISON = re.compile(r"\b(?:above|below|than|compared|against|from|to|versus|vs|beyond|over|under|up|down)\b", re.I)
_SHARE_OF = re.compile(r"^\s*of\s+(?:the|all|its|their)?\s*(?:\w+\s+){0,2}?(?:vote|votes|revenue|sales|"
                       r"total|market|ballots|seats|income|budget|spending|population|respondents|share)\b", re.I)
_OF_WHOLE = re.compile(r"^\s*of\s+(?:the\s+|all\s+|its\s+|their\s+)?([a-z]+)", re.I)
_SHARE_VERB = re.compile(r"\b(?:accounted for|accounts for|account for|made up|make up|makes up|took|takes|"
                         r"taking|won|wins|winning|received|got|secured|captured|share of)\b[^.;]*$", re.I)


def check(
    figures: Sequence[Figure], texts: Mapping[str, str], rules: RuleSet
) -> list[Discrepancy]:
    by_doc: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        if not f.hypothetical:
            by_doc[f.document_id].append(f)
    out: list[Discrepancy] = []
    for doc_id, figs in by_doc.items():
        figs.sort(key=lambda f: f.start)
        text = texts[doc_id]
        out.extend(_percent_changes(figs, text, rules))
        out.extend(_multiples(figs, text, rules))
        out.extend(_totals(figs, text, rules))
        out.extend(_shares(figs, text, rules))
        out.extend(_outcomes(figs, text, rules))
        out.extend(_shares_of_whole(figs, text, rules))
    return out


# --- from X to Y ---------------------------------------------------------------------------------


def _comparable(a: Figure, b: Figure, rules: RuleSet | None = None) -> bool:
    if a.dimension != b.dimension or a.dimension in ("percentage points", "share", "age"):
        return False
    if a.dimension == "count" and lemma(a.counted or "?") != lemma(b.counted or "?"):
        return False  # "4,200 fans ... two seasons" are not a before and an after
    return not (a.dimension == "money" and a.unit != b.unit)


def _pairs(figs: Sequence[Figure], text: str) -> list[tuple[Figure, Figure]]:
    """(before, after) pairs written 'from X to Y' or 'to Y from X' in one sentence."""
    out = []
    for i, a in enumerate(figs):
        for b in figs[i + 1 : i + 3]:
            if b.sentence != a.sentence or not _comparable(a, b):
                continue
            between = text[a.end : b.start]
            before = text[max(0, a.start - 12) : a.start]
            if _FROM.search(before) and _BETWEEN_TO.match(between):
                out.append((a, b))
            elif _BETWEEN_FROM.match(between):
                # "fell to 287 last year from 341", "C$3.9bn, up from C$3.2bn"
                out.append((b, a))
    return out


def _value(f: Figure) -> float:
    if f.base_low is not None and f.base_high is not None and f.dimension not in ("count", "money"):
        return (f.base_low + f.base_high) / 2
    return float(f.value)


def _stated_change(figs: Sequence[Figure], pair: tuple[Figure, Figure], text: str) -> Figure | None:
    """The percentage in the same sentence that states the change from X to Y."""
    a, b = pair
    lo, hi = min(a.start, b.start), max(a.end, b.end)
    best: Figure | None = None
    kinds = ("percent", "percentage points") if a.dimension == "percent" else ("percent",)
    for f in figs:
        if f.sentence != a.sentence or f.dimension not in kinds or f.value_to is not None or f in pair:
            continue
        cue = _CHANGE_BEFORE.search(text[max(0, f.start - 25) : f.start]) or _CHANGE_AFTER.match(text[f.end :])
        between = text[min(f.end, lo) : max(f.start, hi)]
        if not cue or ";" in between:
            continue  # "demanding a 9% rise; the authority ... would lift pay from X to Y"
        if best is None or abs(f.start - (lo + hi) / 2) < abs(best.start - (lo + hi) / 2):
            best = f
    return best


_MORE_THAN = re.compile(r"^\s*(more|higher|greater|up|less|fewer|lower|down)\s+(?:than|on|from)\s+(?:the\s+)?$", re.I)


def _comparatives(figs: Sequence[Figure], text: str) -> list[tuple[Figure, Figure, Figure]]:
    """(stated %, before, after) for "212.4 million trips, 12% more than the 199.4 million the year before"."""
    by_id = {f.id: f for f in figs}
    out = []
    for i, pct in enumerate(figs[:-1]):
        base = figs[i + 1]
        if pct.dimension != "percent" or base.sentence != pct.sentence:
            continue
        if not _MORE_THAN.match(text[pct.end : base.start]):
            continue
        now = by_id.get(base.refers_to or "")
        if now is None:
            now = next((f for f in reversed(figs[:i]) if f.sentence == pct.sentence and _comparable(f, base)), None)
        if now is not None and _comparable(now, base):
            out.append((pct, base, now))
    return out


def _percent_changes(figs: Sequence[Figure], text: str, rules: RuleSet) -> list[Discrepancy]:
    out = []
    tol = rules.tolerances
    comparatives = _comparatives(figs, text)
    stated_for = {(b.id, a.id): p for p, b, a in comparatives}
    pairs = _pairs(figs, text) + [(b, a) for _, b, a in comparatives]
    for before, after in pairs:
        stated = stated_for.get((before.id, after.id)) or _stated_change(figs, (before, after), text)
        x, y = _value(before), _value(after)
        if stated is None or x == 0:
            continue
        computed = (y - x) / abs(x) * 100
        claimed = abs(float(stated.value))
        half_step = (float(stated.high) - float(stated.low)) / 2 if stated.hedge else 0.0
        allowed = max(tol.percent_points, tol.percent_relative * abs(computed)) + half_step
        if before.dimension == "percent":
            # Rates: "fell to 5.8% from 6.4%, a drop of 0.6 percentage points" is a difference; "a
            # drop of 0.6%" is often meant the same way, so either reading clears a stated percent.
            points = abs(y - x)
            fits_points = abs(points - claimed) <= max(0.051, tol.percent_relative * points) + half_step
            if fits_points or (stated.dimension == "percent" and abs(abs(computed) - claimed) <= allowed):
                continue
            if stated.dimension != "percent":
                arithmetic = f"{fmt(y)}% - {fmt(x)}% = {y - x:+.2f} points"
                out.append(
                    _flag(
                        "percent_change_mismatch", rules, claimed, points, [stated, before, after], arithmetic,
                        f"The text gives a change of {stated.text}, but {before.text} to {after.text} is "
                        f"{points:.2f} percentage points ({arithmetic}).",
                    )
                )
                continue
        if stated.hedge in ("over", "at least"):
            ok = abs(computed) >= claimed - allowed
        elif stated.hedge in ("nearly", "just under", "up to", "fewer than"):
            ok = abs(computed) <= claimed + allowed
        else:
            ok = abs(abs(computed) - claimed) <= allowed
        if ok:
            continue
        direction = "rise" if computed > 0 else "fall"
        arithmetic = f"({fmt(y)} - {fmt(x)}) / {fmt(x)} = {computed:+.1f}%"
        out.append(
            _flag(
                "percent_change_mismatch", rules, claimed, abs(computed), [stated, before, after], arithmetic,
                f"The text gives a change of {stated.text}, but {before.text} to {after.text} is a {direction} "
                f"of {abs(computed):.1f}% ({arithmetic}).",
            )
        )
    return out


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` begins (a full stop not inside a number ends the one before)."""
    for m in reversed(list(re.finditer(r"[.!?](?!\d)", text[:pos]))):
        return m.end()
    return 0


def _multiples(figs: Sequence[Figure], text: str, rules: RuleSet) -> list[Discrepancy]:
    out = []
    for before, after in _pairs(figs, text):
        start = max(0, min(before.start, after.start) - 120)
        sentence_start = _sentence_start(text, min(before.start, after.start))
        # "to halve the quota, cutting it to 41,000 from 68,000"; "1.3 million, doubling from 870,000"
        window = text[max(start, sentence_start) : max(before.start, after.start)]
        found = list(_MULTIPLE.finditer(window))
        m = found[-1] if found else None
        x, y = _value(before), _value(after)
        if m is None or x == 0:
            continue
        word = m.group(2).lower()
        factor = next(v for k, v in _MULTIPLES.items() if word.startswith(k))
        hedge = (m.group(1) or "").strip().lower()
        ratio = y / x
        tol = rules.tolerances.multiple_relative
        if hedge in ("more than", "over"):
            ok = ratio >= factor * (1 - tol / 2)
        elif hedge in ("nearly", "almost"):
            ok = factor * (1 - 2 * tol) <= ratio <= factor * (1 + tol / 2)
        elif hedge in ("roughly", "about"):
            ok = abs(ratio / factor - 1) <= 2 * tol
        else:
            ok = abs(ratio / factor - 1) <= tol
        if ok:
            continue
        arithmetic = f"{fmt(y)} / {fmt(x)} = {ratio:.2f}"
        out.append(
            _flag(
                "multiple_mismatch", rules, factor, ratio, [before, after], arithmetic,
                f"The text says \"{m.group(0)}\", but {before.text} to {after.text} is {ratio:.2f} times "
                f"({arithmetic}), not {factor:g} times.",
            )
        )
    return out


# --- totals and their parts ----------------------------------------------------------------------


def _totals(figs: Sequence[Figure], text: str, rules: RuleSet) -> list[Discrepancy]:
    """A figure followed, in its sentence or the next, by a list of figures of the same kind."""
    out = []
    used: set[str] = {f.id for pair in _pairs(figs, text) for f in pair}
    for i, total in enumerate(figs):
        if total.id in used or total.role == "part" or total.hedge == "vague" or total.dimension == "percent":
            continue
        tkey = key_of(total, rules)
        if any(w.startswith(("prior", "before")) for w in tkey.time):
            continue  # "the £1.9m collected last winter" is not this list's total
        parts = _list_after(figs, i, rules, used, text)
        if len(parts) < 2:
            continue
        if tkey.strong and not any(key_of(p, rules).strong for p in parts):
            continue  # "short of its £3m target": a target is not the sum of what was raised
        if parts[0].sentence == total.sentence and not _SEPARATOR.search(text[total.end : parts[0].start]):
            continue  # "612 in the north, 480 ... and 251": siblings, not a total and its parts
        span_text = text[total.start : parts[-1].end + 60]
        exhaustive = bool(_EXHAUSTIVE.search(span_text)) or _enumerated(total, parts, text)
        s = sum(float(p.value) for p in parts)
        s_low = sum(float(p.low if p.hedge else p.value) for p in parts)
        s_high = sum(float(p.high if p.hedge else p.value) for p in parts)
        t_low, t_high = float(total.low), float(total.high)
        slack = rules.tolerances.sum_relative * abs(float(total.value))
        if not total.hedge:
            t_low = min(t_low, float(total.value) - slack)
            t_high = max(t_high, float(total.value) + slack)
        exceeds = s_low > t_high
        short = s_high < t_low
        if not (exceeds or (short and exhaustive)):
            continue
        if s < 0.5 * float(total.value) or s > 2 * float(total.value):
            continue  # too far off to be a breakdown of this total
        used.update(p.id for p in parts)
        expression = " + ".join(fmt(float(p.value)) for p in parts) + f" = {fmt(s)}"
        kind = "parts_exceed_total" if exceeds else "total_mismatch"
        what = "more than" if exceeds else "less than"
        out.append(
            _flag(
                kind, rules, float(total.value), s, [total, *parts], f"{expression} vs {fmt(total.value)}",
                f"The parts add up to {fmt(s)} ({expression}), {what} the total of {total.text}.",
            )
        )
    return out


def _enumerated(total: Figure, parts: Sequence[Figure], text: str) -> bool:
    """'186,500 visitors over three days, with 52,000 on Friday, 61,500 on Saturday and 58,000 on
    Sunday': one part for each of the stated periods is the whole of it."""
    sentence_end = text.find(".", total.end)
    m = _OVER_PERIODS.search(text[total.start : sentence_end if sentence_end >= 0 else len(text)])
    if not m:
        return False
    count = WORD_NUMBERS.get(m.group(1).lower()) or (int(m.group(1)) if m.group(1).isdigit() else 0)
    labels = {" ".join(p.qualifiers).lower() for p in parts}
    return count == len(parts) and len(labels) == len(parts) and "" not in labels


def _list_after(
    figs: Sequence[Figure], i: int, rules: RuleSet, skip: set[str], text: str
) -> list[Figure]:
    total = figs[i]
    tkey = key_of(total, rules)
    parts: list[Figure] = []
    for f in figs[i + 1 :]:
        if f.sentence > total.sentence + 1:
            break
        if f.id in skip:
            if parts:
                break
            continue
        fkey = key_of(f, rules)
        # "cutting 1,340 jobs ... The losses comprise 860 production workers, 285 warehouse staff
        # and 95 people": a stated breakdown may name its parts with other nouns.
        broken_down = bool(_BREAKDOWN.search(text[total.end : f.start]))
        elliptical = fkey.concept == "?" and f.sentence == total.sentence
        same_kind = (
            f.dimension == total.dimension
            and (f.dimension != "money" or f.unit == total.unit)
            and (f.dimension != "count" or fkey.concept == tkey.concept or broken_down or elliptical)
            and f.hedge != "vague"
            and f.value_to is None
            and abs(float(f.value)) < abs(float(total.value))
        )
        if not same_kind:
            if parts and f.sentence == parts[-1].sentence:
                break
            continue
        if parts and f.sentence != parts[-1].sentence:
            break
        t_words, f_words = time_words(total.time_anchor), time_words(f.time_anchor)
        other_period = any(w.startswith(("prior", "before")) for w in f_words - t_words)
        if other_period or (f.sentence != total.sentence and f_words and not (t_words and times_fit(t_words, f_words))):
            continue  # "$1.2bn last year": another period, not a part of this total
        parts.append(f)
    return parts


# --- shares of one whole -------------------------------------------------------------------------


def _share_signature(f: Figure, text: str) -> set[str]:
    words = set(f.predicate[:1])
    if f.subject:
        words.add(f.subject.lower())
    return words


def _shares(figs: Sequence[Figure], text: str, rules: RuleSet) -> list[Discrepancy]:
    shares = [
        f for f in figs
        if f.dimension == "percent" and f.value_to is None and 0 < float(f.value) <= 100
        and not _CHANGE_BEFORE.search(text[max(0, f.start - 25) : f.start])
        and not _CHANGE_AFTER.match(text[f.end :])
        and not re.match(r"^\s*(?:,\s*)?(?:up|down)\b", text[f.end :], re.I)
    ]
    out = []
    used: set[str] = set()
    for i, first in enumerate(shares):
        if first.id in used:
            continue
        run = [first]
        sig = _share_signature(first, text)
        for f in shares[i + 1 :]:
            if f.sentence > run[-1].sentence + 1:
                break
            between = text[run[-1].end : f.start]
            same_sentence_run = (
                f.sentence == run[-1].sentence and len(between) < 80 and not re.search(r"[.;]", between)
                and re.search(r",|\band\b", between) is not None and not _COMPARISON.search(between)
            )
            if same_sentence_run or (f.sentence != run[-1].sentence and sig & _share_signature(f, text)):
                run.append(f)
                sig |= _share_signature(f, text)
        cued = any(
            _SHARE_OF.search(text[f.end : f.end + 30]) or _SHARE_VERB.search(text[max(0, f.start - 40) : f.start])
            for f in run
        )
        wholes = {m.group(1).lower() for f in run if (m := _OF_WHOLE.match(text[f.end : f.end + 40]))}
        if len(run) < 2 or not (cued or len(run) >= 3) or len(wholes) > 1:
            continue  # "72% of men and 65% of women" are shares of two wholes
        total = sum(float(f.value) for f in run)
        if total <= 100 + rules.tolerances.shares_over:
            continue
        used.update(f.id for f in run)
        expression = " + ".join(f"{fmt(float(f.value))}%" for f in run) + f" = {fmt(total)}%"
        out.append(
            _flag(
                "shares_exceed_whole", rules, 100.0, total, run, expression,
                f"Shares of one whole add up to {fmt(total)}% ({expression}), more than 100%.",
            )
        )
    return out


# --- fates of the people aboard ---------------------------------------------------------------


def _outcomes(figs: Sequence[Figure], text: str, rules: RuleSet) -> list[Discrepancy]:
    """Dead, rescued and missing are fates of the people aboard: together they cannot be more
    than the people the text says were aboard ('118 passengers and six crew')."""
    fates = set(rules.concepts.outcome_statuses)
    cue = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in rules.concepts.aboard_cues) + r")\b", re.I)
    people = [f for f in figs if f.dimension == "count" and not f.hypothetical and f.hedge != "vague"]
    by_sentence: dict[int, list[Figure]] = defaultdict(list)
    for f in people:
        by_sentence[f.sentence].append(f)
    out = []
    for sentence, group in by_sentence.items():
        named = {f.id: statuses_of(f, rules.concepts) & fates for f in group}
        outcome = [f for f in group if len(named[f.id]) == 1]
        if len({next(iter(named[f.id])) for f in outcome}) < 2 or len(outcome) != len(
            {next(iter(named[f.id])) for f in outcome}
        ):
            continue
        for other in range(sentence - 2, sentence + 3):
            aboard = [f for f in by_sentence.get(other, []) if not statuses_of(f, rules.concepts) & fates]
            if other == sentence or not aboard:
                continue
            start = min(f.start for f in aboard)
            line_start = text.rfind(".", 0, start) + 1
            line_end = text.find(".", max(f.end for f in aboard))
            if not cue.search(text[line_start : line_end if line_end >= 0 else len(text)]):
                continue
            low = sum(float(f.low if f.hedge else f.value) for f in outcome)
            high = sum(float(f.high) if f.hedge else float(f.value) for f in aboard)
            if low <= high:
                continue
            stated = sum(float(f.value) for f in outcome)
            fates_expr = " + ".join(fmt(float(f.value)) for f in outcome) + f" = {fmt(stated)}"
            aboard_expr = " + ".join(fmt(float(f.value)) for f in aboard) + f" = {fmt(high)}"
            out.append(
                _flag(
                    "parts_exceed_total", rules, high, low, [*outcome, *aboard], f"{fates_expr} > {aboard_expr}",
                    f"The dead, rescued and missing add up to at least {fmt(low)} ({fates_expr}), more than the "
                    f"{fmt(high)} people aboard ({aboard_expr}).",
                )
            )
            break
    return out


# --- a part, its whole and the share stated for it ----------------------------------------------

_OF_THE = re.compile(r"^\s*of\s+(?:the\s+|its\s+|their\s+|all\s+)?(?:[\w'-]+\s+){0,3}?$", re.I)
_SHARE_AFTER = re.compile(
    r"^(?:\s*[\w-]+){0,3}?[\s,]*(?:\(|or\s+|,\s*|that is\s+|i\.e\.\s+|which is\s+|equal to\s+)", re.I
)
_OF_BEFORE = re.compile(r"(?:^|[.;:,]\s*|\b)of\s+(?:the\s+)?$", re.I)


def _shares_of_whole(figs: Sequence[Figure], text: str, rules: RuleSet) -> list[Discrepancy]:
    """'2,184 of the 4,870 votes cast (52%)' or '52% of the 4,870 votes ... 2,184': the share stated
    for a part of a whole must be the part over the whole."""
    out = []
    for i, first in enumerate(figs[:-1]):
        second = figs[i + 1]
        if first.dimension not in ("count", "money") or second.dimension != first.dimension:
            continue
        if second.sentence != first.sentence:
            continue
        if _OF_THE.match(text[first.end : second.start]):
            part, whole = first, second  # "2,184 of the 4,870 votes"
        elif _OF_BEFORE.search(text[max(0, first.start - 12) : first.start]) and re.fullmatch(
            r"[^.;:]{0,40},\s*", text[first.end : second.start]
        ):
            part, whole = second, first  # "Of 412,000 registered voters, 263,700 cast a ballot"
        else:
            continue
        if not 0 < float(part.value) <= float(whole.value):
            continue
        share = next(
            (f for f in figs[i + 2 : i + 4]
             if f.sentence == part.sentence and f.dimension in ("percent", "share")
             and _SHARE_AFTER.match(text[max(whole.end, part.end) : f.start])
             and f.start - max(whole.end, part.end) < 60),
            None,
        )
        if share is None:
            continue
        stated = float(share.value) * (100.0 if share.dimension == "share" else 1.0)
        low = float(share.low) * (100.0 if share.dimension == "share" else 1.0)
        high = float(share.high) * (100.0 if share.dimension == "share" else 1.0)
        computed = float(part.value) / float(whole.value) * 100
        allowed = max(rules.tolerances.percent_points, rules.tolerances.percent_relative * computed)
        if low - allowed <= computed <= high + allowed:
            continue
        arithmetic = f"{fmt(float(part.value))} / {fmt(float(whole.value))} = {computed:.1f}%"
        out.append(
            _flag(
                "share_mismatch", rules, stated, computed, [share, part, whole], arithmetic,
                f"The text gives {share.text} for {part.text} of {whole.text}, but that share is "
                f"{computed:.1f}% ({arithmetic}).",
            )
        )
    return out


def _flag(
    kind: str, rules: RuleSet, expected: float, got: float, figs: Sequence[Figure], arithmetic: str,
    explanation: str,
) -> Discrepancy:
    a, b = abs(expected), abs(got)
    ratio = max(a, b) / min(a, b) if min(a, b) else float("inf")
    return Discrepancy(
        id="d0",
        kind=kind,
        severity=severity(rules.tolerances, ratio),
        figure_ids=[f.id for f in figs],
        arithmetic=arithmetic,
        ratio=round(ratio, 3) if ratio != float("inf") else None,
        explanation=explanation,
    )
