"""Stage 4, group: figures that describe the same thing, and what each source claims about it.

Figures share a group when they have the same dimension (after unit normalisation), the same
concept (the synonym classes in rules/concepts.yaml), no conflicting status (killed vs
injured), no conflicting place or origin, and no conflicting time anchor. Within one sentence,
coordinated figures that count the same thing with different qualifiers ("10,000 troops from
Tajikistan and 400 from Russia") are parts, and their sum is that source's claim.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .models import Claim, Figure, Group
from .numbers import as_number
from .rules import ConceptRules, RuleSet, memo
from .severity import fmt

_PLURAL = re.compile(r"(?<=[^s])s$")


def lemma(word: str) -> str:
    w = word.lower().strip()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w in ("people", "personnel", "police", "media", "staff", "series", "news"):
        return w
    if w.endswith("men"):
        return w[:-3] + "man"
    return _PLURAL.sub("", w)


def _class_index(rules: ConceptRules) -> dict[str, str]:
    return memo(rules, "classes", lambda: {w: name for name, words in rules.classes.items() for w in words})


def _status_index(rules: ConceptRules) -> dict[str, str]:
    return memo(rules, "statuses", lambda: {w: name for name, words in rules.statuses.items() for w in words})


@dataclass(frozen=True)
class Key:
    """What a figure is about, as far as grouping goes."""

    dimension: str
    concept: str
    statuses: frozenset[str]
    places: frozenset[str]
    marks: frozenset[str]
    strong: frozenset[str]
    light: bool
    generic: bool
    time: frozenset[str]
    currency: str | None
    phase: str = ""
    verb: str = ""


def concept_of(figure: Figure, rules: ConceptRules) -> str:
    index = _class_index(rules)
    counted = (figure.counted or "").lower()
    if figure.dimension not in ("count",):
        # An amount or measure groups only with others that describe the same named thing.
        subject = (figure.subject or "").strip()
        if not subject or figure.dimension in ("duration", "age"):
            return "?"
        words = [lemma(w) for w in subject.lower().split()]
        for candidate in (" ".join(words), words[-1]):
            if candidate in index:
                return f"{figure.dimension}:{index[candidate]}"
        return f"{figure.dimension}:{' '.join(words)}"
    if not counted:
        return "?"
    words = [lemma(w) for w in counted.split()]
    joined = " ".join(words)
    if joined in rules.generic_heads and lemma(figure.measure_word or "") in index:
        return index[lemma(figure.measure_word or "")]  # "estimated the crowd at 1,500" counts a crowd
    pairs = [f"{joined} and {lemma(q[4:])}" for q in figure.qualifiers if q.startswith("and ")]
    compounds = [f"{lemma(q)} {joined}" for q in figure.qualifiers if q.isalpha() and q.islower()]
    for candidate in (*pairs, *compounds, joined, words[-1]):
        if candidate in index:
            return index[candidate]
    return words[-1]


def _own_qualifiers(figure: Figure, rules: ConceptRules) -> list[str]:
    """Qualifiers less those that are part of the concept's name ('evacuation' in 'evacuation centres')."""
    classes = _class_index(rules)
    counted = lemma(figure.counted or "")
    return [q for q in figure.qualifiers if f"{lemma(q)} {counted}" not in classes]


def _words(figure: Figure, rules: ConceptRules) -> list[str]:
    words = [w for q in _own_qualifiers(figure, rules) for w in re.findall(r"[a-z]+", q.lower())]
    return words + [w.lower() for w in figure.predicate]


def statuses_of(figure: Figure, rules: ConceptRules) -> frozenset[str]:
    index = _status_index(rules)
    found = {index[w] for w in _words(figure, rules) if w in index}
    counted = lemma(figure.counted or "")
    if counted in index:
        found.add(index[counted])
    return frozenset(found)


_PLACE = re.compile(r"^(?:from|in|at|on|outside|inside|near|across)\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)")
_STOP = {"the", "a", "an", "of", "and", "or", "its", "their", "his", "her", "to", "in", "on", "at", "for", "by"}


def places_of(figure: Figure) -> frozenset[str]:
    out = set()
    for q in figure.qualifiers:
        m = _PLACE.match(q)
        if m:
            out.add(m.group(1).lower())
        elif q[:1].isupper() and q.replace(" ", "").isalpha():
            out.add(q.lower())
    return frozenset(out)


_RATE = re.compile(r"\b(?:a|an|each|every|per)\s+(?:day|week|month|year|hour|minute|night|season)\b", re.I)
_POINT = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|today|yesterday|tonight|(?:1[89]|20)\d\d)\b",
    re.I,
)
_PRIOR = re.compile(
    r"\b(?:(?:last|previous|past|prior)\s+(year|month|week|quarter|season|winter|summer|spring|autumn|weekend)|(?:a|one|the)\s+(year|month|week|quarter)"
    r"\s+(?:earlier|before|ago)|(year|month|week)\s+earlier)\b",
    re.I,
)


def time_words(anchor: str | None) -> frozenset[str]:
    """What pins a time anchor down: weekdays, months, years, 'last year', 'a week earlier'.
    Spans such as 'the next two years' and rates such as 'a day' pin nothing."""
    if not anchor or _RATE.search(anchor):
        return frozenset()
    words = {w.lower() for w in _POINT.findall(anchor)}
    for m in _PRIOR.finditer(anchor):
        unit = next(g for g in m.groups() if g)
        # "last week" is counted back from now; "the previous week", "a week earlier" from the
        # story's own time: two different weeks.
        relative = "prior" if re.match(r"(?:last|past)\b", m.group(0), re.I) else "before"
        words.add(f"{relative} {unit.lower()}")
    return frozenset(words)


_OTHER_PERIOD = re.compile(r"^(?:(?:1[89]|20)\d\d|prior \w+|before \w+)$")


def times_fit(a: frozenset[str], b: frozenset[str]) -> bool:
    """Anchors conflict when both name a time and share nothing, or when one puts the figure in
    another period ('in 2021', 'a week earlier') and the other names no time at all."""
    prior_a = {w for w in a if w.startswith(("prior ", "before "))}
    prior_b = {w for w in b if w.startswith(("prior ", "before "))}
    if prior_a != prior_b:
        return False  # "in August last year" is not "in August"
    if a and b:
        return bool(a & b)
    named = a or b
    return not any(_OTHER_PERIOD.match(w) for w in named)


_WHERE = re.compile(r"^(?:aboard|at|in|on|near|outside|inside)\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}[A-Z]")


def marks_of(figure: Figure, rules: ConceptRules) -> frozenset[str]:
    """The modifiers that set a subgroup apart ('extra', 'allied', 'from Tajikistan')."""
    statuses = _status_index(rules)
    classes = _class_index(rules)
    neutral = set(rules.neutral_modifiers)
    out = set()
    if figure.time_anchor and _RATE.search(figure.time_anchor):
        out.add("per " + _RATE.search(figure.time_anchor).group().split()[-1].lower())  # type: ignore[union-attr]
    named = {lemma(w) for w in re.findall(r"[a-z]+", f"{figure.counted or ''} {figure.subject or ''}".lower())}
    subject_class = classes.get(lemma(figure.subject or ""))
    for q in _own_qualifiers(figure, rules):
        if " and " in q or "," in q or q.startswith("and "):
            continue  # "from Estonia, Latvia and Lithuania" names the whole, not a subgroup
        if _WHERE.match(q):
            continue  # "aboard the cruise ship Aurora Star": where, a place the other account may omit
        words = [lemma(w) for w in re.findall(r"[a-z]+", q.lower()) if w not in _STOP]
        words = [w for w in words if w not in named and (subject_class is None or classes.get(w) != subject_class)]
        words = [w for w in words if w not in neutral and w not in statuses]
        if words:
            out.add(" ".join(words))
    return frozenset(out)


# key_of is pure and asked again and again for the same figures (grouping, runs of parts, the
# arithmetic of totals); it is remembered per figure object, for the latest few thousand.
_KEYS: dict[int, tuple[Figure, RuleSet, Key]] = {}
_KEYS_LIMIT = 4096


def key_of(figure: Figure, rules: RuleSet) -> Key:
    hit = _KEYS.get(id(figure))
    if hit is not None and hit[0] is figure and hit[1] is rules:
        return hit[2]
    key = _key_of(figure, rules)
    if len(_KEYS) >= _KEYS_LIMIT:
        _KEYS.clear()
    _KEYS[id(figure)] = (figure, rules, key)
    return key


def _key_of(figure: Figure, rules: RuleSet) -> Key:
    concept = concept_of(figure, rules.concepts)
    statuses = statuses_of(figure, rules.concepts)
    people = concept in ("people", "?") or lemma(figure.counted or "") in rules.concepts.generic_heads
    if figure.dimension == "count" and (people or concept in rules.concepts.status_concepts.values()):
        # "26 fans were arrested" counts arrests; "11 arrests" too.
        named = [rules.concepts.status_concepts[s] for s in sorted(statuses) if s in rules.concepts.status_concepts]
        if len(named) == 1:
            concept = named[0]
    return Key(
        dimension=_family(figure),
        concept=concept,
        statuses=statuses,
        places=places_of(figure),
        # A measure is told apart by what it measures (its subject), not by where it runs.
        marks=marks_of(figure, rules.concepts) if figure.dimension in ("count", "money", "percent") else frozenset(),
        strong=statuses & frozenset(rules.concepts.distinct_statuses),
        light=not figure.predicate or figure.predicate[0] in rules.concepts.light_verbs,
        generic=concept in ("people", "?") and lemma(figure.counted or "") in rules.concepts.generic_heads,
        time=time_words(figure.time_anchor),
        currency=figure.unit if figure.dimension == "money" else None,
        phase="still" if {"still", "remain"} & set(figure.predicate) else "",
        verb=figure.predicate[0] if figure.predicate else "",
    )


def _family(figure: Figure) -> str:
    if figure.dimension == "money":
        return "money"
    if figure.base_unit and figure.dimension not in ("count",):
        return f"{figure.dimension}:{figure.base_unit}"
    return figure.dimension


def same_thing(a: Key, b: Key) -> bool:
    if a.dimension != b.dimension or a.concept != b.concept or a.concept == "?":
        return False
    if a.currency != b.currency:
        return False
    if a.marks != b.marks:
        return False
    if a.phase != b.phase:
        return False  # "6,500 were still without water" is what is left of the 38,000 cut off
    if a.strong != b.strong:
        return False  # a forecast or a capacity is not a count of what happened
    if a.statuses != b.statuses and ((a.statuses and b.statuses) or a.generic or b.generic):
        # "12 dead" and "140 injured" are not one thing.
        return False
    if (a.dimension == "count" and not a.statuses and not b.statuses and not a.light and not b.light
            and a.verb != b.verb):
        # "an avalanche buried five ski tourers" and "the group of 12 ski tourers had left the hut"
        # count different people; "took part" and "were involved" (light verbs) may be one count.
        return False
    if a.statuses != b.statuses and not (a.light if not a.statuses else b.light):
        # "1,200 new teachers will be hired" and "the pledge is about 2,000 new teachers" may be one
        # claim; "310,000 customers restored" and "170,000 still waiting" are not.
        return False
    if (a.generic or b.generic) and not a.statuses:
        # "people" alone says too little: 38 people and 1.1 million people are not one thing.
        return False
    return times_fit(a.time, b.time)


@dataclass(frozen=True)
class Parts:
    """Coordinated figures in one sentence that add up to one claim."""

    figures: tuple[Figure, ...]


def coordinated_parts(
    figures: Sequence[Figure], rules: RuleSet, texts: Mapping[str, str] | None = None
) -> list[tuple[Figure, ...]]:
    """Runs of figures in one sentence that count one concept and differ by qualifier."""
    runs: list[tuple[Figure, ...]] = []
    by_sentence: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for f in figures:
        by_sentence[(f.document_id, f.sentence)].append(f)
    for group in by_sentence.values():
        group.sort(key=lambda f: f.start)
        current: list[Figure] = []
        for f in group:
            if f.hedge == "vague" or f.role == "total":
                if len(current) > 1:
                    runs.append(tuple(current))
                current = []
                continue
            gap = None
            if current and texts is not None:
                text = texts[f.document_id]
                gap = text[current[-1].end : f.start]
                if re.search(r"\bof\s+(?:the\s+)?$", text[max(0, current[-1].start - 12) : current[-1].start]):
                    gap = "of"  # "Of 412,000 registered voters, 263,700 voted": a whole and its part
            if current and _continues(current[-1], f, rules, gap):
                current.append(f)
            else:
                if len(current) > 1:
                    runs.append(tuple(current))
                current = [f]
        if len(current) > 1:
            runs.append(tuple(current))
    return runs


_COORDINATED = re.compile(r"\b(?:and|plus|as well as|while|with)\b|[,;:]", re.I)
_CONTRASTED = re.compile(
    r"\b(?:from|to|than|against|versus|vs|of)\s*$|\b(?:up|down|compared|rose|fell|increase|decrease)\b", re.I
)


def _continues(prev: Figure, nxt: Figure, rules: RuleSet, gap: str | None = None) -> bool:
    if gap is not None and (not _COORDINATED.search(gap) or _CONTRASTED.search(gap)):
        return False  # "1,213,482, up from 1,128,900" is a change, not two parts
    a, b = key_of(prev, rules), key_of(nxt, rules)
    if a.dimension != b.dimension or a.concept != b.concept or a.concept == "?" or a.currency != b.currency:
        return False
    if a.statuses != b.statuses:
        return False
    distinct = (a.places != b.places) or (set(prev.qualifiers) != set(nxt.qualifiers)) or (
        (prev.counted or "") != (nxt.counted or "")
    )
    return distinct and nxt.start - prev.end < 120


def group(figures: list[Figure], rules: RuleSet, texts: Mapping[str, str] | None = None) -> list[Group]:
    """Group the figures; each group's claims are one per (document, source). With the documents'
    texts (by id), only figures joined by 'and' or commas are summed as parts."""
    keys = {f.id: key_of(f, rules) for f in figures}
    for fid, time in _narrative_times(figures, keys, texts).items():
        keys[fid] = replace(keys[fid], time=time)
    for fid, referent in _anaphora(figures, keys).items():
        # "Organisers put the figure at 60,000": the figure is what the text counted before.
        k, own = keys[referent.id], keys[fid]
        keys[fid] = replace(k, time=own.time)
    parts = coordinated_parts(figures, rules, texts)
    part_of: dict[str, tuple[Figure, ...]] = {f.id: run for run in parts for f in run}
    # Units of grouping: single figures and summed runs, each with a representative key.
    units: list[tuple[tuple[Figure, ...], Key]] = []
    seen: set[str] = set()
    for f in figures:
        if f.id in seen:
            continue
        run = part_of.get(f.id, (f,))
        seen.update(x.id for x in run)
        if len(run) > 1 and any(x.role == "part" for x in run):
            continue  # "including 1,100 in Germany and 520 in Poland": a partial list, not a total
        k = keys[f.id]
        if len(run) > 1:
            k = replace(k, places=frozenset(), marks=frozenset())
        units.append((run, k))
    # Bucket by (dimension, concept, currency); within a bucket, split by status/time.
    buckets: dict[tuple[str, str, str | None], list[tuple[tuple[Figure, ...], Key]]] = defaultdict(list)
    for run, k in units:
        if k.concept == "?":
            continue
        buckets[(k.dimension, k.concept, k.currency)].append((run, k))
    groups: list[Group] = []
    for (dimension, concept, _cur), members in buckets.items():
        # Vague amounts ("thousands of troops") join clusters; they do not shape them.
        members.sort(key=lambda m: all(f.hedge == "vague" for f in m[0]))
        clusters: list[list[tuple[tuple[Figure, ...], Key]]] = []
        cluster_keys: list[set[Key]] = []  # the distinct keys of each cluster: few, however many members
        for member in members:
            for cluster, distinct in zip(clusters, cluster_keys, strict=True):
                if all(same_thing(member[1], other) and _places_fit(member[1], other) for other in distinct):
                    cluster.append(member)
                    distinct.add(member[1])
                    break
            else:
                clusters.append([member])
                cluster_keys.append({member[1]})
        for cluster in clusters:
            figs = [f for run, _ in cluster for f in run]
            if len(figs) < 2:
                continue
            gid = f"g{len(groups) + 1}"
            claims = [claim_of(run) for run, _ in cluster]
            label = concept if dimension == "count" else f"{concept} ({cluster[0][0][0].counted or dimension})"
            groups.append(
                Group(id=gid, concept=label, dimension=dimension.split(":")[0],
                      figure_ids=[f.id for f in figs], claims=claims)
            )
    return groups


def _narrative_times(
    figures: Sequence[Figure], keys: dict[str, Key], texts: Mapping[str, str] | None
) -> dict[str, frozenset[str]]:
    """A figure with no time of its own holds for the time of the figure before it in its sentence or
    in the sentence before, in the same paragraph ("... killed on Friday. Rescuers were searching for
    more than 60 people"; "the toll rose to 27 on Sunday, and 49 people remained missing")."""
    if texts is None:
        return {}
    out: dict[str, frozenset[str]] = {}
    last: dict[str, tuple[int, int, frozenset[str]]] = {}  # document -> (sentence, end, time words)
    for f in figures:
        own = keys[f.id].time
        prev = last.get(f.document_id)
        if not own and prev and f.sentence - prev[0] in (0, 1) and "\n" not in texts[f.document_id][prev[1] : f.start]:
            out[f.id] = prev[2]
        if own:
            last[f.document_id] = (f.sentence, f.end, own)
    return out


def _anaphora(figures: Sequence[Figure], keys: dict[str, Key]) -> dict[str, Figure]:
    """Figures that only restate what an earlier figure counted ("organisers put the figure at
    60,000"; extraction sets `refers_to`) and say nothing of their own: no status, a light verb."""
    found = referents(figures)
    return {
        fid: referent for fid, referent in found.items()
        # "the other two" is its own subgroup; "170,000 were still waiting" says something new.
        if not (keys[fid].statuses or keys[fid].marks or not keys[fid].light)
    }


def referents(figures: Sequence[Figure]) -> dict[str, Figure]:
    """Figure id -> the earlier figure it restates (`refers_to`), preferring the part over its whole:
    "4,800 of the port's 6,200 workers ... the authority put the figure at 1,900" restates the 4,800."""
    by_id = {f.id: f for f in figures}
    order = {f.id: i for i, f in enumerate(figures)}
    out: dict[str, Figure] = {}
    for f in figures:
        referent = by_id.get(f.refers_to or "")
        if referent is None:
            continue
        before = figures[order[referent.id] - 1] if order[referent.id] else None
        if before is not None and before.role == "part" and before.sentence == referent.sentence:
            referent = before
        out[f.id] = referent
    return out


def _places_fit(a: Key, b: Key) -> bool:
    if not a.places or not b.places:
        return True
    return bool(a.places & b.places) or a.places == b.places


def claim_of(run: Sequence[Figure]) -> Claim:
    first = run[0]
    use_base = first.base_low is not None and first.dimension not in ("count",)
    if len(run) == 1:
        low = first.base_low if use_base and first.base_low is not None else first.low
        high = first.base_high if use_base and first.base_high is not None else first.high
        return Claim(
            source=first.source, figure_ids=[first.id], value=first.value, low=as_number(low),
            high=as_number(high), expression=first.text, document_ids=[first.document_id],
        )
    total = sum(f.value for f in run)
    low = sum(f.low for f in run)
    high = sum(f.high for f in run)
    expression = " + ".join(fmt(f.value) for f in run) + f" = {fmt(total)}"
    return Claim(
        source=first.source, figure_ids=[f.id for f in run], value=as_number(total), low=as_number(low),
        high=as_number(high), expression=expression, document_ids=sorted({f.document_id for f in run}),
    )

