"""Hand-written text the hub demo draws from: the association, its chapters, trades and how members write.

Needs and offers are templates in a member's own voice, filled per member ({city}, {tool}, {sector}, {n},
{month}); each trade has its own. The tables are kept one row a line for reading (`fmt: off`).
"""

from __future__ import annotations

from dataclasses import dataclass

ASSOCIATION = "Association of Procurement Professionals"
ASSOCIATION_SHORT = "AOP"
EMAIL_DOMAIN = "aop-demo.example"  # .example: no mail sent from the demo can reach anyone


@dataclass(frozen=True)
class ChapterSpec:
    key: str  # ny | nj | fl
    slug: str
    name: str
    region: str  # read by hub.domain.regions, one place per ";"
    timezone: str
    places: tuple[str, ...]  # where its members live and work
    venues: tuple[str, ...]  # where it meets
    members: int  # how many members the generator makes (the named ones included)


# fmt: off
CHAPTERS: tuple[ChapterSpec, ...] = (
    ChapterSpec("ny", "aop-new-york", "AOP New York",
                "New York, NY; Manhattan, NY; Brooklyn, NY; Queens, NY; The Bronx, NY; Staten Island, NY; "
                "Long Island, NY; Yonkers, NY; White Plains, NY; New York State",
                "America/New_York",
                ("New York, NY", "Brooklyn, NY", "Queens, NY", "Manhattan, NY", "The Bronx, NY", "Staten Island, NY",
                 "Yonkers, NY", "White Plains, NY", "Long Island, NY"),
                ("the Bowery Supply Co. loft, 210 Lafayette St", "Marlow & Finch, 5th floor, 45 W 21st St",
                 "Empire State Health auditorium, 1 Penn Plaza"), 120),
    ChapterSpec("nj", "aop-new-jersey", "AOP New Jersey",
                "New Jersey; Newark, NJ; Jersey City, NJ; Hoboken, NJ; Edison, NJ; Princeton, NJ; Paramus, NJ; "
                "New Brunswick, NJ; Morristown, NJ; Secaucus, NJ; Elizabeth, NJ",
                "America/New_York",
                ("Newark, NJ", "Jersey City, NJ", "Hoboken, NJ", "Edison, NJ", "Princeton, NJ", "Paramus, NJ",
                 "New Brunswick, NJ", "Morristown, NJ", "Secaucus, NJ", "Elizabeth, NJ"),
                ("Raritan Chemical visitor center, New Brunswick", "Liberty Port Services training room, Elizabeth",
                 "Harborside conference center, Jersey City"), 95),
    ChapterSpec("fl", "aop-florida", "AOP Florida",
                "Florida; Tampa, FL; St. Petersburg, FL; Clearwater, FL; Sarasota, FL; Orlando, FL; Miami, FL; "
                "Fort Lauderdale, FL; Lakeland, FL",
                "America/New_York",
                ("Tampa, FL", "St. Petersburg, FL", "Clearwater, FL", "Sarasota, FL", "Orlando, FL", "Miami, FL",
                 "Fort Lauderdale, FL", "Lakeland, FL"),
                ("Armature Works, Tampa", "Pinellas Precision Manufacturing, St. Petersburg",
                 "Oxford Exchange, Tampa"), 85),
)


@dataclass(frozen=True)
class Trade:
    key: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    tools: tuple[str, ...]
    needs: tuple[str, ...]
    offers: tuple[str, ...]


TRADES: tuple[Trade, ...] = (
    Trade("sourcing", ("sourcing", "procurement"),
          ("Strategic Sourcing Manager", "Category Manager, Indirect", "Senior Buyer"),
          ("Coupa", "Ariba", "Jaggaer", "Zip"),
          ("Running my first reverse auction for {sector} packaging next month. Anyone done one on {tool} who can "
           "walk me through the traps?",
           "Need a second opinion on a sole-source justification before it goes to our CFO.",
           "Looking for a benchmark on indirect spend savings targets in {sector}. Is {pct}% realistic in year one?",
           "Our tail spend is a mess: {n} suppliers under $5k each. How did you consolidate yours?"),
          ("I've run a dozen e-auctions on {tool}; happy to sit with anyone planning their first.",
           "Can review your RFP template and scoring matrix, 30 minutes over coffee in {city}.",
           "Glad to share my category strategy one-pager for indirect spend, no strings attached.",
           "I can explain should-cost modelling for {sector} packaging to anyone who has to negotiate it.")),
    Trade("logistics", ("logistics", "freight"),
          ("Transportation Manager", "Logistics Director", "Freight Broker"),
          ("project44", "MercuryGate", "Transplace", "FourKites"),
          ("Looking for a reliable LTL carrier out of {city} for pallets going to the Southeast.",
           "Our detention charges doubled this year. Anyone negotiated them down with a big carrier?",
           "Need an intro to someone who runs intermodal out of Port Newark.",
           "Evaluating {tool} against our home-grown tracking. Who has lived with it for a year?"),
          ("I know most of the regional LTL carriers in the Northeast and can tell you who actually answers the phone.",
           "Happy to look at your freight invoices and spot accessorial overcharges.",
           "Can introduce you to the dispatch leads at two drayage firms I trust around {city}.",
           "Ran the {tool} rollout at my last company: I'll tell you what the sales deck leaves out.")),
    Trade("planning", ("supply-chain", "forecasting"),
          ("Demand Planner", "S&OP Manager", "Supply Planning Lead"),
          ("Kinaxis", "o9", "Anaplan", "a spreadsheet"),
          ("Our demand forecast misses every promotion. Could someone look at our S&OP process and tell us why?",
           "Need an operations consultant to reset our S&OP and demand forecasting before peak season in {city}.",
           "Looking for someone who moved a distributor's demand planning off spreadsheets onto {tool}.",
           "Forecast accuracy is stuck below 60%. Who can review how we build the demand forecast?"),
          ("I can review your S&OP process and your demand forecast and show where the accuracy leaks.",
           "Happy to share the S&OP meeting agenda and templates we run every month.",
           "I'll walk you through how we moved demand planning from spreadsheets to {tool}.")),
    Trade("warehousing", ("warehousing", "fulfillment"),
          ("Warehouse Operations Manager", "Director of Fulfillment", "DC General Manager"),
          ("Manhattan WMS", "Blue Yonder", "ShipHero", "Locus robots"),
          ("Peak season is coming and I need {n} temp pickers near {city}. Which staffing agency delivered for you?",
           "Thinking of moving from paper picking to {tool}. Who can show me a floor that made the switch?",
           "Need short-term overflow space, about {n} pallet positions, near {city} until {month}.",
           "Looking for a slotting consultant who has done a small DC, not a Fortune 500 one."),
          ("Can host a walk-through of our DC so you see {tool} working on a real floor.",
           "I have a list of staffing agencies around {city} ranked by no-show rate. Happy to share it.",
           "I can help you size a mezzanine or a pick module before you call the integrators.",
           "Have spare racking (about {n} bays) to give away to a member who can pick it up.")),
    Trade("cold-chain", ("cold-chain", "food-safety"),
          ("Cold Chain Manager", "Food Safety Lead", "Quality Director"),
          ("Sensitech loggers", "TempTrak", "FoodLogiQ"),
          ("Need a reefer carrier I can trust for a new frozen SKU shipping from {city}.",
           "Preparing for our first FSMA audit. Anyone willing to do a mock walk-through?",
           "Looking for someone who has validated temperature loggers like {tool} for pharma lanes."),
          ("I've been through three FSMA audits; I can run a mock audit of your receiving dock.",
           "Happy to share our cold-chain SOPs and excursion playbook.",
           "Can introduce you to the quality team at a public cold storage near {city}.")),
    Trade("contracts", ("contracts", "legal"),
          ("Contracts Manager", "Procurement Counsel", "Commercial Attorney"),
          ("Ironclad", "DocuSign CLM", "ContractWorks"),
          ("Need someone to sanity-check an indemnity clause a SaaS vendor refuses to change.",
           "Looking for a plain-English MSA template for small {sector} suppliers.",
           "Our contracts live in shared drives. Anyone moved to {tool} with fewer than five people in legal?"),
          ("I can review one supplier contract a month for a member, pro bono, focused on liability caps.",
           "Happy to teach a lunch-and-learn on limitation of liability and indemnities.",
           "I have a clean MSA and SOW template for services under $250k that I can share.")),
    Trade("saas", ("it-procurement", "software"),
          ("IT Procurement Lead", "Software Asset Manager", "Vendor Manager, Technology"),
          ("Vendr", "Zylo", "Flexera", "Tropic"),
          ("Our Salesforce renewal is in {month} and they want {pct}% more. Who has negotiated with them recently?",
           "Need help building a SaaS inventory; finance thinks we pay for {n} tools, I suspect double.",
           "Anyone have a good data-processing addendum checklist for AI vendors?"),
          ("I've negotiated Microsoft, Salesforce and Workday renewals; happy to share what moved them.",
           "Can show you how we found {n} unused licences with {tool} in a week.",
           "I'll walk you through our security questionnaire for new software vendors.")),
    Trade("healthcare", ("healthcare", "supply-chain"),
          ("Value Analysis Manager", "Director of Supply Chain, Hospital", "Clinical Sourcing Lead"),
          ("Vizient", "Premier", "GHX"),
          ("Looking for a value analysis committee charter that actually gets clinicians to show up.",
           "Need a second source for exam gloves after our backorder; who are you buying from now?",
           "Anyone know someone at a GPO who can explain tier pricing on {tool} contracts?"),
          ("I chair a value analysis committee and can share our charter and meeting templates.",
           "Happy to introduce you to two glove distributors who kept us supplied during the shortage.",
           "I can explain GPO tiers and admin fees to anyone new to hospital purchasing.")),
    Trade("manufacturing", ("manufacturing", "lean"),
          ("Plant Manager", "Continuous Improvement Lead", "Production Planner"),
          ("Plex", "Epicor", "Tulip"),
          ("Need a machine shop near {city} that can turn around small aluminium runs in two weeks.",
           "Looking for someone who set up a kanban with suppliers, not just on the floor.",
           "Our OEE numbers look too good to be true. Who can help me audit how we compute them?"),
          ("I can run a half-day value stream mapping session for your team.",
           "Happy to host a plant tour for members and show our supplier kanban.",
           "I know three good contract manufacturers around {city} and will make the intro.")),
    Trade("finance", ("finance", "accounts-payable"),
          ("AP Manager", "Fractional CFO", "Procure-to-Pay Lead"),
          ("Tipalti", "Bill.com", "NetSuite", "Stampli"),
          ("We pay {n} invoices a month by hand. Who automated AP at a company our size?",
           "Need help building a business case for early-payment discounts.",
           "Looking for a fractional controller for a {sector} startup near {city}, two days a week."),
          ("I can model your early-payment discount programme in a spreadsheet you keep.",
           "Happy to review your three-way match process and find where it leaks.",
           "Glad to mentor someone moving from AP into procurement; I made that move myself.")),
    Trade("analytics", ("analytics", "data"),
          ("Procurement Analytics Lead", "Spend Analyst", "Data Scientist, Supply Chain"),
          ("Power BI", "Tableau", "Sievo", "SQL"),
          ("Need help cleaning supplier master data: {n} vendors, lots of duplicates.",
           "Looking for a spend cube example in {tool} that a CPO would actually read.",
           "Anyone built a supplier risk score they trust? Mine flags everyone."),
          ("I can build you a first spend cube in {tool} from an AP extract, in an afternoon.",
           "Happy to teach SQL basics to procurement folks, evenings in {city}.",
           "I'll share my supplier deduplication script and explain how to run it.")),
    Trade("erp", ("erp", "systems"),
          ("ERP Program Manager", "SAP MM Consultant", "Business Systems Analyst"),
          ("SAP S/4HANA", "Oracle Cloud", "Microsoft Dynamics", "Infor"),
          ("We go live on {tool} in {month}. Anyone willing to share their cut-over checklist?",
           "Need a consultant who knows {tool} purchasing configuration, a few days only.",
           "Looking for someone who has survived an ERP go-live as the procurement lead."),
          ("I've done four {tool} go-lives; happy to review your cut-over plan.",
           "Can explain purchase requisition approval workflows in {tool} to anyone fighting them.",
           "I'll be a sounding board for a member about to select an ERP.")),
    Trade("diversity", ("supplier-diversity", "small-business"),
          ("Supplier Diversity Manager", "Small Business Liaison", "Owner, minority-owned supplier"),
          ("NMSDC", "WBENC", "supplier.io"),
          ("Looking for certified minority-owned janitorial suppliers in {city}.",
           "Need advice on getting our small firm {tool}-certified; the paperwork is overwhelming.",
           "Our diverse spend is {pct}% and the board wants 15%. Who has moved that needle?"),
          ("I can walk a small business through {tool} certification step by step.",
           "Happy to introduce diverse suppliers to buyers in {sector} around {city}.",
           "I'll share our tier-2 diversity reporting template.")),
    Trade("sustainability", ("sustainability", "esg"),
          ("Sustainability Manager", "ESG Procurement Lead", "Packaging Engineer"),
          ("EcoVadis", "CDP", "Watershed"),
          ("Need a supplier who can do compostable packaging at {n} units a month.",
           "Looking for help with Scope 3 supplier data; our suppliers ignore the {tool} survey.",
           "Anyone run a packaging redesign that cut both cost and plastic?"),
          ("I can help you design a supplier sustainability survey people actually fill in.",
           "Happy to share what we learned moving {n} SKUs to recycled packaging.",
           "I'll explain {tool} scores to anyone whose customers now ask for them.")),
    Trade("trade", ("customs", "trade-compliance"),
          ("Trade Compliance Manager", "Licensed Customs Broker", "Import Manager"),
          ("ACE portal", "Descartes", "Amber Road"),
          ("Need a customs broker who handles small importers out of {city} without huge minimums.",
           "Looking for someone who has filed a tariff exclusion request recently.",
           "Anyone know how to classify a kit with mixed HTS codes? Our broker and I disagree."),
          ("I'm a licensed customs broker; I can answer HTS classification questions for members.",
           "Happy to review your import process for first sale valuation savings.",
           "I can teach the basics of Incoterms to a team in an hour, with examples that bite.")),
    Trade("negotiation", ("negotiation", "training"),
          ("Negotiation Coach", "Procurement Trainer", "Head of Procurement Excellence"),
          ("role plays", "BATNA worksheets", "Harvard method"),
          ("Need a negotiation trainer for a team of {n} buyers, budget is tight.",
           "Looking for a sparring partner to rehearse a tough supplier negotiation next week.",
           "Anyone have a good price increase rebuttal playbook?"),
          ("I'll rehearse a negotiation with you: I play the supplier, and I'm not nice.",
           "Happy to run a free lunch-and-learn on {tool} for a chapter member's team.",
           "I can share my playbook for answering supplier price increase letters.")),
    Trade("careers", ("careers", "hiring"),
          ("Procurement Recruiter", "Talent Partner, Supply Chain", "Career Coach"),
          ("LinkedIn Recruiter", "informational interviews", "salary benchmarks"),
          ("I'm between roles and looking for a category manager job in {sector} around {city}.",
           "Need a mock interview for a Director of Procurement role next week.",
           "Hiring a junior buyer in {city}. Who knows someone early in their career and hungry?",
           "Looking for a mentor who moved from buyer to CPO."),
          ("I can review your resume for procurement roles and tell you what hiring managers skip.",
           "Happy to do mock interviews for sourcing and category roles.",
           "I know who is hiring buyers in {sector} around {city} this quarter; ask me.",
           "I'll share current salary bands for procurement roles in the tri-state area and Florida.")),
    Trade("public", ("public-sector", "bids"),
          ("Public Procurement Officer", "Bid Manager", "Government Contracts Specialist"),
          ("SAM.gov", "BidNet", "state cooperative contracts"),
          ("Our small firm wants to bid on city contracts in {city}. Where do we even start?",
           "Need someone to read our first RFP response before it goes in on {month} 15.",
           "Looking for a teaming partner for a state IT services bid."),
          ("I spent ten years buying for a county; I'll explain how evaluators actually score bids.",
           "Happy to show small businesses how to register on {tool} and find the right notices.",
           "I can review one public bid response a month for a member.")),
    Trade("facilities", ("facilities", "construction"),
          ("Facilities Manager", "Construction Procurement Manager", "Real Estate Operations Lead"),
          ("Procore", "ServiceChannel", "FM:Systems"),
          ("Need an HVAC contractor near {city} who shows up for preventive maintenance.",
           "Looking for someone who negotiated a janitorial contract with real SLAs.",
           "We are fitting out a {n}-seat office. Who can recommend a furniture dealer that doesn't upsell?"),
          ("I can share our facilities services SLA templates, with the penalties that worked.",
           "Happy to recommend contractors around {city} I have used for years.",
           "I'll walk you through how we bid out our facilities maintenance on {tool}.")),
    Trade("marketing", ("marketing", "design"),
          ("Marketing Procurement Lead", "Brand Designer", "Agency Owner"),
          ("Canva", "Figma", "Adobe"),
          ("Need a designer to redo our chapter newsletter template; we have a small budget.",
           "Looking for help writing a case study about our supplier day.",
           "Anyone have a good statement of work for agency retainers?"),
          ("I can design a one-page flyer or newsletter header for a member's small business.",
           "Happy to review an agency SOW and spot where retainers leak money.",
           "I'll take headshots at the next chapter meeting for anyone who asks.")),
    Trade("risk", ("risk", "resilience"),
          ("Supply Risk Manager", "Business Continuity Lead", "Insurance Broker"),
          ("Resilinc", "Everstream", "Interos"),
          ("Need a hurricane-season supplier continuity plan template for our {city} site.",
           "Looking for someone who mapped tier-2 suppliers without buying {tool}.",
           "Anyone dealt with a supplier bankruptcy mid-contract? What did you wish you'd known?"),
          ("I can help you write a supplier continuity plan for hurricane season.",
           "Happy to share how we map tier-2 suppliers with a spreadsheet and a few calls.",
           "I'll explain what business interruption insurance actually covers for supply failures.")),
    Trade("food", ("food", "beverage"),
          ("Food Buyer", "Purchasing Manager, Restaurants", "Beverage Category Manager"),
          ("Sysco", "US Foods", "local co-ops"),
          ("Looking for a local produce supplier for a {n}-seat restaurant group around {city}.",
           "Need help renegotiating our broadline distributor agreement with {tool}.",
           "Anyone know a co-packer for a small beverage brand?"),
          ("I know the broadline distributor contracts inside out and can review yours.",
           "Happy to introduce you to farmers and co-ops around {city} that sell to restaurants.",
           "I'll share our menu costing spreadsheet with anyone opening a restaurant.")),
    Trade("pharma", ("pharma", "life-sciences"),
          ("Clinical Supply Manager", "Pharma Procurement Lead", "GMP Quality Auditor"),
          ("Veeva", "TrackWise", "CMO audits"),
          ("Need a qualified CMO for a small batch of oral solids; our usual one is booked until {month}.",
           "Looking for someone who audited a supplier against GMP for the first time recently.",
           "Anyone set up a clinical trial supply chain on a startup budget?"),
          ("I can prepare you for a supplier GMP audit, checklist and all.",
           "Happy to introduce you to CMO business development people I trust.",
           "I'll explain clinical supply forecasting to anyone starting a trial.")),
    Trade("fleet", ("fleet", "transportation"),
          ("Fleet Manager", "Transportation Procurement Lead", "EV Fleet Consultant"),
          ("Samsara", "Geotab", "fuel cards"),
          ("Considering electric vans for last-mile in {city}. Anyone piloted them?",
           "Need a better fuel card deal for a fleet of {n} trucks.",
           "Looking for someone who set up telematics with {tool} without a driver revolt."),
          ("I can show you our EV van pilot numbers, honest ones.",
           "Happy to review your fleet leasing contract for the usual traps.",
           "I'll introduce you to a fleet maintenance shop around {city} that does fair pricing.")),
    Trade("events", ("events", "hospitality"),
          ("Meetings & Events Buyer", "Hotel Sales Director", "Event Planner"),
          ("Cvent", "hotel group contracts", "attrition clauses"),
          ("Looking for a venue in {city} for {n} people for our supplier day in {month}.",
           "Need help reading a hotel contract's attrition clause before I sign.",
           "Anyone know a caterer who does good food for under $30 a head?"),
          ("I can negotiate hotel room blocks and know where attrition clauses bite.",
           "Happy to recommend venues in {city} for chapter events, with honest prices.",
           "I'll review your event contract before you sign it.")),
)

SECTORS = (
    "healthcare", "food and beverage", "pharma", "retail", "manufacturing", "public sector", "higher ed",
    "hospitality", "construction", "e-commerce", "logistics", "financial services",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# How members actually write: a few openers and closers around the trade's sentence.
NEED_OPENERS = ("", "", "", "Quick one: ", "Help! ", "Hi all, ", "Asking for my team: ", "Long shot, but ",
                "Hello chapter, ", "Two-part ask. ", "Urgent-ish: ")
NEED_CLOSERS = ("", "", "", " Coffee's on me.", " Happy to return the favour.", " Even a name would help.",
                " Thanks in advance!", " Message me here.", " Deadline is tight.", " Will report back.",
                " Any pointer welcome.")
OFFER_OPENERS = ("", "", "", "Giving back: ", "If it helps: ", "Standing offer: ", "Paying it forward: ",
                 "For newer members: ")
OFFER_CLOSERS = ("", "", "", " Just ask.", " No charge for members.", " Evenings work best for me.",
                 " Happy to do it over video.", " Weekends too.", " First come, first served.",
                 " Grab me at the next meeting.")

HEADLINES = (
    "{title} at {org}", "{title}, {org}", "{title} · {sector}", "{title} ({org}), {city}",
)
SUFFIXES = (" LLC", " Group", " Partners", " Co.", " Inc.", " Supply", " Services", " Consulting")
ORG_WORDS = (
    "Hudson", "Harbor", "Liberty", "Summit", "Keystone", "Bayside", "Meridian", "Atlas", "Beacon", "Crescent",
    "Palmetto", "Gulfstream", "Garden State", "Empire", "Coastal", "Northgate", "Riverbend", "Ironbound",
    "Suncoast", "Palisade", "Raritan", "Pinellas", "Seaport", "Cypress",
)
# fmt: on

MEETING_TITLES = (
    "{chapter} monthly meeting: {topic}",
    "{chapter} breakfast: {topic}",
)
MEETING_TOPICS = (
    "supplier negotiations in an inflationary year",
    "what AI changes in sourcing (and what it doesn't)",
    "resilient supply chains after a hurricane season",
    "give-first night: bring one need, one offer",
    "from buyer to category leader",
    "year-end roundtable and holiday giving",
)
CONVERSATION_NOTES = (
    "Talked about her RFP; I'll send my scoring matrix.",
    "He needs a carrier out of Newark; I know two.",
    "Swapped notes on renewal negotiations.",
    "She might hire a junior buyer: I'll send names.",
    "Promised an intro to our AP automation vendor.",
    "Compared hurricane continuity plans.",
    "He offered a DC tour for my team.",
    "Talked careers; coffee next week.",
)
INTRO_MESSAGES = (
    "{seeker}, meet {helper}: you asked about this on the board and {helper} has done it.",
    "You two should talk — {helper} offered exactly what you need.",
    "Introducing you after tonight's meeting; both of you mentioned the same problem.",
)
OUTCOME_NOTES = {
    "helped": ("Saved us weeks.", "Great call, exactly what I needed.", "Two good names, one already called back."),
    "hired": ("We signed them for the project.", "Hired for three months.", "They start in January."),
    "no_thanks": ("Not the right fit this time.", "We went another way, thanks anyway."),
}
