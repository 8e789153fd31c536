"""The database schema (SQLAlchemy Core). Changes to it are Alembic migrations in `migrations/versions`."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)

# Named constraints so that migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False, server_default="company"),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, index=True),
    Column("is_me", Boolean, nullable=False, server_default=false()),
    Column("organization_id", ForeignKey("organizations.id", ondelete="SET NULL")),
    Column("title", String(200)),
    Column("location", String(200)),
    Column("how_met", Text),
    Column("met_on", Date),
    Column("birthday", Date),  # from a contact import (vCard BDAY, a CSV's Birthday); never without a year
    Column("introduced_by_id", ForeignKey("people.id", ondelete="SET NULL")),
    Column("notes", Text),
    Column("strength_override", Float),
    Column("tier_override", String(20)),
    Column("cadence_days", Integer),
    Column("credentials", String(120)),  # ", CPA", ", Ph.D." kept apart from the family name
    Column("merged_into_id", ForeignKey("people.id", ondelete="SET NULL"), index=True),  # set while merged away
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# A page of the people listed by name (`store.people._listed`, `in_index_order`) reads the rows with `is_me IS 0`
# in this order. Migration 0015 builds it, with `COLLATE "C"` and `is_me IS false` on PostgreSQL (the order is by
# code point there); Alembic's comparison skips expression indexes.
Index(
    "ix_people_listed",
    func.lower(people.c.name),
    people.c.id,
    people.c.merged_into_id,
    sqlite_where=people.c.is_me.is_(False),
)

identities = Table(
    "identities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # email | phone | url
    Column("value", String(320), nullable=False),  # normalised: lower-case email, E.164 phone, canonical URL
    Column("label", String(40)),
    UniqueConstraint("kind", "value", name="uq_identities_kind_value"),
)

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
)

person_tags = Table(
    "person_tags",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("occurred_at", DateTime, nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("summary", Text, nullable=False, server_default=""),
    Column("source", String(40), nullable=False, server_default="manual"),
    Column("external_id", String(300)),
    # A planned interaction (a meeting or event ahead) is not folded into tie strength until it is confirmed.
    Column("planned", Boolean, nullable=False, server_default=false()),
    Column("follow_up_on", Date),
    Column("follow_up_done", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime, nullable=False),
    # An email's key (ingest/mail_identity.message_key): one message is one interaction, whichever file, format or
    # folder brought it (an mbox and a maildir of the same mail, "Sent" beside "All mail").
    Column("message_key", String(300)),
    # More text than the summary, where a source has it and the user let it be kept (issue 14): a calendar
    # event's description. `heard` reads it with the summary. Mail bodies live in mail_bodies, by message key.
    Column("details", Text),
    UniqueConstraint("source", "external_id", name="uq_interactions_source_external_id"),
)
Index("ix_interactions_message_key", interactions.c.message_key, unique=True)
# The plan asks for the few planned interactions and open follow-ups among hundreds of thousands: partial indexes
# hold only those rows. Migration 0001 creates them with the same condition on PostgreSQL too; it is not repeated
# here as `postgresql_where` because naming a dialect's option makes SQLAlchemy import that whole dialect
# (asyncpg, psycopg2, pg8000 modules: ~15 % of every command's start-up on SQLite).
Index(
    "ix_interactions_planned",
    interactions.c.occurred_at,
    sqlite_where=interactions.c.planned.is_(True),
)
Index(
    "ix_interactions_open_follow_ups",
    interactions.c.follow_up_on,
    sqlite_where=interactions.c.follow_up_on.is_not(None) & interactions.c.follow_up_done.is_(False),
)

interaction_people = Table(
    "interaction_people",
    metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def _wishes(name: str) -> Table:
    """Needs and offers share a shape: free text as the person wrote it, tags, a place and an expiry."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("text", Text, nullable=False),
        Column("tags", String(400), nullable=False, server_default=""),  # comma-separated, lower-case
        Column("location", String(200)),
        Column("created_at", DateTime, nullable=False),
        Column("expires_on", Date),
        Column("status", String(12), nullable=False, server_default="open"),
        Column("closed_at", DateTime),
    )


needs = _wishes("needs")  # status: open | met | withdrawn
offers = _wishes("offers")  # status: open | given | withdrawn

exchanges = Table(
    "exchanges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("direction", String(10), nullable=False),  # gave | received | asked
    Column("kind", String(20), nullable=False),
    Column("description", Text, nullable=False),
    Column("status", String(10), nullable=False),  # promised | done | declined
    Column("requested", Boolean, nullable=False, server_default=false()),  # they asked the user for it
    Column("occurred_at", DateTime, nullable=False),
    Column("due_on", Date),
    Column("completed_at", DateTime),
    Column("need_id", ForeignKey("needs.id", ondelete="SET NULL")),
    Column("offer_id", ForeignKey("offers.id", ondelete="SET NULL")),
    Column("created_at", DateTime, nullable=False),
)
Index("ix_exchanges_status_direction", exchanges.c.status, exchanges.c.direction)
# The entries tied to a need and an offer, the pairs the user acted on (`store.ledger.given_pairs`), read by every
# plan: a few of the whole ledger. Migration 0018 builds it on PostgreSQL with the same condition.
Index(
    "ix_exchanges_given",
    exchanges.c.need_id,
    exchanges.c.offer_id,
    sqlite_where=exchanges.c.need_id.is_not(None) & exchanges.c.offer_id.is_not(None),
)

snoozes = Table(
    "snoozes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), index=True),
    Column("item_key", String(80), index=True),
    Column("until", DateTime, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# A journal of what the user did from the plan: how many dormant ties were revived this week, and history.
plan_actions = Table(
    "plan_actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_key", String(80), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("action", String(10), nullable=False),  # done | snoozed
    Column("person_id", ForeignKey("people.id", ondelete="SET NULL")),
    Column("at", DateTime, nullable=False, index=True),
)

# Running decayed sums per relationship (see domain/decay.py), so the plan never rescans interactions.
tie_stats = Table(
    "tie_stats",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("as_of", DateTime, nullable=False),
    Column("half_life_days", Float, nullable=False),
    Column("ledger_half_life_days", Float, nullable=False),
    Column("outbound", Float, nullable=False, server_default="0"),
    Column("inbound", Float, nullable=False, server_default="0"),
    Column("mutual", Float, nullable=False, server_default="0"),
    Column("gives", Float, nullable=False, server_default="0"),
    Column("takes", Float, nullable=False, server_default="0"),
    Column("received", Float, nullable=False, server_default="0"),
    Column("touches", Integer, nullable=False, server_default="0"),
    Column("two_way_count", Integer, nullable=False, server_default="0"),
    Column("first_at", DateTime),
    Column("last_at", DateTime),
    Column("last_ask_at", DateTime),
    Column("last_give_at", DateTime),
)

# Where each person came from: (source, external id) pairs, so that a re-import finds the same person.
person_sources = Table(
    "person_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source", String(40), nullable=False),
    Column("external_id", String(400), nullable=False),
    Column("fingerprint", String(40)),  # of the record last imported: an unchanged re-import costs no query
    Column("imported_at", DateTime, nullable=False),
    UniqueConstraint("source", "external_id", name="uq_person_sources_source_external_id"),
)

# Mail waiting for the two-way verdict: a message with a correspondent who is not (yet) in the network, because
# the user has not both written to them and heard from them. Kept as its headers' digest, so that when a later
# import brings the other direction (the Sent folder after the Inbox), its interactions are made as if both had
# been imported together; deleted once everyone on it counts.
mail_pending = Table(
    "mail_pending",
    metadata,
    Column("message_key", String(300), primary_key=True),
    Column("source", String(40), nullable=False),  # mbox | maildir | imap: the interaction's source once made
    Column("origin", Text, nullable=False),  # where it was read, for reports
    Column("occurred_at", DateTime, nullable=False),
    Column("sender", String(320), nullable=False),
    Column("people", Text, nullable=False),  # JSON [[address, name or null], ...]: sender first, the user too
    Column("subject", Text, nullable=False, server_default=""),
    Column("seen_at", DateTime, nullable=False),
)

# A merge folds one person into another and remembers exactly what moved, so that it can be undone.
merges = Table(
    "merges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kept_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("merged_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("moved", Text, nullable=False),  # JSON: the rows re-pointed and the fields filled in
    Column("merged_at", DateTime, nullable=False),
    Column("undone_at", DateTime),
)

# Fuzzy look-alikes proposed for review: never merged silently.
merge_candidates = Table(
    "merge_candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("second_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("status", String(10), nullable=False, server_default="proposed"),  # proposed | merged | rejected
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("first_id", "second_id", name="uq_merge_candidates_first_id"),
)


# --- The connector: matching caches (derived data, rebuilt when missing; left out of backups) ---------------

# Sentence vectors of need and offer texts, keyed by the text itself (its SHA-1): an edit makes a new key, an
# unchanged text is never embedded twice, and two people writing the same words share one vector.
text_vectors = Table(
    "text_vectors",
    metadata,
    Column("model", String(60), primary_key=True),
    Column("text_hash", String(40), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32, little-endian
    info={"cache": True},
)

# The scored need ↔ offer pairs worth showing (at or above the engine's floor), with the signals that fired.
match_suggestions = Table(
    "match_suggestions",
    metadata,
    Column("need_id", ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True),
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("score", Float, nullable=False, index=True),  # read best first, a page at a time
    Column("signals", Text, nullable=False),  # JSON: each signal's name, value and weight
    Column("computed_at", DateTime, nullable=False),
    info={"cache": True},
)

# What each need and offer was last scored as (its text, tags, place and the engine version, hashed): an item
# whose fingerprint still matches needs no re-scoring, so adding or editing one item re-scores only that item.
match_marks = Table(
    "match_marks",
    metadata,
    Column("kind", String(6), primary_key=True),  # need | offer
    Column("item_id", Integer, primary_key=True),
    Column("fingerprint", String(40), nullable=False),
    Column("scored_at", DateTime, nullable=False),
    info={"cache": True},
)


# How many times the offers changed: a counter bumped by database triggers (migration 0012) in the transaction of
# every INSERT, UPDATE or DELETE on `offers` — cascades from a deleted person, imports and merges included, and
# whatever writer comes later. Adding a need compares it with the value its offers were last checked at, instead
# of fingerprinting every offer again. It only grows (never restored from a backup: a cache), so a value seen
# once is never seen again for other offers. A migration that rebuilds `offers` on SQLite (batch mode) drops its
# triggers and must create them again (`tests/services/test_match_stamp.py` fails otherwise).
# On PostgreSQL a second row, 'all', counts the transactions that wrote any table (migration 0013's triggers, once
# per transaction): the web app's read cache reuses what it derived while it stays the same (`store/stamp.py`).
# A table added later needs that trigger too (`tests/store/test_data_version.py` fails otherwise).
data_versions = Table(
    "data_versions",
    metadata,
    Column("name", String(40), primary_key=True),  # offers | all
    Column("version", BigInteger, nullable=False),
    info={"cache": True},
)


# --- The connector: introductions ------------------------------------------------------------------------------

# One introduction the user brokers between two people, usually for a need of the first met by an offer of the
# second. `state`: suggested | asked_first | first_agreed | asked_second | second_agreed | introduced | closed
# | declined | no_answer; `outcome` once closed: hired | met | helped | nothing.
introductions = Table(
    "introductions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("second_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("need_id", ForeignKey("needs.id", ondelete="SET NULL"), index=True),
    Column("offer_id", ForeignKey("offers.id", ondelete="SET NULL"), index=True),
    Column("reason", Text, nullable=False, server_default=""),
    Column("state", String(20), nullable=False),
    Column("direct", Boolean, nullable=False, server_default=false()),  # skips the double opt-in
    Column("outcome", String(20)),
    Column("declined_by_id", ForeignKey("people.id", ondelete="SET NULL")),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("introduced_at", DateTime),
    Column("closed_at", DateTime),
)

# Every step an introduction took, with the interaction it was logged as.
introduction_steps = Table(
    "introduction_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("introduction_id", ForeignKey("introductions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("state", String(20), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="SET NULL")),
    Column("note", Text, nullable=False, server_default=""),
)


# --- Reach: who knows whom, goals, chapters and events ---------------------------------------------------------

# A relationship between two contacts that the user records ("Ana and Ben are colleagues"): the strongest kind of
# evidence the graph has about people other than the user. Stored once per pair, the lower id first.
person_links = Table(
    "person_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("second_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # colleague | friend | family | classmate | client | mentor | knows
    Column("note", Text, nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("first_id", "second_id", name="uq_person_links_first_id"),
)

# What the user is working toward: a place, role words, industries or tags. Re-ranks the plan while open.
goals = Table(
    "goals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("place", String(200)),
    Column("roles", String(400), nullable=False, server_default=""),  # comma-separated words, lower-case
    Column("tags", String(400), nullable=False, server_default=""),  # industries and tags, comma-separated
    Column("status", String(10), nullable=False, server_default="open"),  # open | done
    Column("created_at", DateTime, nullable=False),
    Column("done_at", DateTime),
)

# A chapter of an organization (an association's New York chapter), with the place it meets in.
chapters = Table(
    "chapters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("location", String(200)),
    Column("created_at", DateTime, nullable=False),
)

# Who belongs to a chapter (the user too), in what role, and who sponsored them in.
chapter_members = Table(
    "chapter_members",
    metadata,
    Column("chapter_id", ForeignKey("chapters.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("role", String(20), nullable=False, server_default="member"),  # member | officer | sponsor
    Column("sponsor_id", ForeignKey("people.id", ondelete="SET NULL")),
    Column("since", Date),
)

# A meetup, conference or chapter meeting, with the user's RSVP and attendance.
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(300), nullable=False),
    Column("starts_at", DateTime, nullable=False, index=True),
    Column("ends_at", DateTime),
    Column("location", String(200)),
    Column("chapter_id", ForeignKey("chapters.id", ondelete="SET NULL"), index=True),
    Column("rsvp", String(10), nullable=False, server_default="none"),  # none | yes | maybe | no
    Column("attended", Boolean, nullable=False, server_default=false()),
    Column("source", String(40), nullable=False, server_default="manual"),
    Column("external_id", String(300)),
    Column("notes", Text, nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("source", "external_id", name="uq_events_source_external_id"),
)

# People at an event: expected (invited, RSVP'd, on the attendee list) or met there by the user.
event_people = Table(
    "event_people",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("status", String(10), nullable=False, server_default="expected"),  # expected | met
)

# The contact-to-contact edges of the graph (derived from interactions, employers, introductions and links, so a
# cache: brought up to date from `graph_changes` when read, left out of backups). The user's own ties are
# never stored here: their strength moves with "now" and is read from tie_stats each time.
graph_edges = Table(
    "graph_edges",
    metadata,
    Column("first_id", Integer, primary_key=True),
    Column("second_id", Integer, primary_key=True, index=True),
    Column("strength", Float, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON: [[kind, count, probability], ...]
    info={"cache": True},
)

graph_marks = Table(
    "graph_marks",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("fingerprint", String(200), nullable=False),
    Column("built_at", DateTime, nullable=False),
    info={"cache": True},
)

# What changed in the evidence since the edges above were computed, noted by triggers (migration 0014) while a
# cache exists: ('person', id), ('member', id) for someone whose employer, email groups or merge changed,
# ('interaction', id), ('organization', id), ('email', address), or ('all', '') for a whole rebuild. Reading the
# cache first recomputes the edges among the people these name, then empties it.
graph_changes = Table(
    "graph_changes",
    metadata,
    Column("kind", String(20), primary_key=True),
    Column("key", String(400), primary_key=True),
    info={"cache": True},
)


# --- Live sources: saved sources (an IMAP account, a CardDAV address book...) read again on a schedule --------

# A saved source. `config` is JSON and never holds a secret: only where to find one (an environment variable,
# a command, the keyring). `running_since` is the claim of the sync in progress, so that two never overlap.
live_sources = Table(
    "live_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(60), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("config", Text, nullable=False),
    Column("every_minutes", Integer, nullable=False, server_default="60"),  # 0: only when asked by name
    Column("created_at", DateTime, nullable=False),
    Column("running_since", DateTime),
    Column("last_started_at", DateTime),
    Column("last_finished_at", DateTime),
    Column("last_result", String(10)),  # ok | failed
    Column("last_error", Text),
    Column("last_totals", Text),  # JSON: the report's totals of the last sync
)

# Where each source's incremental reading stands: key (a folder, a collection) -> JSON value, written in the
# same transaction as the records it accounts for. (Mail sources keep no two-way memory of their own: mail read
# over IMAP waits in `mail_pending`, as mail imported from files does; migration 0008_one_mail_memory.)
live_source_state = Table(
    "live_source_state",
    metadata,
    Column("source_id", ForeignKey("live_sources.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(300), primary_key=True),
    Column("value", Text, nullable=False),
)


# --- Live sources on WebDAV: what the server held at the last sync, item by item ------------------------------

# One synced collection (an address book, a calendar) of a saved source; its sync token is in live_source_state.
dav_collections = Table(
    "dav_collections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("live_sources.id", ondelete="CASCADE"), nullable=False),
    Column("url", String(1000), nullable=False),
    UniqueConstraint("source_id", "url", name="uq_dav_collections_source_id"),
)

# One card or calendar object of a collection: its ETag (pushes go with If-Match), the text last fetched (a push
# edits it, keeping every property givefirst does not read), and for cards the fields as the server last had them
# and as givefirst had them after that sync: a field that differs from the latter was edited in givefirst.
dav_items = Table(
    "dav_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collection_id", ForeignKey("dav_collections.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("href", String(1000), nullable=False),
    Column("etag", String(300)),
    Column("uid", String(400)),
    Column("person_id", ForeignKey("people.id", ondelete="SET NULL"), index=True),
    Column("server", Text),  # JSON: {field: value} of the card as last pulled or pushed
    Column("local", Text),  # JSON: the same fields in givefirst right after that sync
    Column("produced", Text),  # JSON: calendars: [[table, external id], ...] written from this object
    Column("raw", Text),
    UniqueConstraint("collection_id", "href", name="uq_dav_items_collection_id_href"),
)


# --- heard (issue 14): needs and offers heard in what people already wrote, proposed for review.
# A candidate names who said it, when, where (the origin row and its source), the sentence and its confidence;
# its digest (person, kind, words) is unique, so a statement is proposed once, and a rejected one never again.
heard_candidates = Table(
    "heard_candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(6), nullable=False),  # need | offer
    Column("sentence", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("said_at", DateTime, nullable=False),
    Column("source", String(40), nullable=False),  # the origin's source: linkedin, manual, vcard, …
    Column("origin", String(20), nullable=False),  # interaction | person_note
    Column("origin_id", Integer, nullable=False),
    Column("origin_kind", String(20), nullable=False, server_default=""),  # message, meeting, note…
    Column("status", String(10), nullable=False, server_default="proposed", index=True),
    Column("digest", String(40), nullable=False, unique=True),
    Column("body_digest", String(40), index=True),  # the whole text's, to withdraw a mass message's statements
    Column("item_id", Integer),  # the need or offer made on accepting
    Column("created_at", DateTime, nullable=False),
    Column("decided_at", DateTime),
)  # status: proposed | accepted | rejected | skipped | broadcast

# What has been read, so that a re-run reads only what is new or changed; and, per message body, to whom it went
# (the same body to many people is a mass message).
heard_reads = Table(
    "heard_reads",
    metadata,
    Column("origin", String(20), primary_key=True),
    Column("origin_id", Integer, primary_key=True),
    Column("fingerprint", String(40), nullable=False),
    Column("body_digest", String(40), index=True),
    Column("person_id", Integer),
    Column("read_at", DateTime, nullable=False),
)

# The plain text of mail bodies, kept only for the sources the user turned bodies on for (`--bodies`): quoted
# replies and signatures cut, size-capped (ingest/mail_body.py). By message key, as interactions and
# mail_pending know a message, so that a message kept aside today has its body when it becomes an interaction.
mail_bodies = Table(
    "mail_bodies",
    metadata,
    Column("message_key", String(300), primary_key=True),
    Column("source", String(100), nullable=False, index=True),  # mbox, maildir, or imap:NAME (a live source)
    Column("body", Text, nullable=False),
    Column("kept_at", DateTime, nullable=False),
)

# Sources `givefirst heard` leaves out (or reads), remembered: `heard off linkedin`. A source with no row is on.
heard_sources = Table(
    "heard_sources",
    metadata,
    Column("source", String(100), primary_key=True),  # an interactions.source, or "notes"
    Column("enabled", Boolean, nullable=False),
    Column("changed_at", DateTime, nullable=False),
)

# How far `heard` has checked the interactions, on SQLite (services/heard.py, `scan`): every interaction with an id
# up to `upto` was checked by a complete scan that read what it could under `conditions` (JSON: the kinds read,
# the mail option, the sources left out), so a later scan under the same or narrower conditions starts above it.
# Triggers (migration 0016) lower `upto` whenever a row at or below it may have become readable: an interaction
# deleted (SQLite gives the next one the highest id left plus one), one whose text, kind, source or message key
# changed, a mail body stored, a read mark deleted. A migration that rebuilds `interactions`, `heard_reads` or
# `mail_bodies` on SQLite (batch mode) drops those triggers and must create them again
# (tests/services/test_heard_watermark.py fails otherwise). A cache: left out of backups, so that a restored
# database starts with a whole scan. PostgreSQL does not use it (its commits can show ids out of order).
heard_scanned = Table(
    "heard_scanned",
    metadata,
    Column("name", String(20), primary_key=True),  # interactions
    Column("upto", Integer, nullable=False),
    Column("conditions", Text, nullable=False),
    info={"cache": True},
)


# --- the chapter hubs the user joined (issue 16). The personal app is a client of each; what it sends is only what
# the user published, item by item (services/hub_client.py is the one door to the network).
hub_links = Table(
    "hub_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),  # short name for the CLI: the host unless given
    Column("url", String(500), nullable=False, unique=True),  # the hub's base URL, no trailing slash
    Column("secret", Text, nullable=False, server_default="{}"),  # JSON: where the API token is (credentials.py)
    Column("association", String(200), nullable=False, server_default=""),
    Column("member_public_id", String(64), nullable=False),
    Column("member_name", String(200), nullable=False, server_default=""),
    Column("chapter", String(200), nullable=False, server_default=""),
    Column("joined_at", DateTime, nullable=False),
    Column("last_sync_at", DateTime),  # the last sync that completed
    Column("last_error", Text),  # why the last attempt did not complete, None when it did
)

# A need or offer of the user's published to a hub: the local item, its public id there once sent, and the state
# of the outbox (new → synced; edited → synced; closing → closed) so that a sync cut half-way completes next time.
hub_published = Table(
    "hub_published",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hub_id", ForeignKey("hub_links.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(6), nullable=False),  # need | offer
    Column("item_id", Integer, nullable=False),  # needs.id or offers.id
    Column("public_id", String(64)),  # the hub's id, None until the hub has it
    Column("visibility", String(20), nullable=False),  # chapter | association | leads
    Column("sent", Text),  # JSON: text, tags, location as last sent to (or read from) the hub
    Column("state", String(10), nullable=False, server_default="new"),  # new | synced | edited | closing | closed
    Column("changed_at", DateTime, nullable=False),
    Column("synced_at", DateTime),
    UniqueConstraint("hub_id", "kind", "item_id", name="uq_hub_published_hub_id_kind_item_id"),
)

# The open needs and offers of a hub's board as last pulled, to be matched here against the user's own offers and
# their contacts' offers. Replaced whole by each pull; the contacts never leave the machine.
hub_board_items = Table(
    "hub_board_items",
    metadata,
    # A local id, kept across pulls while the item stays on the board: the plan's `chapter:ID:OFFER` keys name it.
    Column("id", Integer, primary_key=True),
    Column("hub_id", ForeignKey("hub_links.id", ondelete="CASCADE"), nullable=False),
    Column("public_id", String(64), nullable=False),
    Column("kind", String(6), nullable=False),  # need | offer
    Column("text", Text, nullable=False),
    Column("tags", String(400), nullable=False, server_default=""),  # comma-separated, as the local items
    Column("location", String(200)),
    Column("member_public_id", String(64), nullable=False),
    Column("member_name", String(200), nullable=False),
    Column("chapter", String(200), nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("fetched_at", DateTime, nullable=False),
    Column("offered_at", DateTime),  # the user offered help with this need through the hub (from their plan)
    UniqueConstraint("hub_id", "public_id", name="uq_hub_board_items_hub_id_public_id"),
)

# A hub introduction the user takes part in, and what it left here: the ledger entry, the timeline interaction
# and, once both sides accepted and shared their contact, the local person.
hub_introductions = Table(
    "hub_introductions",
    metadata,
    Column("hub_id", ForeignKey("hub_links.id", ondelete="CASCADE"), primary_key=True),
    Column("public_id", String(64), primary_key=True),
    Column("state", String(20), nullable=False),
    Column("outcome", String(20)),
    Column("person_id", ForeignKey("people.id", ondelete="SET NULL")),
    Column("interaction_id", ForeignKey("interactions.id", ondelete="SET NULL")),
    Column("exchange_id", ForeignKey("exchanges.id", ondelete="SET NULL")),
    Column("updated_at", DateTime, nullable=False),
)

# What a sync had to say: conflicts it resolved (by the rule in docs/hub-client.md) and errors, newest kept.
hub_sync_reports = Table(
    "hub_sync_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hub_id", ForeignKey("hub_links.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("kind", String(10), nullable=False),  # conflict | error | info
    Column("message", Text, nullable=False),
)
