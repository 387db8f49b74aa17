"""A figure's claim frame: what it counts, what happened to it, which subgroup, place and time it
speaks of, read once from the figure's extracted context (rules/concepts.yaml names the classes).

Grouping, comparison and arithmetic read frames, never the text: a behaviour is found in two hops,
report field -> frame field -> the rule that set it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .models import Figure, Frame, Scope
from .numbers import alternation
from .rules import ConceptRules, RuleSet, TimeRules, memo

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


def _status_phrases(rules: ConceptRules) -> list[tuple[frozenset[str], str]]:
    return memo(rules, "status-phrases", lambda: [
        (frozenset(w.split()), name) for name, words in rules.statuses.items() for w in words if " " in w
    ])


def statuses_of(figure: Figure, rules: ConceptRules) -> frozenset[str]:
    index = _status_index(rules)
    words = _words(figure, rules)
    found = {index[w] for w in words if w in index}
    present = set(words)
    # "walked off the job", "stayed away", "did not report for work": phrases, word by word.
    found.update(name for phrase, name in _status_phrases(rules) if phrase <= present)
    counted = lemma(figure.counted or "")
    if counted in index:
        found.add(index[counted])
    return frozenset(found)


def _place_pattern(rules: ConceptRules) -> re.Pattern[str]:
    def build() -> re.Pattern[str]:
        preps = alternation(rules.place_prepositions)
        return re.compile(rf"^(?:{preps})\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)")

    return memo(rules, "place-pattern", build)


def places_of(figure: Figure, rules: ConceptRules) -> frozenset[str]:
    out = set(figure.places)
    plain = {*rules.neutral_modifiers, *rules.function_words}
    pattern = _place_pattern(rules)
    for q in figure.qualifiers:
        m = pattern.match(q)
        if m:
            out.add(m.group(1).lower())
        elif q[:1].isupper() and q.replace(" ", "").isalpha() and q.lower() not in plain:
            out.add(q.lower())  # "Russian", "Tajik"; not "More" opening a sentence
    return frozenset(out)


# --- time ------------------------------------------------------------------------------------------


def _time_patterns(rules: TimeRules) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    def build() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        rate = re.compile(rf"\b(?:{alternation(rules.rate_determiners)})\s+(?:{alternation(rules.rate_units)})\b", re.I)
        point = re.compile(
            rf"\b(?:{alternation([*rules.weekdays, *rules.months, *rules.today_words])}|(?:1[89]|20)\d\d)\b", re.I
        )
        prior_words, units = alternation(rules.prior_words), alternation(rules.prior_units)
        counted = alternation(rules.counted_units)
        prior = re.compile(
            rf"\b(?:(?:{prior_words})\s+({units})|(?:a|one|the)\s+({counted})"
            rf"\s+(?:earlier|before|ago)|({alternation(rules.earlier_units)})\s+earlier)\b",
            re.I,
        )
        back_from_now = re.compile(rf"(?:{alternation(rules.back_from_now)})\b", re.I)
        return rate, point, prior, back_from_now

    return memo(rules, "time-patterns", build)


def rate_of(anchor: str | None, rules: TimeRules) -> str | None:
    """'per day' for a figure that holds 'a day', 'each week'."""
    if not anchor:
        return None
    m = _time_patterns(rules)[0].search(anchor)
    return "per " + m.group().split()[-1].lower() if m else None


def time_words(anchor: str | None, rules: TimeRules, published: date | None = None) -> frozenset[str]:
    """What pins a time anchor down, by granularity: 'day:friday' (and, in a dated document,
    'date:2025-03-07'), 'month:july', 'year:2016'; 'prior
    year' ('last year'), 'before week' ('a week earlier'); 'since' for a total over a period that
    began then. Spans such as 'the next two years' and rates such as 'a day' pin nothing."""
    rate, point, prior, back_from_now = _time_patterns(rules)
    if not anchor:
        return frozenset()
    anchor = rate.sub("", anchor)
    days = {*rules.weekdays, *rules.today_words}
    words = set()
    for w in (w.lower() for w in point.findall(anchor)):
        if w in rules.today_words and published is not None:
            # "yesterday" in a story published on Sunday is Saturday, as another account names it
            day = published + timedelta(days=rules.today_words[w])
            w = rules.weekdays[day.weekday()]
            words.add(f"date:{day.isoformat()}")
        elif w in rules.weekdays and published is not None:
            # "on Monday" in a story published on Wednesday: the Monday before, or that day
            back = (published.weekday() - rules.weekdays.index(w)) % 7
            words.add(f"date:{(published - timedelta(days=back)).isoformat()}")
        words.add(f"day:{w}" if w in days else f"month:{w}" if w in rules.months else f"year:{w}")
    if "since then" in anchor:
        words.add("since")  # a total over a period that began then
    for m in prior.finditer(anchor):
        unit = next(g for g in m.groups() if g)
        # "last week" is counted back from now; "the previous week", "a week earlier" from the
        # story's own time: two different weeks.
        relative = "prior" if back_from_now.match(m.group(0)) else "before"
        words.add(f"{relative} {unit.lower()}")
        if relative == "prior" and published is not None:
            words.update(_calendar(unit.lower(), published))
    return frozenset(words)


_OTHER_PERIOD = re.compile(r"^(?:year:(?:1[89]|20)\d\d|prior \w+|before \w+)$")


def other_period(word: str) -> bool:
    """A time word that puts a figure in another period than the story's: a year, 'last year'."""
    return bool(_OTHER_PERIOD.match(word))


def _calendar(unit: str, published: date) -> set[str]:
    """'last week' in a story published on 12 March 2025: the calendar week, month or year before."""
    if unit == "week":
        year, week, _ = (published - timedelta(days=7)).isocalendar()
        return {f"date:week:{year}-W{week:02d}"}
    if unit == "month":
        first = published.replace(day=1) - timedelta(days=1)
        return {f"date:month:{first.year}-{first.month:02d}"}
    if unit == "year":
        return {f"date:year:{published.year - 1}"}
    return set()


def _grain(word: str) -> str:
    """'date:2025-03-08' -> day, 'date:week:2025-W10' -> week."""
    inner = word.split(":")[1]
    return "day" if inner[:1].isdigit() else inner


def times_fit(a: frozenset[str], b: frozenset[str]) -> bool:
    """Anchors conflict when both name a time and share none of it ('since' aside), when one puts the
    figure in an earlier period ('last year', 'a week earlier') and the other does not, or when one
    names another period ('in 2021') and the other names no time at all."""
    dates_a, dates_b = {w for w in a if w.startswith("date:")}, {w for w in b if w.startswith("date:")}
    for grain in {_grain(w) for w in dates_a} & {_grain(w) for w in dates_b}:
        if not {w for w in dates_a if _grain(w) == grain} & {w for w in dates_b if _grain(w) == grain}:
            return False  # "on Monday" in stories published a week apart: two Mondays
    a, b = a - dates_a, b - dates_b  # a date and a weekday alone: the weekday says as much
    prior_a = {w for w in a if w.startswith(("prior ", "before "))}
    prior_b = {w for w in b if w.startswith(("prior ", "before "))}
    if prior_a != prior_b:
        return False  # "in August last year" is not "in August"
    points_a, points_b = a - {"since"}, b - {"since"}
    if points_a and points_b:
        return bool(points_a & points_b)
    named = a or b
    return not any(other_period(w) for w in named)


# --- subgroups -------------------------------------------------------------------------------------


def _where_pattern(rules: ConceptRules) -> re.Pattern[str]:
    def build() -> re.Pattern[str]:
        preps = alternation(rules.where_prepositions)
        return re.compile(rf"^(?:{preps})\s+(?:the\s+)?(?:[a-z-]+\s+){{0,3}}[A-Z]")

    return memo(rules, "where-pattern", build)


def marks_of(figure: Figure, rules: ConceptRules) -> dict[str, bool]:
    """The modifiers that set a subgroup apart ('extra', 'allied', 'from Tajikistan'), each with whether
    it is a noun glued to what is counted ('container ships'), which describes more often than it
    restricts."""
    statuses = _status_index(rules)
    classes = _class_index(rules)
    neutral = set(rules.neutral_modifiers)
    stop = set(rules.function_words)
    out: dict[str, bool] = {}
    named = {lemma(w) for w in re.findall(r"[a-z]+", f"{figure.counted or ''} {figure.subject or ''}".lower())}
    subject_class = classes.get(lemma(figure.subject or ""))
    where = _where_pattern(rules)
    has_status = bool(statuses_of(figure, rules))
    for q in _own_qualifiers(figure, rules):
        if any(ch.isdigit() for ch in q):
            continue  # "of $ 17.2bn": the figure's own phrase, or another number's
        if " and " in q or "," in q or q.startswith("and "):
            continue  # "from Estonia, Latvia and Lithuania" names the whole, not a subgroup
        if where.match(q):
            continue  # "aboard the cruise ship Aurora Star": where, a place the other account may omit
        if q.startswith("from ") and q == q.lower():
            continue  # "the death toll from the blast": what caused it, not a subgroup
        if has_status and q.startswith("in ") and q == q.lower():
            continue  # "killed in hostile acts": how it happened, not who
        words = [lemma(w) for w in re.findall(r"[a-z]+", q.lower()) if w not in stop]
        words = [w for w in words if w not in named and (subject_class is None or classes.get(w) != subject_class)]
        words = [w for w in words if w not in neutral and w not in statuses]
        if words:
            mark = " ".join(words)
            out[mark] = out.get(mark, True) and q in figure.compounds
    return out


def family_of(figure: Figure) -> str:
    if figure.dimension == "money":
        return "money"
    if figure.base_unit and figure.dimension not in ("count",):
        return f"{figure.dimension}:{figure.base_unit}"
    return figure.dimension


def _kind_index(rules: ConceptRules) -> dict[str, tuple[str, str]]:
    return memo(rules, "partition-kinds", lambda: {
        w: (whole, kind) for whole, kinds in rules.partitions.items() for kind, words in kinds.items() for w in words
    })


def kind_of(figure: Figure, concept: str, rules: ConceptRules) -> tuple[str, str] | None:
    """(class, kind) when the figure counts a part of a class split into kinds: '18 gold' ->
    (medals, gold) by its noun; 'won 24 matches' -> (matches, won) by its verb."""
    if figure.dimension != "count":
        return None
    index = _kind_index(rules)
    head = lemma(figure.counted or "")
    if head in index:
        return index[head]
    words = [lemma(w) for q in figure.qualifiers for w in re.findall(r"[a-z]+", q.lower())]
    words += [w.lower() for w in figure.predicate]
    for w in words:
        found = index.get(w)
        if found is not None and found[0] == concept:
            return found
    return None


def frame_of(figure: Figure, rules: RuleSet, paragraph: int = 0, published: date | None = None) -> Frame:
    """The figure's frame, from what extraction read around it."""
    concepts = rules.concepts
    concept = concept_of(figure, concepts)
    statuses = statuses_of(figure, concepts)
    head = lemma(figure.counted) if figure.counted else None
    if concept in ("people", "?") and figure.predicate and figure.predicate[0] in concepts.event_concepts \
            and figure.dimension == "count" and (head is None or head in concepts.generic_heads
                                                 or concept == "people"):
        concept = concepts.event_concepts[figure.predicate[0]]  # "the depot employs 140 people": workers
    people = concept in ("people", "?") or (head or "") in concepts.generic_heads
    group = concept if concept in concepts.person_classes and concept != "people" else None
    if figure.dimension == "count" and (people or group or concept in concepts.status_concepts.values()):
        # "26 fans were arrested" counts arrests; "11 arrests" too; "14 rebel fighters were killed"
        # counts deaths, among fighters.
        named = [concepts.status_concepts[s] for s in sorted(statuses) if s in concepts.status_concepts]
        if len(named) == 1:
            concept = named[0]
        else:
            group = None
    marks = marks_of(figure, concepts)
    kind = kind_of(figure, concept, concepts)
    if kind is not None:
        concept = kind[0]
    # An amount or measure is told apart by what it describes: a noun ('the budget'), or only the verb
    # that states it ('received $210m'), which says much less.
    weak = figure.dimension != "count" and bool(figure.subject) and figure.subject in figure.predicate[:1]
    return Frame(
        kind=kind[1] if kind else None,
        weak=weak,
        period=figure.dimension == "count" and (head or "") in rules.time.rate_units,
        family=family_of(figure),
        head=head,
        concept=concept,
        currency=figure.unit if figure.dimension == "money" else None,
        statuses=sorted(statuses),
        distinct=sorted(statuses & frozenset(concepts.distinct_statuses)),
        # A measure is told apart by what it measures (its subject), not by where it runs.
        marks=sorted(marks) if figure.dimension in ("count", "money", "percent") else [],
        descriptors=sorted(m for m, glued in marks.items() if glued)
        if figure.dimension in ("count", "money", "percent") else [],
        event=figure.predicate[0] if figure.predicate else None,
        light=not figure.predicate or figure.predicate[0] in concepts.light_verbs,
        generic=concept in ("people", "?") and (head or "") in concepts.generic_heads,
        group=group if group != concept else None,
        person=concept in concepts.person_classes or concept in concepts.status_concepts.values(),
        phase="still" if set(concepts.remaining_words) & set(figure.predicate) else None,
        scope=Scope(
            places=sorted(places_of(figure, concepts)),
            time=sorted(time_words(figure.time_anchor, rules.time, published)),
            rate=rate_of(figure.time_anchor, rules.time),
            actor=figure.actor,
        ),
        paragraph=paragraph,
    )
