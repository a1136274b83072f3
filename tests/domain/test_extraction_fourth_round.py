"""Attribution rules of the fourth round of issue 14, each on made-up sentences shaped like the
misses of `fresh2`: (words, claimant) per proposal, with a named publisher standing for none."""

from __future__ import annotations

import pytest

from app.domain.extraction import extract

PUB = "Daily Test"
Claim = tuple[str, str | None]


def _claims(text: str) -> list[Claim]:
    ex = extract(text, publisher=PUB)
    names = {s.key: s.name for s in ex.sources}
    return [(f.words, names.get(f.claimant or "")) for f in ex.figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Per Reuters, six people were killed and 20 injured in the blast.", [("six", "Reuters"), ("20", "Reuters")]),
        ("Per the state news agency, at least nine people died.", [("at least nine", "state news agency")]),
        # a document names its author when it has one
        ("About 30 protesters were arrested, in accordance with the police statement.", [("About 30", "police")]),
    ],
)
def test_per_and_in_accordance_with_attribute_like_according_to(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a dateline before the colon does not hide the source after the dash
        ("Kenya: Bandits kill 9 herders in Marsabit county – Police", [("9", "Police")]),
        ("more than 40 pupils rescued – police in Zaria said", [("more than 40", "police in Zaria")]),
        ("Four killed in shelling of Sumy: Region’s governor", [("Four", "Region’s governor")]),
    ],
)
def test_a_headline_names_its_source_after_a_dash_or_a_closing_colon(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


def test_a_handle_line_speaks_its_paragraph_and_an_inner_speaker_wins() -> None:
    assert _claims("@citywatch (Lagos): second blast near the market. 3 dead now, 14 hurt.") == [
        ("3", "@citywatch"),
        ("14", "@citywatch"),
    ]
    assert _claims("@citywatch: the line is bad but the state TV says 5 killed.") == [("5", "state TV")]


def test_a_quote_paragraph_after_a_speakers_paragraph_is_the_speakers() -> None:
    text = (
        "Mr John Adamu, the chairman of the local council, told reporters on Monday that the gunmen came at night.\n"
        "“Seven persons were killed, while three others are still missing."
    )
    assert _claims(text) == [("Seven", "Mr John Adamu"), ("three", "Mr John Adamu")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title before the body it serves describes the name before it
        (
            "Musa Bello, information commissioner for Kano State, said that 12 people died.",
            [("12", "Musa Bello")],
        ),
        # a title without a name, then the name: the person speaks
        (
            "Nineteen people were rescued, said a navy spokesman, Ramon Cruz.",
            [("Nineteen", "Ramon Cruz")],
        ),
        (
            "The toll rose to 31, according to the Chief Fire Officer of Kerala State, Anil Kumar, on Monday.",
            [("31", "Anil Kumar")],
        ),
    ],
)
def test_a_title_beside_a_name_gives_the_name(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a subordinate clause starts the speaker's clause
        (
            "The news came late on Friday when a Red Cross official said 25 people had died.",
            [("25", "Red Cross official")],
        ),
        # ... unless it sits inside the speaker's apposition
        (
            "Ali Khan, the mayor of the town where the bus crashed, says nine passengers died.",
            [("nine", "Ali Khan")],
        ),
        # "has so far counted": the adverbs are not part of the speaker
        (
            "Peru has so far counted 40 dead, while neighbouring Syria reports 12 dead.",
            [("40", "Peru"), ("12", "Syria")],
        ),
    ],
)
def test_the_speakers_clause_and_its_trimmings(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The storm has already claimed 29 lives, the Red Cross said.", [("29", "Red Cross")]),
        ("Armed men believed to be bandits have abducted 15 villagers.", [("15", PUB)]),
        ("Medics put the injured on stretchers; 22 were hospitalized.", [("22", PUB)]),
        ("Rescuers found 11 bodies in the rubble.", [("11", PUB)]),
    ],
)
def test_verbs_that_report_nothing_name_no_speaker(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police tell the Herald one man was arrested at the scene.", [("one", "police")]),
        ("A second officer, Omar Shah, told AFP there were eight dead.", [("eight", "Omar Shah")]),
        (
            "The regional governor informed that at least 7 civilians were killed.",
            [("at least 7", "regional governor")],
        ),
        ("The new survey found that 1.2 million people were displaced.", [("1.2 million", "new survey")]),
        ("A new tally raised the death toll to at least 610.", [("at least 610", "new tally")]),
        ("That report placed the death toll at 52.", [("52", "report")]),
        ("Dozens of fighters have been killed, our correspondent adds.", [("Dozens", "correspondent")]),
        ("At least 8 were hurt, county chief constable Mary Lowe said.", [("At least 8", "Mary Lowe")]),
        ("According to the latest WHO data, 4,100 cases have been reported.", [("4,100", "latest WHO data")]),
    ],
)
def test_speech_verbs_objects_and_speakers(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the clause before ", said X" holds the figure: the speaker is after the verb
        (
            "Some 300 people were reported missing to officials in the county, said Dana Ortiz, the sheriff.",
            [("Some 300", "Dana Ortiz")],
        ),
        # a weekday after the speaker is when, not who
        ("The toll has risen to 88, confirmed a hospital official Sunday.", [("88", "hospital official")]),
        # a day between the verb and the comma still closes what came before
        (
            "Bandits abducted 30 people, a local official said Tuesday, dismissing reports that 200 were abducted.",
            [("30", "local official"), ("200", PUB)],
        ),
    ],
)
def test_a_speaker_after_its_verb(text: str, expected: list[Claim]) -> None:
    assert _claims(text)[: len(expected)] == expected


def test_a_citing_aside_between_dashes_names_the_claimant() -> None:
    text = "Reuters — citing hospital staff — reported that at least 17 were killed."
    assert _claims(text) == [("at least 17", "hospital staff")]


def test_a_dateline_before_a_dash_is_no_apposition() -> None:
    text = "KABUL, Afghanistan (AP) — A provincial official says 6 police officers were killed."
    assert _claims(text) == [("6", "provincial official")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a possessive apposition describes the name before it, also without spaces after commas
        (
            "Doctors at Mercy Hospital,Kano’s main referral centre,said eleven of the injured were critical.",
            [("eleven", "Doctors at Mercy Hospital")],
        ),
        # an auxiliary left alone after the name's comma
        ("Twelve kidnapped pupils have returned, police spokesman, Sgt Musa Ali, has said.", [("Twelve", "Musa Ali")]),
    ],
)
def test_appositions_and_auxiliaries_between_commas(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There have been 64 confirmed cases in the district. [Source: Health Ministry ]", [("64", "Health Ministry")]),
        (
            "• On the 3rd the toll was raised to 212 dead. AFP report, via The Hindu. [4]",
            [("212", "Agence France-Presse")],
        ),
    ],
)
def test_a_line_naming_a_source_speaks_the_sentence_before_it(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The governor was quoted as saying that 40 people had died.", [("40", "governor")]),
        ("Police spokesman Musa Ali as saying “12 of the pupils have been rescued.”", [("12", "Musa Ali")]),
    ],
)
def test_quoted_as_saying_names_the_speaker(text: str, expected: list[Claim]) -> None:
    assert _claims(text) == expected


def test_a_body_named_with_a_word_for_people_is_no_anonymous_voice() -> None:
    # "reporters" became an anonymous source word in this round; the body named with it stays a body
    ex = extract("Reporters Without Borders said 12 journalists were killed.", publisher=PUB)
    kinds = {s.key: s.kind.value for s in ex.sources}
    assert [kinds[f.claimant] for f in ex.figures] == ["organization"]


def test_she_refers_to_the_person_the_sentence_before_opens_on() -> None:
    text = "Governor Jane Smith visited the site on Sunday. She told reporters that 30 people were missing."
    assert _claims(text) == [("30", "Jane Smith")]


def test_workers_speak() -> None:
    assert _claims("Rescue workers said they had pulled 14 survivors from the rubble.") == [("14", "rescue workers")]
