"""A document's publication date: read from ISO dates and date-times, refused clearly otherwise,
and carried to the parsed document for the stages that date what a text says."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from service.models import Document
from service.pipeline import check
from service.published import parse_published
from service.read import read
from service.rules import RuleSet


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-07-09", date(2024, 7, 9)),
        ("20240709", date(2024, 7, 9)),
        (" 2024-07-09 ", date(2024, 7, 9)),
        ("2024-07-09T14:30:00Z", date(2024, 7, 9)),
        ("2024-07-09t14:30:00z", date(2024, 7, 9)),
        ("2024-07-09 14:30", date(2024, 7, 9)),
        ("2024-07-09T14:30:00.123456+00:00", date(2024, 7, 9)),
        # the publisher's own day, not UTC's
        ("2024-07-09T23:30:00-05:00", date(2024, 7, 9)),
        ("2024-07-10T01:00:00+09:00", date(2024, 7, 10)),
        ("2016-12-31T23:59:60Z", date(2016, 12, 31)),  # a leap second
    ],
)
def test_published_dates_are_read(value: str, expected: date) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["09/07/2024", "yesterday", "2024-13-01", "2024-02-30", "", "2024-07-09T25:00"])
def test_a_published_value_that_is_not_an_iso_date_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match=rf"^published '{value}' is not an ISO 8601 date or date-time: send it as "
                                         r"2024-07-09 or 2024-07-09T14:30:00Z$"):
        parse_published(value)


def test_the_parsed_document_carries_its_date(nlp: Language) -> None:
    documents = [
        Document(id="a", text="12 people came.", published="2024-07-09T22:00:00-04:00"),
        Document(id="b", text="13 people came."),
    ]
    assert [p.published for p in read(documents, nlp)] == [date(2024, 7, 9), None]


def test_a_bad_published_value_is_a_422_that_says_what_to_send(client: TestClient) -> None:
    body = {"documents": [{"id": "a", "text": "12 people came.", "published": "last Tuesday"}]}
    response = client.post("/v1/check", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {
            "location": "documents -> 0 -> published",
            "message": "published 'last Tuesday' is not an ISO 8601 date or date-time: send it as 2024-07-09 or "
            "2024-07-09T14:30:00Z",
            "type": "published_format",
        }
    ]


def test_the_report_lists_each_document_with_its_date(client: TestClient) -> None:
    body = {"documents": [{"id": "a", "text": "12 people came.", "published": "2024-07-09T14:30:00Z",
                           "url": "https://example.org/a", "source": "Desk"}]}
    response = client.post("/v1/check", json=body)
    assert response.status_code == 200
    assert response.json()["documents"] == [
        {"id": "a", "text": "12 people came.", "source": "Desk", "url": "https://example.org/a",
         "published": "2024-07-09"}
    ]


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2025-03-09", ["date:2025-03-08", "day:saturday"]),  # a Sunday: yesterday was Saturday 8 March
        ("2025-03-10", ["date:2025-03-09", "day:sunday"]),
        (None, ["day:yesterday"]),  # no date to count from: the word stays a word of its own
    ],
)
def test_yesterday_is_the_weekday_it_names_when_the_document_is_dated(
    rules: RuleSet, nlp: Language, published: str | None, expected: list[str]
) -> None:
    documents = [Document(id="a", text="The floods killed 27 people yesterday, police said.", source="Desk",
                          published=published)]
    report = check(documents, rules, nlp)
    found = next(f for f in report.figures if f.text.startswith("27"))
    assert found.frame is not None
    assert found.frame.scope.time == expected


def two_accounts_conflict(
    rules: RuleSet, nlp: Language, police: tuple[str, str | None], mayor: tuple[str, str | None]
) -> bool:
    """Whether the police's and the mayor's tolls, each (text, published), are flagged as conflicting."""
    documents = [
        Document(id="a", text=police[0], source="Police", published=police[1]),
        Document(id="b", text=mayor[0], source="Mayor", published=mayor[1]),
    ]
    return any(d.kind == "conflicting_accounts" for d in check(documents, rules, nlp).discrepancies)


def test_accounts_dated_by_publication_are_compared_on_the_day_they_name(rules: RuleSet, nlp: Language) -> None:
    def flagged(published: str) -> bool:
        return two_accounts_conflict(
            rules, nlp, ("The floods killed 27 people yesterday, police said.", published),
            ("On Saturday the floods killed 45 people, the mayor said.", "2025-03-09"),
        )

    assert flagged("2025-03-09")  # both Saturday: two accounts of one day's toll
    assert not flagged("2025-03-11")  # Monday's toll against Saturday's: an update


def test_weekdays_in_stories_published_a_week_apart_are_two_days(rules: RuleSet, nlp: Language) -> None:
    def flagged(first: str, second: str | None) -> bool:
        return two_accounts_conflict(
            rules, nlp, ("On Monday the floods killed 27 people, police said.", first),
            ("On Monday the floods killed 45 people, the mayor said.", second),
        )

    assert flagged("2025-03-11", "2025-03-12")  # the same Monday, 10 March
    assert not flagged("2025-03-11", "2025-03-18")  # 10 March and 17 March: an update
    assert flagged("2025-03-11", None)  # undated: the weekday is all there is to go on


def test_last_week_in_stories_published_on_different_weeks_is_two_weeks(rules: RuleSet, nlp: Language) -> None:
    def flagged(first: str, second: str) -> bool:
        return two_accounts_conflict(
            rules, nlp, ("Last week the floods killed 27 people, police said.", first),
            ("Last week the floods killed 45 people, the mayor said.", second),
        )

    assert flagged("2025-03-11", "2025-03-13")  # both the week of 3 March
    assert not flagged("2025-03-11", "2025-03-25")  # the weeks of 3 and 17 March
