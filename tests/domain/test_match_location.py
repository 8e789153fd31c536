"""The gazetteer and location compatibility: cities, metro areas, states, remote and onsite-only."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.gazetteer import find_places
from givefirst.domain.location import (
    ELSEWHERE,
    REMOTE_FLOOR,
    SAME_CITY,
    SAME_METRO,
    SAME_STATE,
    UNKNOWN,
    Place,
    place_fit,
)

PLACES = [None, "", "Tampa, FL", "St. Petersburg, FL", "Miami, FL", "Brooklyn, NY", "New York, NY", "Austin, TX",
          "Remote", "Florida", "Tampa", "Portland, OR", "Portland, ME", "Berlin", "Remote (Berlin)", "ATL",
          "Cleveland, OH (moving to Orlando)", "Boulder, CO", "Montréal"]  # fmt: skip
TEXTS = [
    "",
    "remote only",
    "onsite only",
    "in the office every day",
    "happy to help over Zoom",
    "python",
    "React roles in Florida or remote",
    "anywhere in the Bay Area, onsite",
    "our condo in Miami, Florida",
]


def fit(a: str | None, b: str | None, text_a: str = "", text_b: str = "") -> float:
    return place_fit(Place.of(a, text_a), Place.of(b, text_b))[0]


@pytest.mark.parametrize(
    ("text", "city", "metro", "state"),
    [
        ("Tampa, FL", "tampa", "tampa", "FL"),
        ("St. Petersburg, FL", "st. petersburg", "tampa", "FL"),
        ("ATL", "atl", "atlanta", "GA"),
        ("Aurora, CO", "aurora", "denver", "CO"),
        ("Portland, ME", "portland", "portland me", "ME"),
        ("Portland", "portland", "portland", "OR"),
        ("Brooklyn", "brooklyn", "new york", "NY"),
    ],
)
def test_find_places_reads_cities_into_metros(text: str, city: str, metro: str, state: str) -> None:
    ref = find_places(text)[0]
    assert (ref.city, ref.metro, ref.state, ref.country) == (city, metro, state, "US")


def test_find_places_reads_states_world_cities_and_several_places() -> None:
    assert [(r.state, r.country) for r in find_places("Florida")] == [("FL", "US")]
    assert [(r.city, r.country) for r in find_places("Remote (Berlin)")] == [("berlin", "DE")]
    moving = find_places("Cleveland, OH (moving to Orlando)")
    assert [(r.city, r.state) for r in moving] == [("cleveland", "OH"), ("orlando", "FL")]
    assert find_places("Java and TypeScript, 5 years in") == ()
    assert find_places("") == () and find_places(None) == ()


def test_place_fit_levels() -> None:
    assert fit("Tampa, FL", "Tampa") == SAME_CITY
    assert fit("Tampa, FL", "St. Petersburg, FL") == SAME_METRO
    assert fit("Tampa, FL", "Miami, FL") == SAME_STATE
    assert fit("Tampa, FL", "Austin, TX") < SAME_STATE
    assert fit("Berlin", "Austin, TX") == ELSEWHERE
    assert fit(None, "Austin, TX") == UNKNOWN
    assert fit("Portland, OR", "Portland, ME") < SAME_STATE  # two Portlands are not one city


def test_remote_lifts_and_onsite_elsewhere_is_a_mismatch() -> None:
    assert fit("Berlin", "Austin, TX", "remote") > fit("Berlin", "Austin, TX")
    assert fit("Boise, ID", "Tampa, FL", "Hiring a nurse, onsite only") == 0.0
    assert fit("Boise, ID", "Boise", "Hiring a nurse, onsite only") == SAME_CITY
    assert fit("Denver, CO", "Miami, FL", "in the office every day", "remote only") == 0.0
    assert fit("Denver, CO", "Boulder, CO", "not open to remote") == SAME_METRO
    assert fit("Boulder, CO", "Denver, CO", "Boulder or Denver, in-office is fine") == SAME_CITY
    # a move counts: the Cleveland nurse moving to Orlando fits an Orlando hospital that wants people onsite
    assert fit("Cleveland, OH (moving to Orlando)", "Orlando, FL", "", "onsite") == SAME_CITY


@pytest.mark.parametrize(
    "text",
    ["Our clinic is hiring a dietitian. On site in Omaha five days a week.", "On-site only, Monday to Friday.",
     "You would work onsite at our plant.",
     "Need a second shooter for a wedding in Omaha; has to be in the room for the speeches.",
     "Interpreters must be physically present at the hearing."],
)  # fmt: skip
def test_on_site_however_it_is_spelled_is_an_insistence(text: str) -> None:
    assert Place.of("Omaha, NE", text).onsite
    assert fit("Tulsa, OK", "Omaha, NE", "Looking for a fully remote job", text) == 0.0


@pytest.mark.parametrize(
    "text",
    ["Certified interpreter: on site anywhere in the Triangle, or remote over Zoom.",
     "I proctor the exam in person in Port Arthur or online with a webcam.",
     "Tutoring remotely or in person around Dayton.", "Workshops on-site in Ohio or virtual."],
)  # fmt: skip
def test_on_site_or_remote_is_a_choice_not_an_insistence(text: str) -> None:
    place = Place.of("Raleigh, NC", text)
    assert not place.onsite and place.remote
    assert fit("Rochester, NY", "Raleigh, NC", "Where can I take the test?", text) == REMOTE_FLOOR


def test_a_place_inside_a_region_the_text_names_is_as_close_as_the_city() -> None:
    # A seeker in Orlando after roles in Florida: a hybrid role in Tampa is where they want to be.
    hybrid = "hiring a React developer, 2 days a week in the office"
    assert fit("Orlando, FL", "Tampa, FL", "React roles in Florida or remote", hybrid) == SAME_CITY
    assert fit("Orlando, FL", "Tampa, FL", "React roles, remote", hybrid) < SAME_STATE  # (onsite in another city)
    assert fit("Tampa, FL", "Orlando, FL", hybrid, "React roles in Florida or remote") == SAME_CITY  # either side
    assert fit("Oakland, CA", "San Jose, CA", "", "anywhere in the Bay Area") == SAME_CITY  # a metro area
    assert fit("Austin, TX", "Tampa, FL", "roles in Florida") == SAME_CITY  # where they want, not where they live
    # A home location is no region: someone only "in Florida" may live far from Tampa.
    assert fit("Florida", "Tampa, FL") == SAME_STATE
    # A text that names a city applies there, whatever it says of the state.
    assert fit("Orlando, FL", "Tampa, FL", "a Florida-licensed agent for our condo in Orlando") == SAME_STATE
    assert fit("Orlando, FL", "Austin, TX", "roles in Florida") < SAME_STATE  # (Austin is not in Florida)
    # The explanation says which region: the score's reason names what fired.
    seeker, team = Place.of("Orlando, FL", "React roles in Florida or remote"), Place.of("Tampa, FL", hybrid)
    assert place_fit(seeker, team) == (SAME_CITY, "in Florida, where one side says it applies")
    bay = place_fit(Place.of("Oakland, CA"), Place.of("San Jose, CA", "anywhere in the Bay Area"))
    assert bay == (SAME_CITY, "in the San Francisco area, where one side says it applies")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PLACES), st.sampled_from(PLACES), st.sampled_from(TEXTS), st.sampled_from(TEXTS))
def test_place_fit_is_symmetric_and_on_the_scale(a: str | None, b: str | None, ta: str, tb: str) -> None:
    """Symmetric on these texts; a need naming its home state as where it applies reads only its side (below)."""
    forward, backward = fit(a, b, ta, tb), fit(b, a, tb, ta)
    assert 0.0 <= forward <= 1.0
    assert forward == backward


def test_strip_places_leaves_the_topic() -> None:
    from givefirst.domain.gazetteer import strip_places

    assert strip_places("Need a good real-estate agent in South Tampa, FL") == "need a good real-estate agent in south"
    assert strip_places("Hiring SREs in Denver or Boulder, onsite") == "hiring sres in or , onsite"
    assert strip_places("Java developer") == "java developer"


@pytest.mark.parametrize(
    ("text", "city", "metro", "state"),
    [
        ("Fresno, CA", "fresno", "fresno ca", "CA"),  # a town of its own: its own metro area
        ("Sparks, NV", "sparks", "reno nv", "NV"),  # beside a larger town: that town's
        ("Kentwood, MI", "kentwood", "grand rapids mi", "MI"),
        ("East Point, GA", "east point", "atlanta", "GA"),  # beside a city of the metro table: the table's metro
        ("Coeur d'Alene, ID", "coeur d'alene", "spokane wa", "ID"),  # across a state line
        ("30 minutes outside Clovis, CA", "clovis", "fresno ca", "CA"),  # the words before a town are no town
    ],
)
def test_towns_the_metro_table_lacks_are_read_from_geonames(text: str, city: str, metro: str, state: str) -> None:
    assert [(r.city, r.metro, r.state, r.country) for r in find_places(text)] == [(city, metro, state, "US")]


def test_a_state_code_after_a_comma_is_the_state_and_towns_need_their_code() -> None:
    assert [(r.city, r.state) for r in find_places("New Orleans, LA")] == [("new orleans", "LA")]  # no Los Angeles
    assert [(r.city, r.state) for r in find_places("moving to LA")] == [("la", "CA")]  # a city's short name still
    assert find_places("Fresno") == ()  # a town outside the metro table counts only with its state's code
    assert [(r.city, r.state) for r in find_places("Fresno, TX")] == [("fresno", "TX")]  # the code says which
    assert fit("Sparks, NV", "Reno, NV") == SAME_METRO
    assert fit("Fresno, CA", "Fresno, CA") == SAME_CITY
    assert fit("Fresno, CA", "Sacramento, CA") == SAME_STATE
    assert fit("New Orleans, LA", "Fresno, CA", "", "a California licence, staying in Fresno") < SAME_STATE


def test_strip_places_leaves_the_topic_without_towns() -> None:
    from givefirst.domain.gazetteer import strip_places

    assert strip_places("Farm calls around Clovis, CA for goats") == "farm calls around for goats"
    assert strip_places("Tutor in Fresno, CA", frozenset({"DE"})) == "tutor in fresno, ca"  # a place abroad stays


@pytest.mark.parametrize(
    ("text", "loose"),
    [
        ("Mechanic who knows Caterpillar and Detroit engines", {"detroit"}),
        ("Two stations open in Austin and Houston", set()),  # a list begun by "in"
        ("Moving to Denver, Boulder or Fort Collins next spring", set()),
        ("looking for a Cincinnati-area shop", set()),
        ("Kansas City metro, both sides of the state line", set()),
        ("I cook a mean Denver omelette; I live outside Tucson", {"denver"}),
        ("Houston realtor, twelve years", {"houston"}),
        ("", set()),
    ],
)
def test_loose_places_are_cities_named_only_as_modifiers(text: str, loose: set[str]) -> None:
    from givefirst.domain.gazetteer import loose_places

    assert loose_places(text) == loose


def test_a_city_named_as_a_modifier_is_no_place_when_the_home_base_is_known() -> None:
    """Two diesel shops' texts both name "Detroit engines": that puts neither in Detroit (before engine m12 the pair
    read as the same city, and an onsite job in Omaha was shown to a mechanic in Reno who is not relocating)."""
    shop = ("Omaha, NE", "Our truck shop in Omaha needs a mechanic who knows Caterpillar and Detroit engines, onsite.")
    mechanic = ("Reno, NV", "Diesel mechanic, Detroit and Caterpillar trained, ten years in Reno; not relocating.")
    assert [r.city for r in Place.of(*shop).refs] == ["omaha"]
    assert place_fit(Place.of(*shop), Place.of(*mechanic))[0] == 0.0
    # Without a home base the text is all there is to go on, and a city it names is kept.
    assert [r.city for r in Place.of("", "Houston realtor, twelve years").refs] == ["houston"]
    # A city the text places something in still counts beside the home base.
    assert fit("Boston, MA", "Tampa, FL", "Moving to Tampa in June, need a realtor", "") == SAME_CITY


def test_a_need_naming_its_home_state_keeps_to_it() -> None:
    """ "A family lawyer in Illinois" from Chicago is not answered by an attorney in Hammond, Indiana, twenty minutes
    away: the bar, the courts and licences stop at the state line (before engine m13 it read as the same metro)."""
    need = ("Chicago, IL", "Need a family lawyer in Illinois to modify our parenting schedule.")
    hammond = ("Hammond, IN", "Family law attorney in Hammond, Indiana: custody and parenting time.")
    evanston = ("Evanston, IL", "Family law attorney: custody and parenting time.")
    assert place_fit(Place.of(*need), Place.of(*hammond)) == (
        SAME_STATE,
        "outside Illinois, where one side says it applies",
    )
    assert place_fit(Place.of(*need), Place.of(*evanston))[0] == SAME_CITY
    # Only the need's words limit: the offer's state is where it is, not a border the need must keep.
    assert place_fit(Place.of(*evanston), Place.of(*need))[0] == SAME_CITY
    assert place_fit(Place.of("Chicago, IL", "custody help"), Place.of(*hammond))[0] == SAME_METRO
    # "Remote is fine" still lifts it, as remote work does anywhere.
    remote = ("Chicago, IL", "A tax preparer in Illinois; remote is fine.")
    assert place_fit(Place.of(*remote), Place.of(*hammond)) == (0.85, "remote")
    # Listed states count: "licensed in Indiana or Illinois".
    assert Place.of("Chicago, IL", "A nurse practitioner licensed in Indiana or Illinois").stated == ("IL",)
    # So does the state as the qualifier of whom the need asks for, or of a licence, and a city beside it does not
    # take it back.
    probate = ("Chicago, IL", "Mom left a house in Chicago. I need an Illinois probate lawyer, and fast.")
    assert Place.of(*probate).stated == ("IL",)
    assert place_fit(Place.of(*probate), Place.of("Hammond, IN", "Probate attorney, flat fees"))[0] == SAME_STATE
    assert Place.of("Houston, TX", "The bank wants a Texas-licensed appraiser for the condo").stated == ("TX",)
    assert Place.of("Lyon, France", "Looking for an English-speaking notary in Lyon").stated == ()


@pytest.mark.parametrize(
    ("home", "text"),
    [
        ("Spokane, WA", "Pilot thinking of a summer flying in Alaska; want to talk to someone who has done it."),
        ("Little Rock, AR", "Looking for vendors who know the Arkansas Valley outfitters."),
        ("Philadelphia, PA", "Frontend roles in Florida or remote."),
        ("Chicago, IL", "Illinois nonprofit looking for a grant writer."),
    ],
)
def test_a_state_away_from_home_or_named_as_a_modifier_sets_no_border(home: str, text: str) -> None:
    """A state away from home is a destination or a topic, and one not placed by "in", "across" … a modifier."""
    assert Place.of(home, text).stated == ()


@pytest.mark.parametrize(
    ("text", "kept_to"),
    [
        ("Speech therapist, home visits. Licensed in Oregon only.", ["OR"]),
        ("Flat-fee wills for Nevada residents only", ["NV"]),
        ("I only take cases in Iowa and Nebraska", ["IA", "NE"]),
        ("Bookkeeper for food trucks; Arizona, Utah and Colorado only.", ["AZ", "UT", "CO"]),
        ("Support engineer, fully remote within the US", ["US"]),
        ("Copy desk shifts, remote anywhere in the United Kingdom", ["GB"]),
        ("Open to remote roles in Canada only", ["CA-CA"]),
    ],
)
def test_a_text_that_keeps_to_a_state_or_country_names_it(text: str, kept_to: list[str]) -> None:
    assert [r.state or r.country for r in Place.of("", text).only] == kept_to


@pytest.mark.parametrize(
    "text",
    [
        "Texas only allows a few of these permits a year",  # "only" of the verb, not of the state
        "We work not only in Ohio but across the Midwest",
        "The only cidery in Vermont that presses to order",
        "Licensed in Indiana or Illinois",  # where it is licensed, not a refusal of the rest
        "I live in Ohio, remote clients only",  # "only" of the clients
        "Tampa, FL only",  # a city is no limit here
        "Remote, evenings Japan time only.",  # working hours, not a place
        "Freelance, Singapore working hours only.",
    ],
)
def test_only_of_something_else_is_no_limit(text: str) -> None:
    assert Place.of("", text).only == ()


def test_a_limit_one_side_keeps_rules_out_the_other_when_it_lies_outside() -> None:
    """A therapist licensed in one state cannot see a client across the line by video, and a job remote within one
    country does not hire abroad: the pair is ruled out, with the limit named (engine m15)."""
    client = Place.of("Cherry Hill, NJ", "Looking for a speech therapist for my son, video sessions are fine")
    therapist = Place.of("Philadelphia, PA", "Speech therapist by telehealth. Licensed in Pennsylvania only.")
    assert place_fit(client, therapist) == (0.0, "only in Pennsylvania, and the need is elsewhere")
    # Without the limit the two read as one metro area.
    assert place_fit(client, Place.of("Philadelphia, PA", "Speech therapist by telehealth."))[0] == SAME_METRO
    # A client inside the state, or one who names a place there, is not ruled out; nor is one who names no place.
    assert place_fit(Place.of("Erie, PA", "speech therapist for my son"), therapist)[0] > 0
    assert place_fit(Place.of("", "speech therapist for my son"), therapist)[0] > 0
    seeker = Place.of("Nairobi, Kenya", "Recruiter looking for remote work")
    job = Place.of("", "Hiring a recruiter, fully remote within the US")
    assert place_fit(seeker, job) == (0.0, "only in the United States, and the need is elsewhere")
    assert place_fit(Place.of("Denver, CO", "Recruiter looking for remote work"), job) == (REMOTE_FLOOR, "remote")
    # A need's limit binds where the offer's work is done: a remote job passes it, one on site elsewhere does not.
    ohio = Place.of("Columbus, OH", "Welder looking for shop work in Ohio only")
    assert place_fit(ohio, Place.of("Louisville, KY", "Fab shop hiring welders"))[0] == 0.0
    assert place_fit(ohio, Place.of("Louisville, KY", "Remote welding inspector roles"))[0] == REMOTE_FLOOR


def test_a_side_that_is_moving_is_where_it_is_moving_to() -> None:
    moving = Place.of("Cincinnati (moving to Phoenix in August)", "Child life specialist, relocating to Phoenix.")
    at_home = Place.of("Cincinnati / NKY", "Child life specialist doing private visits in Cincinnati.")
    there = Place.of("Phoenix, AZ", "Child life manager at a Phoenix hospital.")
    assert place_fit(moving, there) == (1.0, "same city")
    assert place_fit(moving, at_home)[1] == "same country"
    assert Place.of("Tucson, AZ", "We're moving back to Denver next spring.").refs[0].city == "denver"


@pytest.mark.parametrize(
    "text",
    [
        "Moved to Denver in 2019 and love it.",  # a move made: home is where the location says
        "Thinking about a move to the States.",  # no place the gazetteer reads
        "Moving to remote work after ten years on site.",
        "Relocating to Tucson.",  # already there: the location names it too
    ],
)
def test_a_move_made_or_to_no_known_place_leaves_the_home_base(text: str) -> None:
    home = Place.of("Tucson, AZ", "")
    assert Place.of("Tucson, AZ", text).refs[0] == home.refs[0]


# Engine m20: a country served throughout, work at a distance offered beside visits, a seeker who will move, and
# cities abroad named in the text.


@pytest.mark.parametrize(
    ("offer_location", "offer", "need_location"),
    [
        ("Phoenix, AZ", "Bankruptcy paralegal support, nationwide, all by email", "Bangor, ME"),
        ("Scottsdale, AZ", "I broker veterinary practice sales and work in all 50 states", "Fargo, ND"),
        ("Winnipeg", "Payroll audits for charities, Canada-wide", "Halifax, NS"),
        ("Leeds", "Tax returns for landlords across the UK", "Truro, Cornwall"),
    ],
)
def test_a_country_served_throughout_is_as_near_as_remote_work(
    offer_location: str, offer: str, need_location: str
) -> None:
    fitted, note = place_fit(Place.of(need_location, "need help with this"), Place.of(offer_location, offer))
    assert fitted == REMOTE_FLOOR and note.startswith("serves all of")
    # and not beyond that country
    assert place_fit(Place.of("Auckland, New Zealand", "need help"), Place.of(offer_location, offer))[0] < REMOTE_FLOOR


def test_visits_beside_work_at_a_distance_offered_anywhere_are_no_insistence_on_being_there() -> None:
    trainer = Place.of("Calgary", "Horse trainer, Calgary area in person, video lessons anywhere")
    assert not trainer.onsite and trainer.remote
    assert Place.of("Denver, CO", "Mentor: Denver area in person, or Zoom").onsite is False
    assert Place.of("Denver, CO", "Mentoring in person only in Denver").onsite is True


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        ("Welder, happy to relocate for the right shop", True),
        ("Open to moving anywhere in the Midwest", True),
        ("I can relocate by spring", True),
        ("Not open to relocating; Tulsa only", False),
        ("I can't relocate, kids in school", False),
        ("We help families relocate to Ohio", False),  # a service, not the speaker's move
        ("Optometrist, open to moving to San Antonio for the right practice", False),  # a move to one place
        # (m29) the speaker's own "I'll move", at the end of a clause or for work; never a mover's service
        ("Need a company that will transfer my visa — I'll move.", True),
        ("Firmware engineer; I can move for the right role", True),
        ("I can move your piano on Saturday", False),
        ("Man with a van: we can move a one-bedroom flat", False),
        ("I'll move to Denver in May", False),  # a move to one place
    ],
)
def test_a_seeker_who_will_move_is_read(text: str, moves: bool) -> None:
    assert Place.of("Tulsa, OK", text).relocates is moves


def test_a_seeker_who_will_move_is_not_ruled_out_by_a_job_on_site_elsewhere() -> None:
    job = Place.of("Denver, CO", "Hiring a welder, on site in Denver")
    assert place_fit(Place.of("Tulsa, OK", "Welder, happy to relocate for the right shop"), job)[0] == REMOTE_FLOOR
    assert place_fit(Place.of("Tulsa, OK", "Welder looking for steady work"), job)[0] == 0.0


def test_a_city_abroad_named_in_the_text_is_one_of_its_places() -> None:
    from givefirst.domain.world_places import text_places_abroad

    assert [r.country for r in text_places_abroad("Looking for an aquarist role in Doha or Muscat")] == ["QA", "OM"]
    assert text_places_abroad("Fluent in Python and experienced in Power BI") == ()
    assert text_places_abroad("Open-water guide in Florida") == ()  # the gazetteer's own


def test_a_city_named_in_the_text_with_the_home_base_s_name_is_the_home_base_s() -> None:
    """ "After school in Bath" from Bath, Maine is that Bath, not GeoNames' most populous one (m20)."""
    tutor = Place.of("Bath, Maine", "In-person Latin tutoring for high schoolers in Bath and Brunswick")
    assert all(r.country == "US" for r in tutor.refs)
    parent = Place.of("Bath, UK", "Looking for an in-person Latin tutor for my son, after school in Bath")
    assert place_fit(parent, tutor)[0] == 0.0


# m21: a state's code in a sentence counts only where it is written as a place.
@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("Bookkeeper wanted on site. AP, AR, inventory counts.", []),  # accounts payable and receivable
        ("Board-certified MD, 20 years in family medicine", []),
        ("Licensed MD since 2009", []),
        ("Buying a house with a VA loan", []),
        ("Need annotators for a chest CT dataset", []),
        ("Central Valley SD transportation is hiring", []),  # a school district
        ("Looking for a US job that can hire me on a TN", []),  # a visa
        ("I live in Boise ID and work remotely", ["ID"]),
        ("Springfield, MO warehouse, on site", ["MO"]),
        ("Licensed in PA and NJ", ["PA", "NJ"]),  # (a code that is also a word, placed by "in")
        ("Licensed in WA, OR and ID", ["WA", "OR", "ID"]),
        ("Available in most states including FL, GA, TX, NY.", ["FL", "GA", "TX", "NY"]),
        ("TX-based team, on site", ["TX"]),
        ("Passed the NY bar in 2023", ["NY"]),
        ("Remote – TX", ["TX"]),
        ("NY/NJ only", ["NY", "NJ"]),
        ("Blast monitoring across central PA", ["PA"]),
        ("near Sioux Falls SD", ["SD"]),
        ("40 ewes in southern Chester County, PA", ["PA"]),  # a county and its state (m24)
        ("Orleans Parish, LA", ["LA"]),
        ("Jobs in LA and the Valley", ["CA"]),  # the city
    ],
)
def test_a_state_s_code_in_a_sentence_counts_only_where_it_is_written_as_a_place(text: str, states: list[str]) -> None:
    assert list(dict.fromkeys(r.state for r in find_places(text, prose=True) if r.state)) == states


def test_a_state_s_code_in_a_location_field_still_counts_alone() -> None:
    assert [r.state for r in find_places("TX")] == ["TX"]
    assert [r.state for r in find_places("MD")] == ["MD"]


def test_capitals_that_are_no_place_do_not_pair_two_bookkeepers_across_states() -> None:
    """The nineteenth set's false pair: "AP, AR" read as Arkansas put a Springfield, Missouri warehouse and a
    Springfield, Illinois bookkeeper "in Arkansas, where one side says it applies"."""
    need = Place.of("Springfield, MO", "Bookkeeper wanted on site 2 days/wk at our warehouse. AP, AR, inventory.")
    offer = Place.of("Springfield, IL", "Bookkeeper. I work on site at your office — AP/AR, payroll entry.")
    assert not need.regions and place_fit(need, offer)[0] == 0.0


@pytest.mark.parametrize(
    ("location", "text", "remote"),
    [
        ("Pietermaritzburg", "Bee removal from homes. Anywhere in KZN.", False),
        ("Tulsa, OK", "I'll come anywhere around town", False),
        ("Tulsa, OK", "I work from anywhere", True),
        ("Tulsa, OK", "Clients anywhere in the world", True),
        ("Paris", "Consulting anywhere in Europe", True),
        ("Tulsa, OK", "Telehealth for adults", True),
    ],
)
def test_anywhere_followed_by_a_place_is_a_local_reach_not_work_at_a_distance(
    location: str, text: str, remote: bool
) -> None:
    assert Place.of(location, text).remote is remote


def test_a_local_service_anywhere_in_its_region_is_far_from_a_need_abroad() -> None:
    bees = Place.of("Pietermaritzburg", "Beekeeping courses and live bee removal from homes. Anywhere in KZN.")
    assert place_fit(Place.of("Watkinsville, GA", "Want to start beekeeping this spring"), bees)[0] < 0.5


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Muralist based in Denver and I travel anywhere in Colorado.", "CO"),
        ("Certified interpreter; I take trials anywhere in the state.", "CO"),
        ("Statewide service, on site", "CO"),
    ],
)
def test_a_state_served_throughout_is_as_near_as_remote_work_to_anyone_in_it(text: str, state: str) -> None:
    offer = Place.of("Denver, CO", text)
    assert offer.reach_states == (state,)
    fit = place_fit(Place.of("Fort Collins, CO", "Need a muralist for a brewery wall"), offer)
    assert fit == (REMOTE_FLOOR, "serves all of Colorado")
    assert place_fit(Place.of("Cheyenne, WY", "Need a muralist"), offer)[0] < REMOTE_FLOOR


def test_anywhere_in_the_country_is_a_reach_of_the_country() -> None:
    for text in ("Consults by phone anywhere in the US.", "anywhere in the lower 48", "anywhere in the country"):
        assert Place.of("Nashville, TN", text).reach == ("US",), text


def test_a_seeker_after_work_in_another_country_wants_to_be_there() -> None:
    seeker = Place.of("Toronto, ON", "Genetic counsellor. Looking for a US job that can hire me on a TN.")
    assert seeker.seeks_in == ("US",)
    buffalo = Place.of("Buffalo, NY", "Our cancer center in Buffalo is hiring genetic counselors, on site.")
    assert place_fit(seeker, buffalo) == (REMOTE_FLOOR, "wants work in the United States")
    assert place_fit(seeker, Place.of("Toronto, ON", "Our Toronto clinic is hiring"))[0] < 0.5
    assert Place.of("Buffalo, NY", "Looking for a US job").seeks_in == ()  # at home: nothing to move for


def test_a_suburb_named_by_its_side_of_a_city_is_that_city() -> None:
    from givefirst.domain.world_places import home_places

    assert [r.city for r in home_places("Durban North")] == ["durban"]
    assert [r.country for r in home_places("Wellington, NZ")] == ["NZ"]  # a country in capitals
    assert [r.country for r in find_places("Flood crews anywhere in New England")] == ["US"]  # not England


def test_a_place_set_aside_is_no_place_the_statement_applies_in() -> None:
    """m22: "Not California" is where the need does not want its lawyer, not where it applies."""
    need = Place.of("Bend, OR", "Need an attorney licensed in Oregon. Not California — we've tried two there.")
    assert [r.state for r in need.regions] == ["OR"]
    assert [r.state for r in Place.of("Tulsa, OK", "Jobs anywhere in Texas or Ohio").regions] == ["TX", "OH"]


def test_a_need_naming_its_own_town_the_gazetteer_lacks_names_where() -> None:
    from givefirst.domain.location import names_home_town

    assert names_home_town("Wellington, FL", "A celebrant for my father's memorial in Wellington next month")
    assert not names_home_town("Wellington, FL", "A celebrant who writes the service with the family")


_NAMES = st.lists(st.text("abn .-'", min_size=1, max_size=6), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(_NAMES, st.lists(st.sampled_from(["ab", "ba", "n", "a.b", " ", ".", "-", "abn", "x"]), max_size=12))
def test_the_names_tree_matches_what_the_plain_alternation_matches(names: list[str], parts: list[str]) -> None:
    """The gazetteer's names as a tree (`longest_first`) match the same spans as the alternation longest first."""
    import re

    from givefirst.domain.gazetteer import longest_first

    text = "".join(parts + names[:2])
    plain = re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in sorted(set(names), key=len, reverse=True))
                       + r")(?![\w])")  # fmt: skip
    tree = re.compile(r"(?<![\w.])(" + longest_first(names) + r")(?![\w])")
    assert [m.span(1) for m in tree.finditer(text)] == [m.span(1) for m in plain.finditer(text)]


def test_the_gazetteer_s_tree_of_names_reads_every_name_alone() -> None:
    from givefirst.domain.gazetteer import _pattern, _table

    for name in _table():
        assert [m.group(1) for m in _pattern().finditer(f"in {name}, today")] == [name]


@pytest.mark.parametrize(
    ("text", "kept_to"),
    [
        ("Remote support role; you must live in the US", ["US"]),
        ("Applicants must be based in Texas", ["TX"]),
        ("Must be resident in Ireland to apply", ["IE"]),
        ("I live in Texas and love it", []),  # where the speaker lives: no rule for the other side
    ],
)
def test_where_whoever_answers_must_live_is_a_limit(text: str, kept_to: list[str]) -> None:
    """(m31) "You must live in the US" keeps to it, as "US only" does."""
    from givefirst.domain.gazetteer import limits
    from givefirst.domain.world_places import limits_abroad

    found = limits(text) + limits_abroad(text)
    assert [r.state or r.country.split("-")[0] for r in found] == kept_to


@pytest.mark.parametrize(
    ("text", "metro"),
    [
        ("Window cleaning for shopfronts — Denver metro only, early mornings.", "denver"),
        ("Mobile dog grooming, Phoenix area only", "phoenix"),
        ("I only work in Seattle, no travel", "seattle"),
        # not a limit: a list whose other names may be unknown, a negated "need to live in", a city's name alone
        ("Wedding florist, Portland and the Gorge only", ""),
        ("You don't need to live in Chicago to use our clinic", ""),
        ("Wedding florist in Portland, travelling anywhere in Oregon", ""),
    ],
)  # fmt: skip
def test_a_metro_area_said_with_only_is_a_limit(text: str, metro: str) -> None:
    """m34: "Twin Cities metro only" keeps a local service to its metro area; a need elsewhere is ruled out."""
    from givefirst.domain.gazetteer import limits

    kept = [ref.metro for ref in limits(text) if ref.metro]
    assert kept == ([metro] if metro else [])


def test_a_need_outside_a_metro_area_kept_to_is_ruled_out() -> None:
    offer = "Kitchen exhaust hood cleaning for restaurants, Twin Cities only. We work overnight."
    assert fit("Boise, ID", "Minneapolis, MN", "Need our restaurant's kitchen hood cleaned", offer) == 0.0
    assert fit("St. Paul, MN", "Minneapolis, MN", "Need our restaurant's kitchen hood cleaned", offer) > 0.85
    assert fit("Minnesota", "Minneapolis, MN", "Need a kitchen hood cleaned", offer) > 0.0  # (may be inside)
