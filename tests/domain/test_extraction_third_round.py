"""Rules of the third round of issue 14, each on made-up sentences shaped like the real misses:
(words, low, high, metric, claimant) per proposal, with a named publisher standing for none."""

from __future__ import annotations

import pytest

from app.domain.extraction import extract

PUB = "Daily Test"
Row = tuple[str, float | None, float | None, str, str | None]


def _read(text: str) -> list[Row]:
    ex = extract(text, publisher=PUB)
    names = {s.key: s.name for s in ex.sources}
    return [(f.words, f.low, f.high, f.metric, names.get(f.claimant or "")) for f in ex.figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a dash opens the breakdown: the place before it is the whole's
            "Officials said 40 deaths were recorded in the last day -- 30 from Kano, four each from Oyo and Kogi.",
            [
                ("40", 40, 40, "killed", "officials"),
                ("30", 30, 30, "killed", "officials"),
                ("four", 4, 4, "killed", "officials"),
            ],
        ),
        (  # "X at N" places listed after "followed by"
            "Lagos has the most cases with 310 infections followed by Abuja at 120, Kano at 45 and Oyo at 12.",
            [
                ("310", 310, 310, "infected", PUB),
                ("120", 120, 120, "infected", PUB),
                ("45", 45, 45, "infected", PUB),
                ("12", 12, 12, "infected", PUB),
            ],
        ),
        (  # a ranking continued in the next sentence, one count per place in parentheses
            "Lagos leads the tally with 90 deaths. It is followed by Abuja (41), Kano (17) and Oyo (6).",
            [
                ("90", 90, 90, "killed", PUB),
                ("41", 41, 41, "killed", PUB),
                ("17", 17, 17, "killed", PUB),
                ("6", 6, 6, "killed", PUB),
            ],
        ),
    ],
)
def test_lists_of_places_share_the_metric(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


def test_a_place_before_the_figure_still_splits_unlisted_figures() -> None:
    """ "12 people died in Kano and 30 were hurt at the scene": no list, the metrics stay apart."""
    got = _read("Twelve people died in Kano after the storm, and 30 were hurt at the market.")
    assert [(w, m) for w, _, _, m, _ in got] == [("Twelve", "killed"), ("30", "injured")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The strike led to the martyrdom of five citizens.", [("five", 5, 5, "killed", PUB)]),
        ("Four corpses were carried out of the rubble.", [("Four", 4, 4, "killed", PUB)]),
        ("Two workers were buried alive when the wall fell.", [("Two", 2, 2, "killed", PUB)]),
        ("About 900 people were thought to be buried under the debris.", [("About 900", 720, 1080, "trapped", PUB)]),
        ("Some 4,000 people have taken shelter in 20 schools.", [("Some 4,000", 3200, 4800, "displaced", PUB)]),
        ("Over 1,200 people stay in relief camps.", [("Over 1,200", 1201, None, "displaced", PUB)]),
        ("Gunmen abducted 30 students, police said.", [("30", 30, 30, "kidnapped", "police")]),
        ("At least 12 villagers were kidnapped.", [("At least 12", 12, None, "kidnapped", PUB)]),
    ],
)
def test_words_for_the_dead_the_buried_the_sheltered_and_the_kidnapped(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Boys between the ages of eight and 14 were at the school.",
        "The victims included two toddlers, 8 and 3 months old.",
        "Three men lived at the 2100 Block of West Lake Road.",
        "The fire displaced 13 people and one business.",
        "A four-alarm fire broke out, and 60 firefighters were sent.",
        "At least two of the dead were aged under five.",
        "By night 2,000 troops and 300 rescue workers had arrived at the site of the collapse.",
    ],
)
def test_ages_addresses_businesses_and_responders_are_no_casualties(text: str) -> None:
    assert [(w, m) for w, _, _, m, _ in _read(text) if "two" not in w and w != "13"] == []


def test_the_whole_a_share_is_taken_from_after_a_possessive() -> None:
    got = _read("At least 40 of the town's 2,000 residents were killed.")
    assert [(w, lo, hi, m) for w, lo, hi, m, _ in got] == [("At least 40", 40, None, "killed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Six people were hurt in the blast," the statement said.', [("Six", 6, 6, "injured", "statement")]),
        ('"Three people were killed in the shelling," the post reads.', [("Three", 3, 3, "killed", "post")]),
        (
            "Rescue officials report that more than 900 people have been evacuated.",
            [("more than 900", 901, None, "displaced", "rescue officials")],
        ),
        (
            "The opposition council gave a higher toll, saying 14 people were killed.",
            [("14", 14, 14, "killed", "opposition council")],
        ),
        (
            "The toll from the mine collapse rose to 23 on Friday. "
            "Regional Governor Amina Bello confirmed the numbers.",
            [("23", 23, 23, "killed", "Amina Bello")],
        ),
        ('"We pulled out 12 bodies today," one soldier said.', [("12", 12, 12, "killed", "soldier")]),
    ],
)
def test_documents_posts_and_tolls_name_their_speaker(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "During the month, 435 cases were recorded, as compared to 567 cases, reported in October 2017.",
        "Meanwhile, the mayor on Saturday, March 7, denied a role in the strike that killed more than 60 people.",
    ],
)
def test_a_date_is_no_speaker(text: str) -> None:
    assert {c for *_, c in _read(text)} <= {PUB, "mayor"}


def test_a_verb_giving_something_else_names_no_speaker() -> None:
    got = _read("The army gave the same reason for striking a school a day earlier, killing at least 17 people.")
    assert got == [("at least 17", 17, None, "killed", PUB)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the toll named before its verb, not the metric word of the next clause
            "The death toll rose to 240 and the number of cases climbed to 9,100 on Monday.",
            [("240", 240, 240, "killed", PUB), ("9,100", 9100, 9100, "infected", PUB)],
        ),
        (
            "The number of people killed since the floods began on Monday was raised to 31.",
            [("31", 31, 31, "killed", PUB)],
        ),
        (  # a count in parentheses after its metric word
            "Kano has the most cases (4,120), while Lagos has the most deaths (97).",
            [("4,120", 4120, 4120, "infected", PUB), ("97", 97, 97, "killed", PUB)],
        ),
        (  # a dash glued to the word before it still opens an aside
            "At least 20 villagers- mostly women and children - were killed in the raid.",
            [("At least 20", 20, None, "killed", PUB)],
        ),
        (
            "Officials expect the number of cases to top 5,000 this week.",
            [("to top 5,000", 5001, None, "infected", PUB)],
        ),
        ("The toll surpasses 1,000 this year.", [("surpasses 1,000", 1001, None, "killed", PUB)]),
    ],
)
def test_tolls_parentheses_asides_and_verbs_of_passing(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "There are 22 people in hospitals, five of them children.",
            [("22", 22, 22, "injured", PUB), ("five", 5, 5, "injured", PUB)],
        ),
        ("One woman is in serious condition.", [("One", 1, 1, "injured", PUB)]),
        ("At least six people had been shot at the party.", [("At least six", 6, None, "injured", PUB)]),
        ("Six people had been shot dead at the party.", [("Six", 6, 6, "killed", PUB)]),
        ("The engineer was one of four aid workers killed on Monday.", [("four", 4, 4, "killed", PUB)]),
    ],
)
def test_hospital_shooting_and_one_of_n(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hundreds of searchers combed the riverbanks for survivors.",
        "The monitor, one of several organizations that count civilian casualties, said so.",
        "The nurse was one of the 300 residents of the camp who stayed.",
    ],
)
def test_searchers_organizations_and_the_whole_of_one_are_no_casualties(text: str) -> None:
    assert _read(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The records “show 4,000 civilian deaths,” said the rights group Civic Watch, which keeps a list.",
            [("4,000", 4000, 4000, "killed", "Civic Watch")],
        ),
        (
            "UN deputy director-general Ana Ruiz also said there could be up to 800 new cases a week.",
            [("up to 800", 0, 800, "infected", "Ana Ruiz")],
        ),
        (  # a quote of two paragraphs after a colon: only the last closes
            'The mayor wrote on his Telegram channel:\n"A terrible night for our city.\n'
            '"At least 14 residents were killed in the strike."',
            [("At least 14", 14, None, "killed", "mayor")],
        ),
    ],
)
def test_described_bodies_titles_and_long_quotes(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


def test_an_unclosed_quote_inside_a_line_is_no_quote() -> None:
    """An opener mid-line with no closer (a typo, an inch mark) quotes nothing."""
    got = _read('The pipe was 6" wide. Police said 12 people were hurt.')
    assert got == [("12", 12, 12, "injured", "police")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # an aside right after the toll's word
            "Officials fear the death toll -- 31 in the valley -- will rise.",
            [("31", 31, 31, "killed", PUB)],
        ),
        ("Kano/At least 14 people died in the blast.", [("At least 14", 14, None, "killed", PUB)]),
        ("Global displacement reached 12.5 million people.", [("12.5 million", 12500000, 12500000, "displaced", PUB)]),
        ("The toll was expected to climb past 90.", [("climb past 90", 91, None, "killed", PUB)]),
    ],
)
def test_asides_slashes_displacement_and_climbing_past(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The toll reached 210 this year, more than double the number of deaths reported in 2019.",
        "Some 3.2 million people fled, almost triple the number of people registered a decade ago.",
    ],
)
def test_a_comparison_with_a_count_not_given_is_no_figure(text: str) -> None:
    assert len(_read(text)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a definite post is by the latest person or body mentioned, not the outlet relaying it
            "Governor Ivan Petrenko posted this on Telegram, Ukrinform reports.\n"
            '"Three people were injured in the shelling," the post reads.',
            [("Three", 3, 3, "injured", "Ivan Petrenko")],
        ),
        (
            "“The logs record 5,400 deaths,” according to the Civic Watch summary.",
            [("5,400", 5400, 5400, "killed", "Civic Watch")],
        ),
    ],
)
def test_posts_and_summaries_speak_for_their_author(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lagos and Kano have reported one death each, according to the ministry data.",
            [("one", 1, 1, "killed", "ministry")],
        ),
        (
            "UN assistant director-general Ana Ruiz said there could be up to 500 new cases a week.",
            [("up to 500", 0, 500, "infected", "Ana Ruiz")],
        ),
        (
            "The toll is 61 and not 70 as stated by the police earlier.",
            [("61", 61, 61, "killed", PUB), ("70", 70, 70, "killed", "police")],
        ),
        (
            "The gunman, who chose his victims at random, posted that he had killed nine people.",
            [("nine", 9, 9, "killed", "gunman")],
        ),
        (  # a quote right after the verb is what was said; the rest of the sentence is not the speaker's
            "The mayor tweeted “our hearts are broken” on Sunday after the blast that left 12 dead.",
            [("12", 12, 12, "killed", PUB)],
        ),
        (
            'The sheriff told reporters that "the new toll" is 31 in the county.',
            [("31", 31, 31, "killed", "sheriff")],
        ),
    ],
)
def test_bodies_relatives_as_stated_by_and_quoted_objects(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nearly 4,000 people flee attacks on the camps.", [("Nearly 4,000", 3200, 4000, "displaced", PUB)]),
        (
            "At least 80 others were injured. 21 seriously.",
            [("At least 80", 80, None, "injured", PUB), ("21", 21, 21, "injured", PUB)],
        ),
        ("The group listed six confirmed reports of murders.", [("six", 6, 6, "killed", PUB)]),
        ("Rescuers are trying to locate 210 people.", [("210", 210, 210, "missing", PUB)]),
        (  # "the" and a bare number restate the earlier figure of that value, and its breakdown shares it
            "The crew rescued 120 migrants. The 120, including 90 men and 30 children, reached the port.",
            [
                ("120", 120, 120, "rescued", PUB),
                ("90", 90, 90, "rescued", PUB),
                ("30", 30, 30, "rescued", PUB),
            ],
        ),
    ],
)
def test_verbs_before_things_elliptic_parts_and_restated_numbers(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


def test_body_bags_are_things() -> None:
    assert _read("Up to 21 body bags were taken to the hospital.") == []


def test_firefighters_can_die_rescuers_still_search() -> None:
    assert _read("Four firefighters are presumed dead.") == [("Four", 4, 4, "killed", PUB)]
    got = _read("Dozens of rescuers were trying to find 19 missing miners.")
    assert [(w, m) for w, _, _, m, _ in got] == [("19", "missing")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # no comma before the speaker: the figure is not part of its name
            "A raid on the post killed at least 15 soldiers local officials said on Tuesday.",
            [("at least 15", 15, None, "killed", "officials")],
        ),
        ("The blast killed 12 people police said.", [("12", 12, 12, "killed", "police")]),
        (
            "The Wikipedia page for the storm estimates that at least 9,000 people were left homeless.",
            [("at least 9,000", 9000, None, "displaced", "Wikipedia page for the storm")],
        ),
        (  # "These reports" is no speaker named "These"
            "These reports point to a toll that already approaches 3,000.",
            [("approaches 3,000", 2400, 3000, "killed", PUB)],
        ),
    ],
)
def test_run_on_subjects_pages_and_determiners(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # "states" after "by" is a noun, "However" no name; the tally's owner speaks
            "However, a Reuters tally based on figures reported by states showed at least 137 deaths.",
            [("at least 137", 137, None, "killed", "Reuters")],
        ),
        ("Meanwhile, 40 people were hurt.", [("40", 40, 40, "injured", PUB)]),
    ],
)
def test_linking_words_and_nouns_after_by_name_no_speaker(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


def test_an_outlet_quoting_according_to_relays_the_inner_source() -> None:
    ex = extract('Al Jazeera reported, "According to hospital sources, 40 people were killed."', publisher=PUB)
    names = {s.key: s.name for s in ex.sources}
    (fig,) = ex.figures
    assert (names[fig.claimant], [names[r] for r in fig.relays]) == ("hospital sources", ["Al Jazeera"])


def test_a_body_quoting_according_to_keeps_its_quote() -> None:
    got = _read('"According to preliminary data, five people were wounded," the statement said.')
    assert got == [("five", 5, 5, "injured", "statement")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We know about 7 wounded so far," the statement said.', [("7", 7, 7, "injured", "statement")]),
        ("About 7 people were wounded.", [("About 7", 6, 8, "injured", PUB)]),
        ("The list of people unaccounted for was up to 1,310 on Sunday.", [("1,310", 1310, 1310, "missing", PUB)]),
        ("The toll could be up to 40.", [("up to 40", 0, 40, "killed", PUB)]),
    ],
)
def test_about_after_know_and_up_to_after_is(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The fire has claimed 29 lives, deputy chief of Cal Fire Ana Ruiz told reporters.",
            [("29", 29, 29, "killed", "Ana Ruiz")],
        ),
        (  # the body's own words end it: no person named
            "The head of United Nations Relief Works Agency said 12 staff were killed.",
            [("12", 12, 12, "killed", "head of United Nations Relief Works Agency")],
        ),
    ],
)
def test_a_name_after_a_capitalised_body(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected
