"""Grouping by weighed evidence: pairs of figures that must join one group and pairs that must not,
each with the reason the weighing gives; and the claim frame grouping reads (relations and scopes)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from service.evidence import weigh
from service.group import key_of
from service.models import Figure, Report
from service.rules import RuleSet

CheckText = Callable[..., Report]


def figure(report: Report, fragment: str, doc: str | None = None) -> Figure:
    """The figure whose text holds `fragment` (in document `doc`, if given)."""
    found = [f for f in report.figures if fragment in f.text and (doc is None or f.document_id == doc)]
    assert found, f"no figure holds {fragment!r}; figures: {[f.text for f in report.figures]}"
    return found[0]


def pair(check_text: CheckText, first: str, second: str, a: str, b: str) -> tuple[Figure, Figure]:
    """Figures `a` (in `first`) and `b` (in `second`), two accounts from two outlets; `second` empty
    means both stand in `first`."""
    if not second:
        report = check_text(("a", first, "Desk"))
        return figure(report, a), figure(report, b)
    report = check_text(("a", first, "First Outlet"), ("b", second, "Second Outlet"))
    return figure(report, a, "a"), figure(report, b, "b")


JOIN = [
    pytest.param(
        "The exercise involved over 3,200 personnel, TASS said.",
        "At least 10,000 troops took part in the exercise, KP reported.",
        "3,200", "10,000", "same class 'troops'", id="synonyms of one class",
    ),
    pytest.param(
        "Officials said 2,100 people died in Mansehra after the quake.",
        "The governor said 2,400 people died in the district after the quake.",
        "2,100", "2,400", "same noun 'people'", id="a named place and a place named by a common noun",
    ),
    pytest.param(
        "Police said 12 people were killed in the blast in the market.",
        "The death toll from the blast in the market rose to 15, officials said.",
        "12 people", "15", "deaths", id="people killed and a death toll count deaths",
    ),
    pytest.param(
        "Health officials said 241 passengers fell ill on the cruise.",
        "The cruise line said 130 passengers fell ill on the cruise.",
        "241", "130", "same noun 'passenger'", id="the same noun and status",
    ),
    pytest.param(
        "The army said two of its soldiers died in the clash near the border.",
        "The rebels said they killed 22 servicemen in the clash near the border.",
        "two", "22", "same class 'deaths'", id="soldiers and servicemen killed are one population's deaths",
    ),
]


@pytest.mark.parametrize(("first", "second", "a", "b", "why"), JOIN)
def test_these_pairs_join(
    check_text: CheckText, rules: RuleSet, first: str, second: str, a: str, b: str, why: str
) -> None:
    x, y = pair(check_text, first, second, a, b)
    weighing = weigh(key_of(x), key_of(y), rules.grouping)
    assert weighing.joins(rules.grouping), weighing.explain()
    assert why in weighing.explain()


APART = [
    pytest.param(
        "Police said 12 people were killed in the blast.", "Police said 140 people were injured in the blast.",
        "12", "140", "dead against injured", id="killed and injured",
    ),
    pytest.param(
        "The army said 14 soldiers were killed in the attack.", "The army said 30 civilians were killed in the attack.",
        "14", "30", "troops against civilians", id="two populations",
    ),
    pytest.param(
        "The toll rose to 27 people dead on Friday, officials said.",
        "The toll rose to 49 people dead on Saturday, officials said.",
        "27", "49", "different times", id="two days",
    ),
    pytest.param(
        "In Paris, 37,000 people marched, police said.", "In Lyon, 21,000 people marched, police said.",
        "37,000", "21,000", "different places", id="two cities",
    ),
    pytest.param(
        "The minister said 37,958 people died in the province after the quake.",
        "The governor said at least 40,000 people died in that region after the quake.",
        "37,958", "40,000", "different places", id="two places named by common nouns",
    ),
    pytest.param(
        "About 500 migrants arrive a day, officials said.",
        "Some 5,000 migrants arrived on the island, officials said.",
        "500", "5,000", "a rate against a count", id="a rate and a count",
    ),
    pytest.param(
        "Sales rose by 500 cars in the quarter.", "The company sold 5,000 cars in the quarter.",
        "500", "5,000", "a change against a level", id="a change and a level",
    ),
    pytest.param(
        "The city plans to hire 2,000 teachers next year.", "The city hired 1,200 teachers this year.",
        "2,000", "1,200", "not a count of what happened", id="a plan and a count",
    ),
    pytest.param(
        "Tessaly won 63 medals at the games. Its athletes won 18 gold.", "",
        "63", "18", "a part of the kind 'gold'", id="a kind and the whole",
    ),
    pytest.param(
        "About 38,000 homes lost water on Monday. By Tuesday 6,500 homes were still without water.", "",
        "38,000", "6,500", "what is left against the whole", id="what is left and the whole",
    ),
    pytest.param(
        "Police said 60 additional officers would patrol the centre.", "The force has 1,940 officers, police said.",
        "60", "1,940", "a change against a level", id="an addition and a total",
    ),
]


@pytest.mark.parametrize(("first", "second", "a", "b", "why"), APART)
def test_these_pairs_do_not_join(
    check_text: CheckText, rules: RuleSet, first: str, second: str, a: str, b: str, why: str
) -> None:
    x, y = pair(check_text, first, second, a, b)
    weighing = weigh(key_of(x), key_of(y), rules.grouping)
    assert not weighing.joins(rules.grouping), weighing.explain()
    assert why in weighing.explain()


def test_figures_of_differently_named_actors_weigh_against(check_text: CheckText, rules: RuleSet) -> None:
    x, y = pair(check_text, "Reyes finished with 38.9% of the vote, the commission said.",
                "Nair won 57% of the vote, the commission said.", "38.9%", "57%")
    weighing = weigh(key_of(x), key_of(y), rules.grouping)
    assert not weighing.joins(rules.grouping)
    assert "Reyes's against Nair's" in weighing.explain()


def test_a_group_says_why_its_figures_were_joined(check_text: CheckText) -> None:
    report = check_text(("a", "The exercise involved over 3,200 personnel, TASS said.", "TASS"),
                        ("b", "At least 10,000 troops took part in the exercise, KP reported.", "KP"))
    [group] = report.groups
    [why] = group.evidence
    assert why.startswith(("f1 ~ f2", "f2 ~ f1")) and "same class 'troops'" in why and "score" in why


def test_unrelated_stories_are_not_compared(check_text: CheckText) -> None:
    fire = ("A fire at a timber yard in Corlow destroyed three warehouses and forced 200 residents from their homes "
            "overnight, the fire brigade said on Sunday. Crews from four stations fought the blaze for six hours "
            "before bringing it under control. The owner of the yard said the damage would run to several million "
            "euros and that the cause was not yet known. Investigators will examine the site on Monday. Neighbours "
            "described thick black smoke drifting across the harbour district, and the railway line beside the "
            "yard stayed closed until dawn while engineers checked the signalling cables for heat damage. Local "
            "councillors asked the mayor to review storage licences for timber, paint and solvents near housing.")
    flood = ("Heavy rain caused the river Vesna to burst its banks in the southern province of Tamar, where 3,000 "
             "people were moved to shelters, the regional government said. Rescue boats reached villages cut off "
             "by the water, and the national weather agency warned of more downpours this week. Farmers reported "
             "crops lost across the valley, and schools stayed shut for a second day. The army sent trucks with "
             "drinking water and blankets to the worst-hit districts, while volunteers filled sandbags outside the "
             "cathedral to protect the old town from the rising water.")
    report = check_text(("fire", fire, "Corlow Post"), ("flood", flood, "Tamar Daily"))
    assert [s.document_ids for s in report.stories] == [["fire"], ["flood"]]
    assert [w.code for w in report.warnings] == ["several_stories"]
    x, y = figure(report, "200", "fire"), figure(report, "3,000", "flood")
    assert not any({x.id, y.id} <= set(g.figure_ids) for g in report.groups)


def test_accounts_of_one_story_are_one_story(check_text: CheckText) -> None:
    first = ("The strike by dockworkers at the port of Bayport entered its fifth day on Friday, with 42 container "
             "ships waiting at anchor outside the harbour, the port authority said. About 65,000 containers were "
             "stuck at the terminals, and the union said talks with the port employers had broken down again.")
    second = ("'We have 67 ships sitting at anchor right now,' the chief executive of the Bayport Shipping "
              "Association said on Friday, as the dockworkers' strike at the port entered its fifth day. The "
              "association estimated that 110,000 containers were stuck at the terminals.")
    report = check_text(("a", first, "Shipping Gazette"), ("b", second, "Bayport Business Journal"))
    assert [s.document_ids for s in report.stories] == [["a", "b"]]
    assert report.warnings == []


# --- the frame: relations the text states ------------------------------------------------------------

RELATIONS = [
    pytest.param("KP said at least 10,000 troops from Tajikistan and 400 from Russia took part.", "400",
                 "coordinated", ["10,000"], id="coordinated"),
    pytest.param("Arrivals rose from 200 to 250 last month.", "250", "from", ["200"], id="from"),
    pytest.param("Arrivals rose 25% from 200 to 250 last month.", "25%", "change_of", ["200", "250"],
                 id="change_of"),
    pytest.param("Visitor numbers doubled to 1.3 million from 640,000.", "1.3 million", "multiple", ["640,000"],
                 id="multiple"),
    pytest.param("The hospital has 2,340 beds in all: 1,480 general, 620 surgical and 190 intensive-care beds.",
                 "2,340", "parts", ["1,480", "620", "190"], id="parts"),
    pytest.param("Reyes won 47.8% of the vote, Nair 36.5% and Ortiz 19.2%.", "47.8%", "shares", ["36.5%", "19.2%"],
                 id="shares"),
    pytest.param("She won 2,184 of the 4,870 votes cast (52%).", "52%", "share_of", ["2,184", "4,870"],
                 id="share_of"),
    pytest.param("The tunnel is 27.4 km long (about 14 miles).", "14 miles", "restates", ["27.4 km"], id="restates"),
]


@pytest.mark.parametrize(("text", "at", "kind", "others"), RELATIONS)
def test_the_frame_holds_the_relations_the_text_states(
    check_text: CheckText, text: str, at: str, kind: str, others: list[str]
) -> None:
    report = check_text(text)
    f = figure(report, at)
    assert f.frame is not None
    found = [r for r in f.frame.relations if r.kind == kind]
    assert found, f"{at}: no {kind} relation in {f.frame.relations}"
    ids = {x.id for x in report.figures if any(o in x.text for o in others)}
    assert set(found[0].figure_ids) == ids


NO_PARTS = [
    pytest.param("The gun held 30 rounds. Smaller magazines can hold 10, 15 or 17 rounds.", "30",
                 id="choices are not parts"),
    pytest.param("The Samajwadi Party won 37 seats. Trinamool won 29 seats while the DMK secured 22 seats.", "37",
                 id="a list in the next sentence with no cue is a list of its own"),
]


@pytest.mark.parametrize(("text", "at"), NO_PARTS)
def test_these_lists_are_not_the_parts_of_the_figure_before(check_text: CheckText, text: str, at: str) -> None:
    f = figure(check_text(text), at)
    assert f.frame is not None
    assert not [r for r in f.frame.relations if r.kind == "parts"], f.frame.relations


def test_a_breakdown_cue_makes_the_next_sentence_the_parts(check_text: CheckText) -> None:
    report = check_text("The bank reported revenue of €9.2bn for 2024. By division, retail brought in €4.1bn, "
                        "corporate €3.3bn and wealth management €1.2bn.")
    f = figure(report, "€9.2bn")
    assert f.frame is not None
    parts = [r for r in f.frame.relations if r.kind == "parts"]
    assert parts and len(parts[0].figure_ids) == 3, f.frame.relations

SCOPES = [
    pytest.param("In Paris, 37,000 people marched on Thursday.", "37,000", "places", ["paris"],
                 id="place of the clause"),
    pytest.param("Some 3,000 troops from Tajikistan took part.", "3,000", "places", ["tajikistan"],
                 id="place of origin"),
    pytest.param("The toll rose to 19 on Friday.", "19", "time", ["day:friday"], id="a day"),
    pytest.param("Exports fell to 4,200 tonnes last year.", "4,200", "time", ["prior year"], id="last year"),
    pytest.param("About 500 migrants arrive a day.", "500", "rate", "per day", id="a rate"),
    pytest.param("Poland is deploying about 2,000 soldiers to the border.", "2,000", "actor", "Poland", id="actor"),
    pytest.param("The Social Democrats took 47 seats, the Green Alliance 22 and the Farmers' Party nine.", "nine",
                 "actor", "Farmers' Party", id="actor of a number whose verb is left out"),
]


@pytest.mark.parametrize(("text", "at", "field", "expected"), SCOPES)
def test_the_frame_holds_the_scope_the_text_states(
    check_text: CheckText, text: str, at: str, field: str, expected: object
) -> None:
    f = figure(check_text(text), at)
    assert f.frame is not None
    assert getattr(f.frame.scope, field) == expected


FRAMES = [
    pytest.param("Police said 14 soldiers were killed.", "14", {"concept": "deaths", "group": "troops"},
                 id="a status names what is counted"),
    pytest.param("Tessaly's athletes won 18 gold.", "18", {"concept": "medals", "kind": "gold"}, id="a kind"),
    pytest.param("About 6,500 homes were still without water.", "6,500", {"phase": "still"}, id="what is left"),
    pytest.param("The city plans to hire 2,000 teachers.", "2,000", {"distinct": ["planned"]}, id="a plan"),
    pytest.param("Sales rose by 500 cars.", "500", {"concept": "vehicles"}, id="a change counts its noun"),
]


@pytest.mark.parametrize(("text", "at", "expected"), FRAMES)
def test_the_frame_reads_what_is_counted(
    check_text: CheckText, text: str, at: str, expected: dict[str, object]
) -> None:
    f = figure(check_text(text), at)
    assert f.frame is not None
    assert {k: getattr(f.frame, k) for k in expected} == expected
