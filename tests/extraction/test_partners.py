"""The partners stage: who is party, void rules for signers that are no state, distribution over partners.

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import pytest

from articles.extraction import extract, partners
from articles.extraction.pipeline import extract_by_rules, read_story
from tests.extraction.support import FRI, one


def test_organisation_counterpart_is_never_a_party() -> None:
    assert extract("Iran signed an arrangement with the IAEA on Monday.", published=FRI).agreements == ()
    assert extract("The government reached a final agreement with the owners.", published=FRI).agreements == ()


def test_multilateral_agreement_lists_every_named_state() -> None:
    agreement = one("The presidents of Chile, Colombia, Mexico and Peru signed a framework agreement on Wednesday.")
    assert agreement.parties == ("CHL", "COL", "MEX", "PER")


def test_collective_phrase_resolves_to_the_story_pair() -> None:
    text = (
        "Japan and India signed a digital technology accord on Monday. "
        "The two countries signed a civil nuclear agreement in 2016."
    )
    result = extract(text, published=FRI)
    assert {(a.parties, a.date) for a in result.agreements} == {
        (("IND", "JPN"), "2024-03-11"),
        (("IND", "JPN"), "2016"),
    }


def test_rebels_are_not_a_state() -> None:
    text = "South Sudan seceded after a 2005 peace deal between the government in Khartoum and southern rebels."
    assert extract(text, published=FRI).agreements == ()


def test_plural_with_two_partners_gives_one_entry_each() -> None:
    text = "Australia signed free trade agreements with South Korea and Japan earlier this year."
    result = extract(text, published=FRI)
    assert sorted(a.parties for a in result.agreements) == [("AUS", "JPN"), ("AUS", "KOR")]


def test_sentence_initial_collective_names_the_lead_pair() -> None:
    text = (
        "Russia will lend Ukraine $15 billion, Vladimir Putin said on Tuesday after talks with Ukraine's president. "
        "The two presidents signed an intergovernmental loan agreement on Tuesday."
    )
    assert one(text).parties == ("RUS", "UKR")


def test_chained_with_phrases_give_one_instrument_per_partner() -> None:
    text = "Cyprus signed maritime agreements with Egypt in 2003 and with Lebanon in 2007."
    got = sorted((a.parties, a.date) for a in extract(text, published=FRI).agreements)
    assert got == [(("CYP", "EGY"), "2003"), (("CYP", "LBN"), "2007")]


def test_separatist_movement_as_signer_is_not_a_state_party() -> None:
    text = (
        "The Philippine government and the Moro Islamic Liberation Front signed a framework agreement on Monday. "
        "President Benigno Aquino watched as negotiators signed the document. Malaysian Prime Minister Najib Razak, "
        "whose government brokered the talks, also attended."
    )
    assert extract(text, published=FRI).agreements == ()


def test_regional_government_of_a_state_is_not_that_state() -> None:
    text = "Turkey and the Kurdistan Regional Government of northern Iraq signed an energy agreement on Thursday."
    assert extract(text, published=FRI).agreements == ()


def test_sub_national_province_is_not_a_party() -> None:
    text = (
        "Quebec Premier Jean Charest and French President Nicolas Sarkozy signed a labour mobility agreement on "
        "Friday. Sarkozy was in Quebec City for a summit with Canada and the European Union."
    )
    assert extract(text, published=FRI).agreements == ()


def test_palestinian_authority_is_not_a_state_party() -> None:
    text = "Israel, Jordan and the Palestinian Authority signed a water-sharing memorandum on Monday."
    assert one(text).parties == ("ISR", "JOR")


def test_country_in_a_following_clause_is_not_a_party() -> None:
    text = "A trade agreement with Pakistan took effect last year, and China is negotiating with Australia and Peru."
    got = extract(text, published=FRI).agreements
    assert all("AUS" not in a.parties and "PER" not in a.parties for a in got), got


def test_numbered_collective_with_a_proper_modifier_takes_the_listed_states() -> None:
    text = (
        "Interior ministers of the six Gulf Arab monarchies signed a security agreement on Tuesday. "
        "The ministers of Saudi Arabia, Kuwait, the United Arab Emirates, Qatar, Bahrain and Oman met in Riyadh."
    )
    assert one(text).parties == ("ARE", "BHR", "KWT", "OMN", "QAT", "SAU")


def test_with_any_country_is_not_a_void_counterpart() -> None:
    text = (
        "Afghanistan signed its first strategic partnership agreement with any country on Tuesday, as the Afghan "
        "and Indian leaders met in New Delhi."
    )
    assert one(text).parties == ("AFG", "IND")


def test_elliptic_one_with_a_state_keeps_the_main_state() -> None:
    text = (
        "Peru's pact with Washington has been in force since 2009, and one with Panama, signed in 2007, is expected "
        "to take effect later this year. The United States hopes for more."
    )
    got = {a.parties: (a.status, a.date) for a in extract(text, published=FRI).agreements}
    assert got[("PAN", "USA")] == ("signed", "2007"), got


def test_relations_established_by_two_states_with_a_third_are_distributed() -> None:
    text = (
        "The United Arab Emirates and Bahrain established formal ties with Israel on Tuesday at a White House ceremony."
    )
    got = sorted(a.parties for a in extract(text, published=FRI).agreements)
    assert got == [("ARE", "ISR"), ("BHR", "ISR")]


def test_sub_national_signer_in_a_relative_clause_voids_the_instrument() -> None:
    text = (
        "Australia's federal government cancelled two agreements that the state of Victoria had signed with China, "
        "the foreign minister said on Wednesday."
    )
    assert extract(text, published=FRI).agreements == ()


def test_participle_clause_naming_a_non_state_signer_voids_the_instrument() -> None:
    text = (
        "Palestinian President Mahmoud Abbas spoke on Monday. The status of Jerusalem was to be settled under the "
        "Oslo accords, signed by Israel and the Palestine Liberation Organization in the 1990s."
    )
    assert extract(text, published=FRI).agreements == ()


def test_plural_accords_with_a_listed_counterpart_pair_are_distributed() -> None:
    text = "Ethiopia already sells electricity to Djibouti and Sudan under older accords."
    assert sorted(a.parties for a in extract(text, published=FRI).agreements) == [("DJI", "ETH"), ("ETH", "SDN")]


def test_country_in_a_parenthetical_relative_clause_is_not_a_party() -> None:
    text = (
        "Tanzania, which is building its own link to the Kenyan grid, signed a power agreement with Ethiopia on Monday."
    )
    assert one(text).parties == ("ETH", "TZA")


def test_second_instrument_with_own_partner_at_sentence_end() -> None:
    # the "with" partner that ends the sentence counts, so the second instrument is not discarded
    text = "Egypt has long relied on a 1959 agreement with Sudan and a 1929 agreement with Britain."
    got = {(a.parties, a.date) for a in extract(text, published=FRI).agreements}
    assert (("EGY", "GBR"), "1929") in got
    assert (("EGY", "SDN"), "1959") in got


def test_coordinated_instrument_keeps_its_own_partner() -> None:
    # "..., and on an earlier 1929 agreement concluded with Britain": not the first instrument's pair again
    text = (
        "Egypt has long relied on a 1959 agreement with Sudan that allotted most of the river's flow, "
        "and on an earlier 1929 agreement concluded with Britain."
    )
    got = {(a.parties, a.date) for a in extract(text, published=FRI).agreements}
    assert (("EGY", "GBR"), "1929") in got


def test_firms_signing_deals_is_not_a_state_agreement() -> None:
    texts = (
        "Brazilian and Peruvian companies signed deals worth $2 billion during the Brazilian president's visit to "
        "Lima, Peruvian officials said on Thursday. The two leaders also discussed Bolivia.",
        "Peru and Brazil pledged closer ties on Monday. Acme Mining Corp. signed a preliminary deal to invest in "
        "Peruvian copper.",
    )
    for text in texts:
        assert extract(text, published=FRI).agreements == ()


def test_numbered_collective_with_a_regional_adjective_takes_the_listed_members() -> None:
    text = (
        "The leaders of eleven Caribbean countries signed a founding treaty on Friday. The treaty "
        "was signed by Cuba, Haiti, Jamaica, Bahamas, Barbados, Grenada, Guyana, Belize, Suriname, Panama and Mexico."
    )
    agreement = one(text)
    assert len(agreement.parties) == 11


def test_named_treaty_signed_by_leaders_belongs_to_the_articles_pair() -> None:
    text = (
        "Historians say the best arms-control bargains were struck between Washington and Moscow. The Anti-Ballistic "
        "Missile Treaty was signed by President Richard Nixon and Soviet leader Leonid Brezhnev in May 1972."
    )
    agreement = one(text)
    assert agreement.parties == ("SUN", "USA")
    assert agreement.date == "1972-05"


def test_on_one_with_a_partner_is_a_second_instrument_of_the_subject() -> None:
    text = (
        "Chile has been pursuing trade deals around the world. It signed a free-trade agreement with Japan in "
        "December and agreed in principle on one with Vietnam in October."
    )
    found = sorted((a.parties, a.status, a.date) for a in extract(text, published=FRI).agreements)
    assert found == [(("CHL", "JPN"), "signed", "2023-12"), (("CHL", "VNM"), "proposed", "2023-10")]


VOID_CASES = [
    (
        "void_if_between_names_a_non_state",
        "South Sudan seceded after a 2005 peace deal between the government in Khartoum and southern rebels.",
    ),
    ("void_if_partner_is_no_state", "Iran signed an arrangement with the IAEA on Monday."),
    ("void_if_owned_by_a_non_state", "The rebels' agreement with Peru was signed on Monday."),
    ("void_if_company_signer", "Brazilian and Peruvian companies signed deals worth $2 billion on Thursday."),
    ("void_if_organisation_subject", "ASEAN, which has been negotiating a code of conduct with China, met on Monday."),
    ("void_if_non_state_signer", "Quebec's premier and the French president signed an energy agreement on Monday."),
    (
        "void_if_non_state_subject",
        "Australia's federal government cancelled two agreements that the state of Victoria had signed with China, "
        "the foreign minister said on Wednesday.",
    ),
]


@pytest.mark.parametrize(("rule", "text"), VOID_CASES, ids=[rule for rule, _ in VOID_CASES])
def test_void_rule_drops_the_instrument_under_its_own_name(rule: str, text: str) -> None:
    story = read_story(text, published=FRI)
    assert story.candidates == []
    assert rule in [x.dropped for x in story.dropped]


def test_every_void_rule_has_a_case() -> None:
    rules = [*partners.BETWEEN_VOID_RULES, *partners.VOID_RULES, *partners.NON_STATE_SIGNER_RULES]
    assert sorted(r.__name__ for r in rules) == sorted(rule for rule, _ in VOID_CASES)


def test_plural_instruments_with_a_comma_list_of_partners_are_one_per_partner() -> None:
    text = "Japan has signed free trade agreements with Mexico, Malaysia, Chile and Thailand."
    parties = [a.parties for a in extract_by_rules(text, published=FRI).agreements]
    assert parties == [("JPN", "MEX"), ("JPN", "MYS"), ("CHL", "JPN"), ("JPN", "THA")]


def test_a_list_of_partners_of_a_termination_keeps_its_year_for_each() -> None:
    text = "In 2012, Mongolia cancelled double tax treaties with the United Arab Emirates, Kuwait and the Netherlands."
    agreements = extract_by_rules(text, published=FRI).agreements
    assert [(a.parties, a.status, a.date) for a in agreements] == [
        (("ARE", "MNG"), "terminated", "2012"),
        (("KWT", "MNG"), "terminated", "2012"),
        (("MNG", "NLD"), "terminated", "2012"),
    ]


def test_the_state_a_relative_clause_is_about_signs_with_each_listed_partner() -> None:
    text = (
        "The accord is the first for Peru and the fourth for Chile, which has signed pacts with Japan, Korea and India."
    )
    parties = [a.parties for a in extract_by_rules(text, published=FRI).agreements]
    assert parties == [("CHL", "JPN"), ("CHL", "KOR"), ("CHL", "IND")]


def test_a_bilateral_instrument_keeps_the_two_states_named_before_it() -> None:
    text = "Britain and Ukraine have signed a bilateral agreement to support Kyiv in the face of Russia's aggression."
    assert [a.parties for a in extract_by_rules(text, published=FRI).agreements] == [("GBR", "UKR")]


def test_bilateral_with_three_signers_before_it_is_left_as_written() -> None:
    text = "Kenya, Uganda and Rwanda signed a bilateral trade agreement on Monday."
    assert [a.parties for a in extract_by_rules(text, published=FRI).agreements] == [("KEN", "RWA", "UGA")]


@pytest.mark.parametrize(
    "region", ["Somalia's breakaway region of Somaliland", "Iraq's Kurdistan region", "Moldova's separatist territory"]
)
def test_an_instrument_with_a_states_region_is_not_with_the_state(region: str) -> None:
    text = f"Turkey signed an energy deal with {region} on Monday."
    assert extract_by_rules(text, published=FRI).agreements == ()


def test_an_instrument_with_a_states_government_is_with_the_state() -> None:
    text = "Turkey signed an energy deal with Iraq's government on Monday."
    assert [a.parties for a in extract_by_rules(text, published=FRI).agreements] == [("IRQ", "TUR")]
