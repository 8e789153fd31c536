"""Hand-written text tables the demo scenario draws from: names, organizations, titles, phrasing.

The tables are kept one row a line for reading; the formatter leaves them alone (`fmt: off`).
"""

from __future__ import annotations

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Aaliyah", "Abdul", "Adaeze", "Adrian", "Agnieszka", "Alejandro", "Alicia", "Amara", "Amir", "Ana",
    "Andre", "Angela", "Anjali", "Annika", "Ariel", "Arturo", "Beatriz", "Bilal", "Bogdan", "Brandon",
    "Caleb", "Camila", "Carlos", "Catherine", "Cedric", "Chen", "Chiara", "Christopher", "Claire", "Daniela",
    "Darius", "Deepa", "Desmond", "Diego", "Dmitri", "Donna", "Ebony", "Eduardo", "Eleni", "Elijah",
    "Emeka", "Emily", "Esther", "Ethan", "Farah", "Fatima", "Felipe", "Francesca", "Frank", "Gabriel",
    "Gerald", "Gloria", "Hassan", "Helen", "Hiroshi", "Hyun-woo", "Ibrahim", "Imani", "Irene", "Isabel",
    "Ivan", "Jacqueline", "Javier", "Jenna", "Jerome", "Joanna", "Jonah", "Julian", "Karim", "Katarzyna",
    "Keith", "Kevin", "Kwame", "Lakshmi", "Laura", "Leah", "Lorraine", "Lucas", "Lucia", "Malik",
    "Manuel", "Maria", "Mariana", "Marisol", "Matthew", "Maya", "Mei", "Michael", "Miguel", "Mina",
    "Monique", "Nathan", "Neha", "Nicole", "Nikhil", "Nkechi", "Noah", "Olga", "Olivia", "Oscar",
    "Patrick", "Pooja", "Rafael", "Ramon", "Rashid", "Rebecca", "Renee", "Ricardo", "Rohan", "Ruth",
    "Ryan", "Salma", "Samantha", "Sanjay", "Santiago", "Seo-yeon", "Shira", "Simone", "Stephen", "Sunil",
    "Tamika", "Tariq", "Teresa", "Thanh", "Theo", "Tunde", "Valentina", "Vanessa", "Vikram", "Xavier",
    "Yara", "Yuki", "Zainab", "Zoe",
)

LAST_NAMES: tuple[str, ...] = (
    "Abbott", "Acheampong", "Agarwal", "Alvarado", "Andersen", "Baptiste", "Barnes", "Becker", "Bhatt",
    "Boateng", "Cabrera", "Caldwell", "Castillo", "Chaudhry", "Chen", "Coleman", "Costa", "Cruz", "Dawson",
    "DeLuca", "Diaz", "Dimitriou", "Donovan", "Duarte", "Edwards", "Espinoza", "Farouk", "Ferreira",
    "Flores", "Foster", "Friedman", "Gallo", "Garcia", "Gupta", "Hall", "Hernandez", "Hoffman", "Horowitz",
    "Huang", "Ibrahim", "Iyer", "Jackson", "Jensen", "Johnson", "Kaplan", "Kaur", "Kowalski", "Kruger",
    "Lam", "Lee", "Lewis", "Lindqvist", "Lopez", "Lowe", "Maldonado", "Marino", "Marshall", "Martinez",
    "Mensah", "Miller", "Mitchell", "Molina", "Morales", "Moreno", "Murphy", "Nakamura", "Novak", "Nwosu",
    "O'Brien", "Ocampo", "Okonkwo", "Oliveira", "Ortiz", "Park", "Pereira", "Petrov", "Phillips", "Quinn",
    "Ramirez", "Reddy", "Richardson", "Rivera", "Robinson", "Romero", "Rosen", "Ruiz", "Saito", "Sanchez",
    "Santos", "Schmidt", "Shah", "Shapiro", "Silva", "Singh", "Sokolov", "Sullivan", "Tanaka", "Taylor",
    "Torres", "Tran", "Turner", "Vargas", "Vega", "Walker", "Washington", "Weiss", "Williams", "Wong",
    "Wright", "Yilmaz", "Young", "Zamora", "Zielinski",
)

# organization -> (email domain without ".example", locations its people work from)
ORGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Hartwell Logistics": ("hartwell-logistics", ("Secaucus, NJ", "Jersey City, NJ", "Newark, NJ", "New York, NY")),
    "Reyes Consulting": ("reyesconsulting", ("Brooklyn, NY",)),
    # New York
    "Bowery Supply Co.": ("bowerysupply", ("New York, NY",)),
    "Canal Street Freight": ("canalstreetfreight", ("Bronx, NY", "New York, NY")),
    "Greenpoint Manufacturing": ("greenpointmfg", ("Brooklyn, NY", "Queens, NY")),
    "Northwind Pharmacy": ("northwindrx", ("New York, NY",)),
    "Beacon Health Partners": ("beaconhealth", ("Brooklyn, NY", "New York, NY")),
    "Flatiron Analytics": ("flatironanalytics", ("New York, NY",)),
    "Empire State Health": ("empirestatehealth", ("New York, NY",)),
    "Hudson Provisions": ("hudsonprovisions", ("Long Island City, NY",)),
    "Kinetic Robotics": ("kineticrobotics", ("Brooklyn, NY",)),
    "Ledgerline": ("ledgerline", ("New York, NY",)),
    "Five Boroughs Food Bank": ("fiveboroughsfood", ("Bronx, NY",)),
    "Marlow & Finch": ("marlowfinch", ("New York, NY",)),
    "Sterling Beverage Group": ("sterlingbev", ("White Plains, NY",)),
    "Okafor Advisory": ("okaforadvisory", ("New York, NY",)),
    "Adler Ops Partners": ("adlerops", ("New York, NY",)),
    "Levine Immigration Law": ("levinelaw", ("New York, NY",)),
    "Marsh Leadership": ("marshleadership", ("New York, NY",)),
    # New Jersey
    "Meadowlands Cold Storage": ("meadowlandscold", ("Secaucus, NJ",)),
    "Raritan Chemical": ("raritanchem", ("New Brunswick, NJ",)),
    "Garden State Pharma": ("gardenstatepharma", ("Princeton, NJ",)),
    "Liberty Port Services": ("libertyport", ("Elizabeth, NJ",)),
    "Parcelwise": ("parcelwise", ("Jersey City, NJ",)),
    "Passaic Valley Packaging": ("pvpackaging", ("Paterson, NJ",)),
    "Edison Fulfillment Partners": ("edisonfulfillment", ("Edison, NJ",)),
    "Bergen Medical Supply": ("bergenmedical", ("Hackensack, NJ",)),
    "Monmouth Foods": ("monmouthfoods", ("Freehold, NJ",)),
    "Port Newark Drayage Co.": ("pndrayage", ("Newark, NJ",)),
    "Haddad Finance Partners": ("haddadfinance", ("Hoboken, NJ",)),
    "Gallagher Lean Institute": ("gallagherlean", ("Morristown, NJ",)),
    # Florida
    "Suncoast Distributors": ("suncoastdist", ("Tampa, FL",)),
    "Sunshine State Logistics": ("sunshinestatelogistics", ("Tampa, FL",)),
    "Clearwater Medical Devices": ("clearwatermed", ("Clearwater, FL", "St. Petersburg, FL")),
    "Pinellas Precision Manufacturing": ("pinellasprecision", ("St. Petersburg, FL",)),
    "Bayshore Capital Bank": ("bayshorecapital", ("Tampa, FL",)),
    "Gulfstream Marine Supply": ("gulfstreammarine", ("Tampa, FL",)),
    "Lakeview Resorts": ("lakeviewresorts", ("Orlando, FL",)),
    "Orange Blossom Packaging": ("orangeblossompack", ("Orlando, FL",)),
    "Coral Way Foods": ("coralwayfoods", ("Miami, FL", "Doral, FL")),
    "Biscayne Trade Partners": ("biscaynetrade", ("Miami, FL",)),
    "Tampa General Hospital": ("tgh", ("Tampa, FL",)),
    "Brightline Health": ("brightlinehealth", ("Tampa, FL",)),
    "Ybor Robotics": ("yborrobotics", ("Tampa, FL",)),
    "Citrus Grove Beverage": ("citrusgrovebev", ("Lakeland, FL",)),
    "Magnolia Realty": ("magnoliarealty", ("Tampa, FL",)),
    "Channelside Customs Brokerage": ("channelsidecustoms", ("Tampa, FL",)),
    "Dubois & Partners Architecture": ("duboisarch", ("Tampa, FL",)),
    # clients
    "Atlas Pharma Distribution": ("atlaspharma", ("Edison, NJ",)),
    "Meridian Home Goods": ("meridianhome", ("Stamford, CT",)),
    "Northgate Apparel": ("northgateapparel", ("New York, NY",)),
    "Ironbridge Industrial Supply": ("ironbridgesupply", ("Allentown, PA",)),
    "Brightwater Foods": ("brightwaterfoods", ("Newark, NJ",)),
    "Lumen Lighting Co.": ("lumenlighting", ("Long Island City, NY",)),
    "Castellan Medical Supply": ("castellanmed", ("Paramus, NJ",)),
    "Harborview Packaging": ("harborviewpack", ("Bridgeport, CT",)),
    # recruiters
    "Korn & Vale Search": ("kornvale", ("New York, NY",)),
    "Stratton Talent Partners": ("strattontalent", ("Tampa, FL", "New York, NY")),
    "Bluefin Executive Search": ("bluefinsearch", ("Miami, FL",)),
    "Ops Talent Group": ("opstalent", ("Chicago, IL", "Remote")),
    "Hollis & Crane": ("holliscrane", ("Boston, MA",)),
    "Gulfside Talent": ("gulfsidetalent", ("Tampa, FL",)),
    # met at conferences
    "Great Lakes Freight": ("greatlakesfreight", ("Chicago, IL",)),
    "Cascade Outdoor Gear": ("cascadeoutdoor", ("Seattle, WA",)),
    "Lone Star Grocers": ("lonestargrocers", ("Dallas, TX",)),
    "Peachtree Logistics": ("peachtreelogistics", ("Atlanta, GA",)),
    "Rocky Mountain Brewing": ("rmbrewing", ("Denver, CO",)),
    "Bayview Electronics": ("bayviewelectronics", ("San Jose, CA",)),
    "Music City Distribution": ("musiccitydist", ("Nashville, TN",)),
    "Carolina Textiles": ("carolinatextiles", ("Charlotte, NC",)),
    "Dockflow": ("dockflow", ("Austin, TX",)),
    "Yardly": ("yardly", ("Boston, MA",)),
    "Keystone Auto Parts": ("keystoneauto", ("Pittsburgh, PA",)),
    # friends and peers
    "Prospect Heights Architects": ("pharchitects", ("Brooklyn, NY",)),
    "Brooklyn Methodist Clinic": ("bkmethodist", ("Brooklyn, NY",)),
    "PS 321": ("ps321", ("Brooklyn, NY",)),
    "Gowanus Design Studio": ("gowanusdesign", ("Brooklyn, NY",)),
    "Halsey Street Legal": ("halseylegal", ("New York, NY",)),
    "Independent": ("mail", ("Brooklyn, NY", "New York, NY", "Hoboken, NJ")),
}

NY_ORGS = (
    "Bowery Supply Co.", "Canal Street Freight", "Greenpoint Manufacturing", "Northwind Pharmacy",
    "Beacon Health Partners", "Empire State Health", "Hudson Provisions", "Kinetic Robotics",
    "Five Boroughs Food Bank", "Marlow & Finch", "Sterling Beverage Group",
)
NJ_ORGS = (
    "Meadowlands Cold Storage", "Raritan Chemical", "Garden State Pharma", "Liberty Port Services",
    "Parcelwise", "Passaic Valley Packaging", "Edison Fulfillment Partners", "Bergen Medical Supply",
    "Monmouth Foods",
)
TAMPA_ORGS = (
    "Suncoast Distributors", "Sunshine State Logistics", "Clearwater Medical Devices",
    "Pinellas Precision Manufacturing", "Gulfstream Marine Supply", "Tampa General Hospital", "Ybor Robotics",
)
FL_ORGS = (*TAMPA_ORGS, "Lakeview Resorts", "Orange Blossom Packaging", "Coral Way Foods", "Biscayne Trade Partners",
           "Citrus Grove Beverage")
CONF_ORGS = (
    "Great Lakes Freight", "Cascade Outdoor Gear", "Lone Star Grocers", "Peachtree Logistics",
    "Rocky Mountain Brewing", "Bayview Electronics", "Music City Distribution", "Carolina Textiles",
    "Keystone Auto Parts",
)
RECRUITER_ORGS = (
    "Korn & Vale Search", "Stratton Talent Partners", "Bluefin Executive Search", "Ops Talent Group",
    "Hollis & Crane", "Gulfside Talent",
)
# (organization, title) of friends outside operations
FRIEND_JOBS = (
    ("Prospect Heights Architects", "Architect"), ("Brooklyn Methodist Clinic", "Physician Assistant"),
    ("Brooklyn Methodist Clinic", "Nurse Practitioner"), ("PS 321", "Teacher"), ("PS 321", "Assistant Principal"),
    ("Gowanus Design Studio", "Designer"), ("Gowanus Design Studio", "UX Researcher"),
    ("Halsey Street Legal", "Attorney"), ("Independent", "Freelance Journalist"),
    ("Flatiron Analytics", "Software Engineer"), ("Ledgerline", "Product Manager"),
)
# client organization -> (engagement start in months ago, engagement length in months)
CLIENT_ENGAGEMENTS: dict[str, tuple[int, int]] = {
    "Atlas Pharma Distribution": (62, 7),
    "Meridian Home Goods": (52, 6),
    "Northgate Apparel": (40, 5),
    "Ironbridge Industrial Supply": (33, 4),
    "Brightwater Foods": (26, 6),
    "Lumen Lighting Co.": (19, 3),
    "Harborview Packaging": (15, 4),
    "Castellan Medical Supply": (10, 8),
}

OPS_TITLES = (
    "Operations Manager", "Director of Operations", "Supply Chain Manager", "Senior Demand Planner",
    "Procurement Manager", "Director of Procurement", "Warehouse Manager", "Distribution Center Manager",
    "Logistics Analyst", "VP Supply Chain", "Continuous Improvement Manager", "Transportation Manager",
    "Inventory Analyst", "S&OP Manager", "Director of Logistics", "Operations Analyst",
    "Fulfillment Operations Lead", "Senior Buyer", "Quality Manager", "Plant Manager",
)
CLIENT_TITLES = (
    "VP Operations", "COO", "Director of Supply Chain", "Inventory Planning Manager", "Controller",
    "Director of Distribution", "Head of Procurement", "CFO", "Senior Operations Analyst",
)
RECRUITER_TITLES = (
    "Senior Recruiter", "Partner", "Principal, Supply Chain Practice", "Talent Acquisition Manager",
    "Executive Recruiter", "Managing Director",
)

AREA_CODES: dict[str, tuple[str, ...]] = {
    "NY": ("212", "646", "718", "917", "347"), "NJ": ("201", "973", "732", "908"),
    "FL": ("813", "727", "407", "305", "863"), "CT": ("203",), "PA": ("610", "412"), "IL": ("312",),
    "MA": ("617",), "TX": ("214", "512"), "GA": ("404",), "CO": ("303",), "CA": ("408",), "TN": ("615",),
    "NC": ("704",), "WA": ("206",),
}

PLACES: dict[str, tuple[str, ...]] = {
    "NY": (
        "Devoción in Williamsburg", "Sey Coffee", "Café Grumpy in Park Slope", "Blue Bottle in Dumbo",
        "Joe Coffee on Waverly", "Ninth Street Espresso", "the Smith on Broadway", "Sunday in Brooklyn",
        "Bryant Park Grill", "Gotan in Tribeca",
    ),
    "NJ": (
        "Bwè Kafe in Hoboken", "Modcup in Jersey City", "a diner off Route 1 in Edison", "Harborside in Jersey City",
        "the Hoboken waterfront", "Grove Street in Jersey City",
    ),
    "FL": (
        "Buddy Brew in Hyde Park", "Oxford Exchange", "Blind Tiger Cafe in Ybor", "Kahwa in St. Pete",
        "Armature Works", "Bandit Coffee in St. Pete", "Ulele on the Riverwalk", "Felicitous near USF",
    ),
    "other": ("the hotel lobby bar", "the expo hall café", "a steakhouse near the convention center"),
}

TOPICS: dict[str, tuple[str, ...]] = {
    "work": (
        "the peak-season staffing plan", "carrier scorecards", "the WMS upgrade", "Q3 inventory write-offs",
        "the Edison DC consolidation", "dock scheduling", "the UPS rate renegotiation", "cycle count accuracy",
        "the new returns process", "slotting for the holiday SKUs", "the forklift safety audit",
        "the labor model for second shift",
    ),
    "client": (
        "inventory turns", "the 3PL RFP", "S&OP cadence", "DC labor standards", "vendor scorecards",
        "the forecast bias problem", "safety stock policy", "the network redesign", "SKU rationalization",
        "the carrier bid results", "the steering committee readout",
    ),
    "friend": (
        "switching into product", "the Tampa move", "pricing my consulting work", "school search for the kids",
        "whether to take the Castellan extension", "taking December off", "the house hunt in South Tampa",
        "the new job", "training for the Brooklyn Half", "a sabbatical idea", "aging parents",
        "going independent", "the book club pick", "a bad week at work",
    ),
    "aop": (
        "the program committee", "nearshoring", "hiring demand planners", "warehouse automation pilots",
        "the chapter's mentoring program", "carrier rate increases", "AI in forecasting",
        "supplier diversity targets", "the annual dinner", "S&OP maturity",
    ),
    "fl": (
        "what the Tampa Bay ops scene is like", "neighborhoods south of Gandy", "the AOP Tampa Bay chapter",
        "hurricane season and inventory", "Port Tampa Bay volumes", "who's hiring in Tampa",
        "flood insurance", "the distributors around Plant City",
    ),
    "recruiter": (
        "a VP Operations search", "an interim COO role", "a Director of Supply Chain opening",
        "a PE-backed distributor's ops role", "a head of fulfillment search",
    ),
    "conf": (
        "yard management", "returns processing", "labor planning", "robotics pilots", "carrier capacity",
        "demand sensing", "reverse logistics", "nearshoring to Mexico",
    ),
}

ARTIFACTS: tuple[str, ...] = (
    "weekly KPI pack", "updated labor model", "carrier RFP draft", "slotting analysis", "S&OP deck",
    "budget variance notes", "inventory policy memo", "steering committee slides", "meeting notes",
    "article on nearshoring", "benchmark spreadsheet",
)

# category -> kind slot -> templates; slots: {first} {topic} {place} {artifact}
SUMMARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "work": {
        "meeting": (
            "1:1 with {first} — {topic}", "Walked the Secaucus floor with {first}", "Weekly ops review with {first}",
            "Lunch with {first} near the office", "Whiteboard session with {first} on {topic}",
        ),
        "call": ("Call with {first} about {topic}", "Quick call with {first} — {topic}"),
        "video": ("Video call with {first} and the Edison team — {topic}",),
        "email_out": ("Sent {first} the {artifact}", "Asked {first} for numbers on {topic}",
                      "Notes to {first} on {topic}"),
        "email_in": ("{first} sent the {artifact}", "{first} flagged a problem with {topic}",
                     "{first}: update on {topic}"),
        "message_out": ("Pinged {first} about {topic}", "Texted {first} — running late to the standup"),
        "message_in": ("{first} pinged me about {topic}", "{first} texted a photo of the dock at 6am"),
    },
    "client": {
        "meeting": (
            "Working session with {first} — {topic}", "On site with {first}'s team — {topic}",
            "Steering committee with {first}", "Walked the DC with {first}",
        ),
        "call": ("Weekly status call with {first}", "Call with {first} — {topic}"),
        "video": ("Zoom with {first} on {topic}", "Readout rehearsal with {first}"),
        "email_out": ("Sent {first} the {artifact}", "Sent {first} the draft findings on {topic}"),
        "email_in": ("{first} sent data for {topic}", "{first} asked for an update on {topic}"),
        "message_out": ("Texted {first} — slides are in the shared folder",),
        "message_in": ("{first} texted: can we push to Thursday?",),
    },
    "friend": {
        "meeting": (
            "Coffee at {place} — talked about {topic}", "Dinner with {first} — {topic}",
            "Walk in Prospect Park with {first}", "Breakfast with {first} at {place}",
        ),
        "call": ("Long call with {first} — {topic}", "Caught up with {first} on the phone — {topic}"),
        "video": ("FaceTime with {first} — {topic}",),
        "email_out": ("Sent {first} an article on {topic}", "Sent {first} the {artifact}"),
        "email_in": ("{first} sent thoughts on {topic}", "{first} forwarded a piece on {topic}"),
        "message_out": ("Texted {first} about {topic}", "Texted {first} happy birthday",
                        "Sent {first} a photo from the walk"),
        "message_in": ("{first} texted about {topic}", "{first} checking in — how's the move going?"),
    },
    "aop": {
        "meeting": ("Coffee with {first} at {place} — {topic}", "Lunch with {first} — {topic}"),
        "call": ("Call with {first} about {topic}",),
        "video": ("Zoom with {first} — AOP {topic}",),
        "email_out": ("Sent {first} the slides on {topic}", "Followed up with {first} about {topic}"),
        "email_in": ("{first} asked about {topic}", "{first} sent the notes on {topic}"),
        "message_out": ("Messaged {first} on LinkedIn about {topic}",),
        "message_in": ("{first} messaged on LinkedIn about {topic}",),
    },
    "fl": {
        "meeting": (
            "Coffee with {first} at {place} — {topic}", "Lunch with {first} at {place}",
            "Toured {first}'s warehouse — {topic}",
        ),
        "call": ("Call with {first} — {topic}",),
        "video": ("Zoom with {first} — {topic}",),
        "email_out": ("Thanked {first} for the time; sent notes on {topic}",),
        "email_in": ("{first} sent a few names to meet in Tampa", "{first} followed up on {topic}"),
        "message_out": ("Texted {first} — great to meet, let's do lunch",),
        "message_in": ("{first} texted a tip about {topic}",),
    },
    "recruiter": {
        "meeting": ("Coffee with {first} — {topic}",),
        "call": ("Screening call with {first} about {topic}", "Call with {first} — market chat"),
        "video": ("Zoom with {first} about {topic}",),
        "email_out": ("Replied to {first} — not looking right now, keep me posted",
                      "Sent {first} two names for {topic}"),
        "email_in": (
            "{first} reached out about {topic}", "{first} following up on {topic}",
            "{first}: are you open to a quick chat this week?",
        ),
        "message_out": ("Replied to {first}'s InMail",),
        "message_in": ("InMail from {first} about {topic}",),
    },
    "conf": {
        "meeting": ("Drinks with {first} at {place} — {topic}",),
        "call": ("Call with {first} after the conference — {topic}",),
        "video": ("Zoom with {first} — {topic}",),
        "email_out": ("Followed up with {first} after the conference", "Sent {first} the article on {topic}"),
        "email_in": ("{first} sent the deck from the {topic} session", "{first} said thanks for the session notes"),
        "message_out": ("Connected with {first} on LinkedIn",),
        "message_in": ("{first} accepted my LinkedIn invite and said hello",),
    },
}

# category -> relative weights of (meeting, call, video, email, message)
KIND_MIX: dict[str, tuple[int, int, int, int, int]] = {
    "work": (35, 15, 5, 35, 10),
    "client": (30, 15, 15, 35, 5),
    "friend": (30, 20, 8, 7, 35),
    "aop": (25, 10, 10, 45, 10),
    "fl": (45, 15, 0, 15, 25),
    "recruiter": (5, 20, 10, 55, 10),
    "conf": (10, 10, 5, 60, 15),
}

AOP_PROGRAMS: tuple[str, ...] = (
    "S&OP for mid-size companies", "nearshoring panel", "warehouse labor in a tight market", "plant tour",
    "demand sensing 101", "lean in healthcare supply chains", "carrier contracting roundtable",
    "annual holiday mixer", "speed mentoring night", "robotics on a budget", "inventory optimization roundtable",
    "supplier risk after the port strikes", "women in operations leadership",
)

# name, city, month it is held
CONFERENCES: tuple[tuple[str, str, int], ...] = (
    ("ProMat", "Chicago", 3), ("MODEX", "Atlanta", 3), ("CSCMP EDGE", "Nashville", 9),
    ("Gartner Supply Chain Symposium", "Orlando", 5), ("AOP Annual Conference", "Philadelphia", 10),
    ("Home Delivery World", "Philadelphia", 6),
)

# generated gives and receipts per category: (direction, kind, description, requested)
GIVES: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "work": (
        ("gave", "recommendation", "Wrote {first} a LinkedIn recommendation after the Secaucus consolidation", True),
        ("gave", "advice", "Helped {first} prep for a transportation manager interview", True),
        ("received", "favour", "{first} covered my on-call weekend during peak", True),
        ("gave", "job_lead", "Forwarded {first} a planning manager opening at Parcelwise", False),
        ("received", "information", "{first} shared the carrier rate benchmarks", True),
        ("gave", "favour", "Covered {first}'s Saturday shift so they could make a wedding", True),
        ("gave", "introduction", "Introduced {first} to the Edison site lead about cross-docking", False),
        ("received", "advice", "{first} showed me how to read the WMS exception reports", True),
        ("gave", "information", "Sent {first} my notes on the labor model", True),
        ("received", "favour", "{first} stayed late to help me finish the peak-season plan", False),
    ),
    "client": (
        ("gave", "recommendation", "Recommended a 3PL shortlist to {first} after the engagement", True),
        ("received", "referral", "{first} referred me to a peer who needed help with inventory policy", False),
        ("gave", "information", "Sent {first} the inventory policy playbook, no charge", False),
        ("received", "recommendation", "{first} wrote a testimonial for my website", True),
        ("gave", "introduction", "Introduced {first} to a planning lead for their open role", False),
        ("gave", "advice", "Spent an hour with {first} on their budget narrative after the project ended", True),
    ),
    "aop": (
        ("gave", "introduction", "Introduced {first} to a former Hartwell colleague who ran the same WMS migration",
         False),
        ("gave", "invitation", "Invited {first} as my guest to the AOP NY annual dinner", False),
        ("gave", "advice", "Reviewed {first}'s resume before a big interview", True),
        ("received", "information", "{first} shared their team's S&OP calendar template", True),
        ("gave", "job_lead", "Passed {first} a demand planning opening I heard about", False),
        ("received", "invitation", "{first} got me onto the program committee", False),
        ("gave", "information", "Sent {first} the chapter's salary survey results", True),
        ("received", "advice", "{first} gave me straight feedback on my panel moderation", True),
    ),
    "friend": (
        ("gave", "advice", "Talked {first} through a salary negotiation", True),
        ("received", "favour", "{first} watered the plants while I was in Tampa", True),
        ("gave", "introduction", "Introduced {first} to a friend hiring designers", False),
        ("received", "advice", "{first} gave blunt feedback on my consulting website", True),
        ("gave", "favour", "Helped {first} move apartments", True),
        ("received", "recommendation", "{first} recommended a great accountant for my LLC", True),
        ("gave", "recommendation", "Recommended a pediatric dentist to {first}", True),
    ),
    "recruiter": (
        ("gave", "referral", "Referred two planners to {first}'s demand planning search", True),
        ("received", "information", "{first} shared salary bands for VP Ops roles in Florida", True),
        ("gave", "referral", "Sent {first} a former colleague for a DC manager search", True),
    ),
    "conf": (
        ("gave", "information", "Sent {first} my notes from the conference sessions", False),
        ("received", "information", "{first} sent a case study on yard management", False),
        ("gave", "introduction", "Introduced {first} to a 3PL operator I know in New Jersey", True),
    ),
    "fl": (
        ("received", "advice", "{first} gave me the rundown on Tampa neighborhoods", True),
        ("received", "introduction", "{first} introduced me to two people at the AOP Tampa Bay chapter", False),
        ("gave", "information", "Sent {first} the AOP NY S&OP survey results", False),
        ("received", "recommendation", "{first} recommended a moving company that does NY to Florida", True),
        ("gave", "advice", "Looked over {first}'s slotting plan for the new building", True),
    ),
}
DECLINED_ASKS: tuple[str, ...] = (
    "Asked {first} for an intro to their VP Operations — said the timing wasn't right",
    "Asked {first} to forward my consulting one-pager internally — they passed",
)
# fmt: on
