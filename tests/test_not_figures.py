"""Numbers that are not figures go to `ignored` with a reason, and never to `figures`.

Each row is a sentence, the number in it that is not a figure (as written), and the reason the
report gives. Figures in the same sentence are still reported.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from service.models import Report

CheckText = Callable[..., Report]

NOT_FIGURES = [
    # years, decades, spans of years
    ("The line opened in 1894 and closed in 2019.", "1894", "year"),
    ("Prices have doubled since 2010.", "2010", "year"),
    ("It was the worst outage since the storm of January 2007.", "2007", "year"),
    ("Sales peaked in the 1990s.", "1990", "decade"),
    ("Spending rose in fiscal 2012-13.", "2012-13", "year span"),
    ("That had been a bonanza, and Keytruda's 2018 sales jumped 90 per cent.", "2018", "year"),
    ("Between 1600 and 1900 temperatures dropped by 1 degree.", "1600", "year"),
    ("Climate Change Mar 9 2018 MIT researchers say fusion will come.", "2018", "year"),
    # dates and days of the month
    ("The deadline is Oct. 31 for all claims.", "31", "date"),
    ("The vote is on July 9.", "9", "date"),
    ("The summit opens on 9 September in Oslo.", "9", "date"),
    ("The drills ran from 4 to 15 March across the region.", "4 to 15", "date"),
    ("Filed on 12/03/2021 by the agency.", "12/03/2021", "date"),
    # clock times
    ("The quake hit at 2.15pm local time.", "2.15pm", "clock time"),
    ("The train derailed at 3.45 AM on Friday.", "3.45 AM", "clock time"),
    ("The first train left at 5:55 AM.", "5:55 AM", "clock time"),
    ("The protesters sat down shortly after 08:00.", "08:00", "clock time"),
    ("They heard shooting from before six in the morning until noon.", "six", "clock time"),
    # ordinals
    ("The 201st brigade moved north.", "201st", "ordinal"),
    ("It was his 3rd visit.", "3rd", "ordinal"),
    # names with numbers
    ("A Boeing 737 landed safely.", "737", "identifier"),
    ("The COVID-19 pandemic hit tourism.", "COVID-19", "identifier"),
    ("Leaders met at the G20 summit.", "G20", "identifier"),
    ("Drive along Route 66 to the coast.", "66", "identifier"),
    ("The S&P 500 rose 0.2% on Monday.", "500", "identifier"),
    ("A T-72B3 tank was destroyed.", "T-72B3", "identifier"),
    ("A Project 22350 frigate will test-fire missiles.", "22350", "identifier"),
    ("The Category 2 storm made landfall near the port.", "2", "identifier"),
    ("The 300 MW Kalinga Phase 3 plant was connected in November.", "Phase 3", "identifier"),
    ("Traffic was stopped at junction 19 of the M6.", "19", "identifier"),
    ("The protesters sat between junctions 12 and 14 for hours.", "12", "identifier"),
    ("The protesters sat between junctions 12 and 14 for hours.", "14", "identifier"),
    ("A crash closed Highway 12 near the border.", "12", "identifier"),
    ("The ship's IMO number, 9387421, was listed in a database.", "9387421", "identifier"),
    ("Full figures are set out in table 4 of the bulletin.", "4", "identifier"),
    ("The Stoxx 600 index fell 1.7 percent.", "600", "identifier"),
    ("Campbell's team finished behind Oklahoma in the Big 12.", "12", "identifier"),
    ("Dak Prescott (4) ran for a touchdown.", "4", "identifier"),
    ("Lampard told BBC One after the game.", "One", "identifier"),
    ("It is the same one across all accounts.", "one", "pronoun"),
    ("It was the only one left standing.", "one", "pronoun"),
    ("One of the victims was a child.", "One", "one of a group"),
    ("It is one of the best speakers around.", "one", "one of a group"),
    ("No one was hurt in the blast.", "one", "pronoun"),
    ("It wants a runway parallel to the existing one, which would raise capacity.", "one", "pronoun"),
    ("A large cut could lift prices, while a smaller one could prompt funds to sell.", "one", "pronoun"),
    ("One villager said fighters had used the roof.", "One", "speaker"),
    ("The toll could be higher, said one police officer.", "one", "speaker"),
    # a number inside a name, or naming the proper noun it stands before
    ("In Province 2, 45 people died.", "2", "identifier"),
    ("Both the Nifty Midcap 100 and Nifty Smallcap 250 indexes ended flat.", "250", "identifier"),
    ("At least 18 coaches of the 12810 Howrah-Mumbai Mail derailed.", "12810", "identifier"),
    # a count that describes a name or a code, joined by a hyphen
    ("The 30-share BSE Sensex fell 113 points.", "30", "index size"),
    ("Customers must enter a 16-digit code.", "16", "code length"),
    # a year after a count: "X in YEAR" is no share
    ("It now has 1,940 officers, compared with 2,100 in 2019.", "2019", "year"),
    ("Deaths fell to 1,284 in 2024, down from 1,547 in 2023.", "2023", "year"),
    # phone numbers
    ("Patients can check waiting times by calling 0113 496 0512.", "0113 496 0512", "phone number"),
    ("Report it by calling 101 or, in an emergency, 999.", "101", "phone number"),
    ("Report it by calling 101 or, in an emergency, 999.", "999", "phone number"),
    ("Residents were urged to call the state helpline on 1070.", "1070", "phone number"),
    # addresses
    ("The office is at 10 Downing Street in London.", "10", "address"),
    ("Properties include 9 E 71st St in Manhattan.", "9", "address"),
    ("Plans can be viewed at the council offices at 7 Tanner's Row.", "7", "address"),
    ("Police made arrests near the ministry at 14 Rue Montclair.", "14", "address"),
    ("They occupied the lobby of the ministry at 27 Friedrichstrasse.", "27", "address"),
    ("The museum stands at 22 Ave Foch in Paris.", "22", "address"),
    ("In the 90049 ZIP Code, sales fell.", "90049", "postal code"),
    # times and durations written with colons
    ("Kiprop won the men's race in 2:05:48 on Sunday.", "2:05:48", "time"),
    ("A Model S ran a 1:36.6 at Laguna Seca.", "1:36.6", "time"),
    # reference numbers, titles, lists of numbers that count nothing
    ("The authority listed the recall under reference 0112/24.", "0112/24", "reference number"),
    ("The most borrowed title was the thriller '48 Hours in Lisbon', checked out 3,100 times.", "48",
     "title"),
    ("The winning numbers were 4, 17, 23, 38, 41 and 49.", "23", "list of numbers"),
    ("In full kit, runner 30417, a firefighter, raised £12,000 for charity.", "30417", "identifier"),
    ("The crews had staged three one-day strikes.", "one", "duration in a compound"),
    # scores
    ("Real Carvalho beat Atletico Norte 3-1 on Sunday.", "3-1", "score"),
    ("The derby ended in a 2-2 draw.", "2-2", "score"),
    ("The game was tied at 89-89.", "89-89", "score"),
    # versions, clauses, pages
    ("Users should update to version 2.1 of the app.", "2.1", "identifier"),
    ("The firmware 1.2.3 fixes it.", "1.2.3", "version number"),
    ("Group calls were launched with Kestrel 5.0 in August.", "5.0", "version number"),
    ("Under clause 4 of the contract, fees apply.", "4", "identifier"),
    ("Britain triggered Article 50 in March.", "50", "identifier"),
    ("The consultation document runs to 1,184 pages.", "1,184", "page count"),
    ("The office published a 38-page bulletin.", "38", "page count"),
    # ages
    ("A 45-year-old man was arrested.", "45", "age"),
    ("The 130-year-old viaduct will be inspected.", "130", "age"),
    ("Transport councillor Rui Valente, 49, said the rise was needed.", "49", "age"),
    ("Of the unemployed, 412,000 were aged 16 to 24.", "16 to 24", "age"),
    ("Seven suspects are nationals aged between 24 and 51.", "24", "age"),
    ("The number of residents aged over 75 will rise.", "75", "age"),
    ("Families with children under six get a tax credit.", "six", "age"),
    ("He will be 30 years old by the end of the year.", "30", "age"),
    ("Tens of thousands marched against plans to raise the pension age to 67.", "67", "age"),
    ("They want to cut the voting age to 16.", "16", "age"),
    ("It would raise the retirement age from 65 to 67.", "65", "age"),
    ("It would raise the retirement age from 65 to 67.", "67", "age"),
    ("The driver, 48, was among the dead.", "48", "age"),
    ("An eight-month-old baby was among the dead.", "eight", "age"),
    ("Uptake among two- and three-year-olds fell.", "two", "age"),
    ("Uptake among two- and three-year-olds fell.", "three", "age"),
    ("A week-old calf was rescued, and a 3-day-old foal.", "3", "age"),
    ("Most of the victims were men between 25 and 54, the coroner said.", "25 and 54", "age"),
    ("His plan to raise the pension age by two years to 64 will be adopted.", "64", "age"),
]


@pytest.mark.parametrize(("sentence", "number", "reason"), NOT_FIGURES)
def test_not_a_figure(check_text: CheckText, sentence: str, number: str, reason: str) -> None:
    report = check_text(sentence)
    start = sentence.index(number)
    end = start + len(number)
    overlapping = [f.text for f in report.figures if f.start < end and start < f.end]
    assert not overlapping, f"{number!r} was reported as a figure: {overlapping}"
    reasons = {i.reason for i in report.ignored if i.start < end and start < i.end}
    assert reason in reasons, f"{number!r} ignored as {reasons or 'nothing'}"


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        # The same shapes, but counts.
        ("Police arrested 2000 protesters.", "2000"),
        ("The army sent 2,000 troops in 2019.", "2,000"),
        ("About 460 cars were stolen, compared with 63 last year.", "63"),
        ("The hospital has 300 beds.", "300"),
        ("He was called 12 times.", "12"),
        ("Six people were killed and 140 injured.", "140"),
        ("The MacBook Pro 16 inch costs $2000.", "16"),
        ("The consortium holds a 25% stake, 12 of 40 seats.", "12"),
        ("Nearly 3,900 migrants crossed in August.", "3,900"),
        ("Apple is hiring, going from 1000 to 2000 hires this year.", "2000"),
        ("The index rose 1.2 to 5.0 in August.", "5.0"),
        ("The winners were 4, 17 and 23 people.", "17"),
        ("Only one person survived the crash.", "one"),
        ("Only one of the 12 passengers survived.", "one"),
        ("One person was killed.", "One"),
        ("Sharma said there was one death.", "one"),
        ("Only one route has reopened.", "one"),
        ("Only one survived the crash.", "one"),
        ("Ozone won 158 seats, the Nationalist Movement 50 seats and the Welfare Party 21 seats.", "50"),
        ("The 28.9s lap was a record.", "28.9"),
        ("The fund sold 30 shares in the bank.", "30"),
        ("Deaths fell to 1,284 in 2024.", "1,284"),
        ("The number of men between 25 and 54 in work rose to 9,400.", "9,400"),
        ("Sales rose to 5000 Bharat units.", "5000"),
        ("On Tuesday about 600 Rohingyas entered Bangladesh.", "600"),
        ("It makes 450 Nm (332 lb-ft) of torque.", "332"),
        ("It makes 450 Nm (332 lb-ft) of torque.", "450"),
        ("It brought the total for 2024 to 9,681, data show.", "9,681"),
    ],
)
def test_figures_that_look_like_not_figures_stay(check_text: CheckText, sentence: str, number: str) -> None:
    report = check_text(sentence)
    start = sentence.index(number)
    assert any(f.start <= start < f.end for f in report.figures), [i.model_dump() for i in report.ignored]


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("The index fell to sub-300 levels.", "sub-300 levels"),
        ("Temperatures hit minus-5 overnight.", "minus-5"),
        ("It was a top-10 finish.", "10 finish"),
    ],
)
def test_a_number_after_a_prefix_is_a_figure_and_no_name(check_text: CheckText, sentence: str, figure: str) -> None:
    """A prefix of the rules keeps the number a number, so it is not also listed as a name."""
    report = check_text(sentence)
    assert [f.text for f in report.figures] == [figure]
    assert report.ignored == []


def test_a_year_is_not_read_as_a_quantity(check_text: CheckText) -> None:
    report = check_text("In 2042 the fleet will have 40 ships.")
    assert [f.value for f in report.figures] == [40]
    assert [(i.text, i.reason) for i in report.ignored] == [("2042", "year")]
