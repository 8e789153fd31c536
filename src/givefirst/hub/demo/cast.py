"""The hand-written members of the hub demo: the story's people, from the personal demo's network.

Jordan Reyes, an independent operations consultant in Brooklyn sponsored into AOP New York by its lead Harold
Brennan, is moving to Tampa: the hub should hand Jordan to AOP Florida (whose lead is Fiona McAllister and where
Marcus Bell already is) while still showing where Jordan can help in New York. The other members are generated
(`scenario`); these are the ones the printed logins and the README's walk-through use.
"""

from __future__ import annotations

from dataclasses import dataclass

# (text, tags, visibility, location; None: the member's own)
Said = tuple[str, tuple[str, ...], str, str | None]


@dataclass(frozen=True)
class CastMember:
    key: str
    name: str
    chapter: str
    role: str
    location: str
    trade: str
    title: str
    org: str
    joined_days_ago: int
    sponsor: str | None = None
    needs: tuple[Said, ...] = ()
    offers: tuple[Said, ...] = ()
    moving_to: str | None = None
    moving_in_days: int | None = None


MOVER = "jordan"
ADMIN = "rachel"

# fmt: off
CAST: tuple[CastMember, ...] = (
    CastMember("harold", "Harold Brennan", "ny", "lead", "New York, NY", "healthcare", "VP Supply Chain",
               "Empire State Health", 2900,
               needs=(("Looking for a speaker on hospital supply resilience for our spring meeting.",
                       ("healthcare", "events"), "chapter", None),),
               offers=(("I chair our value analysis committee; I'll share the charter and templates with anyone "
                        "starting one.", ("healthcare", "supply-chain"), "association", None),)),
    CastMember("rachel", "Rachel Okafor", "ny", "admin", "New York, NY", "careers", "Managing Partner",
               "Okafor Advisory", 3400,
               offers=(("I mentor two members a year moving into leadership roles; ask me about the next round.",
                        ("careers", "leadership", "mentoring"), "association", None),)),
    CastMember("grace", "Grace Liu", "ny", "lead", "Queens, NY", "analytics", "Senior Manager, S&OP",
               "Greenpoint Manufacturing", 2100, sponsor="harold"),
    CastMember(MOVER, "Jordan Reyes", "ny", "member", "Brooklyn, NY", "logistics", "Independent Operations Consultant",
               "Reyes Operations", 1700, sponsor="harold",
               needs=(("Moving to Tampa in January: looking for manufacturers or distributors in Tampa Bay who need "
                       "an operations consultant for S&OP or warehouse projects.",
                       ("consulting", "supply-chain", "tampa"), "association", "Tampa, FL"),
                      ("Need an accountant in Tampa who understands independent consultants moving from New York.",
                       ("finance", "tax", "tampa"), "association", "Tampa, FL")),
               offers=(("I can review your S&OP process and demand forecast, twelve years in distribution "
                        "operations. Happy to do it for a member's team this month.",
                        ("supply-chain", "forecasting", "logistics"), "association", None),
                       ("I'll introduce anyone to Hartwell Logistics alumni in warehousing and transportation.",
                        ("logistics", "warehousing"), "association", None),
                       ("From January I'm in Tampa and available for consulting: S&OP resets, demand forecasting "
                        "reviews and warehouse projects for Tampa Bay distributors and manufacturers.",
                        ("supply-chain", "forecasting", "consulting", "tampa"), "association", "Tampa, FL")),
               moving_to="Tampa, FL", moving_in_days=40),
    CastMember("ben", "Ben Adler", "ny", "member", "New York, NY", "sourcing", "Principal", "Adler Ops Partners",
               1500),
    CastMember("luis", "Luis Ortega", "nj", "lead", "New Brunswick, NJ", "manufacturing", "Plant Manager",
               "Raritan Chemical", 2600,
               offers=(("I host a plant tour every quarter for members: supplier kanban, changeovers, the lot.",
                        ("manufacturing", "lean"), "association", None),)),
    CastMember("nadia", "Nadia Haddad", "nj", "lead", "Hoboken, NJ", "finance", "Fractional CFO",
               "Haddad Finance Partners", 2000),
    CastMember("kenji", "Kenji Watanabe", "nj", "member", "Jersey City, NJ", "warehousing",
               "Director of Fulfillment", "Parcelwise", 1900, sponsor="luis"),
    CastMember("fiona", "Fiona McAllister", "fl", "lead", "St. Petersburg, FL", "manufacturing", "VP Operations",
               "Pinellas Precision Manufacturing", 1200,
               needs=(("We are looking for an operations consultant for a six-week S&OP reset in St. Pete, "
                       "starting in February.", ("supply-chain", "consulting", "forecasting"), "association",
                       None),)),
    CastMember("rosa", "Rosa Delgado", "fl", "lead", "Miami, FL", "negotiation", "Bilingual Safety & Lean Trainer",
               "Independent", 900),
    CastMember("marcus", "Marcus Bell", "fl", "member", "Tampa, FL", "logistics", "Operations Manager",
               "Suncoast Distributors", 700, sponsor="fiona",
               offers=(("Moving to Tampa Bay? I'll show you around and introduce you to the logistics crowd "
                        "here: 3PLs, the port, the good recruiters.", ("logistics", "tampa", "relocation"),
                        "association", None),)),
    CastMember("priya", "Priya Natarajan", "nj", "member", "Princeton, NJ", "pharma", "Clinical Supply Manager",
               "Garden State Pharma", 25, sponsor="nadia",
               needs=(("New here! Need a qualified CMO for a small batch of oral solids; our usual one is booked "
                       "until spring.", ("pharma", "life-sciences"), "chapter", None),)),
)

# Needs written so that no offer in the demo answers them: the lead's dashboard lists them as open too long.
ORPHAN_NEEDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Need someone who speaks Portuguese and knows Brazilian customs for a supplier visit to São Paulo.",
     ("customs", "brazil")),
    ("Looking for a helium supplier that can guarantee allocation through next year.", ("helium", "allocation")),
    ("Anyone have experience buying used semiconductor test equipment at auction?", ("semiconductors", "auctions")),
    ("Need a bonded warehouse for wine in Florida with a federal permit already in place.", ("wine", "bonded")),
)
# fmt: on
