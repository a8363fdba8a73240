"""The general rules under metadata: dates, names and roles, furniture, forces, pages.

Every case is written for the rule, in the shapes real documents take; none comes
from the seed corpus.
"""

from __future__ import annotations

import pytest

from indexer.document.dates import find_date, long_date, month_year
from indexer.document.furniture import is_furniture, strip_furniture
from indexer.document.gazetteer import find_forces
from indexer.document.metadata import extract
from indexer.document.parse import parse_blocks
from indexer.document.people import person, role_organisation
from indexer.source.html import html_to_text


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("01/12/2015", "2015-12-01"),
        ("Date: 5.7.2022", "2022-07-05"),
        ("14th March 2025", "2025-03-14"),
        ("31/02/2020", None),
        ("in 2019 and 2020", None),
    ],
)
def test_dates_are_read_day_first_as_uk_documents_write_them(text, iso):
    assert find_date(text) == iso


def test_a_cover_month_is_the_first_of_that_month_and_prose_is_not_a_cover():
    assert month_year("March 2017") == "2017-03-01"
    assert month_year("(January 2022)") == "2022-01-01"
    assert month_year("We met in March 2017") is None
    assert long_date("2024-09-02") == "2 September 2024"


@pytest.mark.parametrize(
    ("line", "name", "role"),
    [
        ("Sir Graham Pellew QPM", "Graham Pellew", ""),
        ("Sarah Kettering QPM DL", "Sarah Kettering", ""),
        (
            "The Rt Hon Daniel Okafor MP, Home Secretary",
            "Daniel Okafor",
            "Home Secretary",
        ),
        ("Nadia Rahman, Mayor of London", "Nadia Rahman", "Mayor of London"),
        # Letters beyond ASCII, inner capitals and elided prefixes are names too.
        ("Siân Morgan AM", "Siân Morgan", ""),
        ("Zoë Łukaszewska, Chief Executive", "Zoë Łukaszewska", "Chief Executive"),
        ("Ciarán McDonagh", "Ciarán McDonagh", ""),
        ("Dr Aoife O'Rourke-MacLeod", "Aoife O'Rourke-MacLeod", ""),
    ],
)
def test_a_typed_name_drops_honorifics_and_post_nominals(line, name, role):
    who = person(line)
    assert (who.name, who.role) == (name, role)


@pytest.mark.parametrize(
    "line",
    [
        "Essex Police",
        "Kamal Chunchie Way",
        "Home Secretary",
        "Yours sincerely",
        "Rhôs Street",
        "ÉCOLE",
    ],
)
def test_places_bodies_and_roles_are_not_people(line):
    assert person(line) is None


@pytest.mark.parametrize(
    ("role", "sender", "date", "organisation"),
    [
        ("Home Secretary", "", None, "Home Office"),
        ("Commissioner of Police of the Metropolis", "", None, "MPS"),
        ("Deputy Mayor for Policing and Crime", "", None, "MOPAC"),
        (
            "Police and Crime Commissioner for Gwent",
            "",
            None,
            "Office of the Police and Crime Commissioner for Gwent",
        ),
        ("London Assembly Member", "", None, "London Assembly"),
        ("HM Inspector of Constabulary", "", "2016-05-01", "HMIC"),
        ("HM Inspector of Constabulary", "", "2019-05-01", "HMICFRS"),
        ("Chief Constable", "Gwent Police Headquarters", None, "Gwent Police"),
        ("Chief Executive", "", None, ""),
    ],
)
def test_an_authors_organisation_follows_the_role(role, sender, date, organisation):
    assert role_organisation(role, sender, date) == organisation


@pytest.mark.parametrize(
    "line",
    ["Page 3 of 12", "OFFICIAL - SENSITIVE", "14", "By email only", "- 2 -"],
)
def test_page_furniture_lines_are_recognised(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line", ["Recommendation 7", "7. The force should", "Official figures show a rise"]
)
def test_text_is_not_furniture(line):
    assert not is_furniture(line)


def test_stripping_furniture_leaves_a_blank_line_in_its_place():
    text, dropped = strip_furniture("one\nPage 1 of 2\ntwo")
    assert (text, dropped) == ("one\n\ntwo", ["Page 1 of 2"])


def test_places_that_name_other_bodies_are_not_forces():
    text = (
        "Kent County Council, the Met Office and Durham University met Surrey "
        "Fire and Rescue Service."
    )
    assert find_forces(text) == []
    assert find_forces("the Commissioner of the Police of the Metropolis") == ["MPS"]
    assert find_forces("Kent and Durham, and the Met") == ["MPS", "Durham", "Kent"]


def letter(text: str):
    return extract(parse_blocks(text))[0]


def test_a_letter_with_several_first_names_in_its_salutation_is_a_letter():
    meta = letter(
        "Nadia Rahman\nMayor of London\n\nTom Whitlock\nDeputy Mayor\n\n"
        "3 May 2024\n\nDear Nadia, Tom,\n\nBody text of the letter.\n\n"
        "Yours sincerely,\n\nAlex Morgan\nChief Constable of Gwent Police\n"
    )
    assert meta.type == "letter"
    assert meta.recipients == ["Nadia Rahman", "Tom Whitlock"]
    assert (meta.author, meta.organisation) == ("Alex Morgan", "Gwent Police")
    assert (
        meta.title
        == "Letter from Alex Morgan to Nadia Rahman and Tom Whitlock, 3 May 2024"
    )


def test_a_from_to_letter_without_salutation_takes_author_from_the_from_block():
    meta = letter(
        "From\n\nAlex Morgan\nChief Constable\nGwent Police\n\nTo\n\n"
        "Jane Price\nPolice and Crime Commissioner for Gwent\n\n2 June 2024\n\n"
        "This letter reports our progress.\n"
    )
    assert meta.type == "letter"
    assert (meta.author, meta.author_role) == ("Alex Morgan", "Chief Constable")
    assert meta.recipients == ["Jane Price"]
    assert meta.organisation == "Gwent Police"


def test_a_statement_takes_its_author_from_the_attribution():
    meta = letter(
        "Commissioner responds to inspection of Gwent Police\n\n4 April 2024\n\n"
        "Responding to the report, the Police and Crime Commissioner for Gwent, "
        "Jane Price, said: it is a fair report.\n"
    )
    assert meta.type == "statement"
    assert meta.author == "Jane Price"
    assert meta.organisation == "Office of the Police and Crime Commissioner for Gwent"


def test_a_report_names_no_author_when_it_does_not_say_who_wrote_it():
    meta = letter(
        "A review of custody\n\nJune 2020\n\nWe visited custody suites run by "
        "HMICFRS inspected forces.\n"
    )
    assert (meta.type, meta.date, meta.author) == ("report", "2020-06-01", "")


def test_a_saved_page_keeps_its_content_and_drops_its_chrome():
    page = (
        "<html><body><div class='cookie-banner'><p>We use cookies</p></div>"
        "<a class='skip-link' href='#m'>Skip to main content</a>"
        "<div class='breadcrumbs'><a>Home</a> › <a>Policing</a></div>"
        "<main><h1>Title</h1><p>Jane Price<br>Police and Crime Commissioner</p>"
        "<p>Body.</p><div class='related'><h2>Related content</h2>"
        "<ul><li>Read more about it</li></ul></div></main>"
        "<section class='feedback'><h2>Is this page useful?</h2></section>"
        "<footer><p>© Crown copyright</p></footer></body></html>"
    )
    assert html_to_text(page) == (
        "# Title\n\nJane Price\nPolice and Crime Commissioner\n\nBody."
    )


def test_sections_follow_the_general_heading_rules_on_a_report_that_is_no_seed():
    from indexer.document.segment import segment

    text = (
        "Key findings\n\nGwent Police\n\nResponding to the public\n\n"
        "The force answers most calls quickly.\n\nAreas for improvement\n\n"
        "The force should answer non-emergency calls faster.\n\n"
        "The force has invested in its control room\n\n"
        "New staff joined in 2023.\n"
    )
    passages = segment("x", parse_blocks(text))
    body = {p.text: (p.section, p.label) for p in passages if p.kind == "body"}
    levels = {p.text: p.level for p in passages if p.kind == "heading"}
    # "<word> findings" and a force's name both open a top-level section.
    assert levels["Key findings"] == levels["Gwent Police"] == 1
    assert body["The force should answer non-emergency calls faster."] == (
        "Gwent Police > Responding to the public > Areas for improvement",
        "",
    )
    assert body["New staff joined in 2023."][1] == (
        "The force has invested in its control room"
    )


def test_an_unsigned_letter_takes_its_author_from_the_letterhead_name():
    meta = letter(
        "Leah Okoro AM\nLondon Assembly Member\nCity Hall\n\n"
        "Jane Price\nPolice and Crime Commissioner for Gwent\n\n"
        "9 May 2024\n\nDear Jane,\n\nI write about custody.\n"
    )
    assert (meta.author, meta.author_role) == ("Leah Okoro", "London Assembly Member")
    assert meta.organisation == "London Assembly"
    assert meta.recipients == ["Jane Price"]
