"""The hub's schema (SQLAlchemy Core), separate from the personal app's: a hub database holds only these tables.

Changes are Alembic migrations in `hub/store/migrations/versions` (a test holds the migrated schema to this
file). Members, items, introductions and events are reached from outside by a random `public_id`, never by
their row id, so that nobody can enumerate members by counting.
"""

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
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# --- the association and its chapters ------------------------------------------------------------------------

settings = Table(  # one row per setting of this hub: the association's name, the signing key, SMTP...
    "hub_settings",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False),
)

data_version = Table(  # one row (id 1): bumped by triggers on every write a page can show (store/versioning.py)
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("n", BigInteger, nullable=False, server_default="0"),
)

chapters = Table(
    "chapters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    # Where the chapter meets and whom it serves: places as the gazetteer reads them ("New York, NY; NJ"),
    # used to tell which chapter a member's location or "moving to" falls in.
    Column("region", Text, nullable=False, server_default=""),
    Column("timezone", String(64), nullable=False, server_default="UTC"),
    Column("created_at", DateTime, nullable=False),
)

# --- members, how they get in, and what they may do ----------------------------------------------------------

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("email", String(320), nullable=False, unique=True),  # lower-cased
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200)),  # Argon2id; NULL until the invite is accepted
    Column("role", String(10), nullable=False, server_default="member"),  # domain.access.Role
    Column("chapter_id", ForeignKey("chapters.id"), nullable=False, index=True),
    Column("sponsor_id", ForeignKey("members.id", ondelete="SET NULL"), index=True),
    Column("headline", Text, nullable=False, server_default=""),  # what I do, in my words
    Column("location", String(200)),
    Column("moving_to", String(200)),
    Column("moving_on", Date),
    Column("digest_opt_out", Boolean, nullable=False, server_default=false()),
    Column("joined_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime),
    Column("deleted_at", DateTime),  # the account was deleted: name and e-mail are anonymised, the row stays
)

invites = Table(
    "invites",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the secret in the link
    Column("chapter_id", ForeignKey("chapters.id"), nullable=False),
    Column("role", String(10), nullable=False, server_default="member"),
    Column("email", String(320)),  # when the lead invited someone by address
    Column("sponsor_id", ForeignKey("members.id", ondelete="SET NULL")),
    Column("created_by", ForeignKey("members.id", ondelete="SET NULL")),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),
    Column("used_by", ForeignKey("members.id", ondelete="SET NULL")),
)

sessions = Table(  # server-side sessions: the cookie holds a secret whose hash is the key
    "hub_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_secret", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)

login_attempts = Table(  # failed logins, per e-mail and per client address, for the rate limit
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(400), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_login_attempts_key_at", "key", "at"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

passkeys = Table(  # WebAuthn credentials: a second way in. Only public keys: the secrets stay on the devices.
    "passkeys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("credential_id", String(1400), nullable=False, unique=True),  # base64url; the spec caps it at 1023 bytes
    Column("public_key", LargeBinary, nullable=False),  # COSE_Key, as the authenticator gave it
    Column("sign_count", Integer, nullable=False, server_default="0"),  # must rise with each use (clone check)
    Column("transports", String(200), nullable=False, server_default=""),  # comma-separated: "internal,hybrid"
    Column("name", String(100), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
)

passkey_challenges = Table(  # each WebAuthn ceremony's challenge: single use, a few minutes, any worker checks it
    "passkey_challenges",
    metadata,
    Column("challenge", String(64), primary_key=True),  # base64url of 32 random bytes
    Column("purpose", String(10), nullable=False),  # register | login
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE")),  # who registers; NULL for signing in
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
    Column("used_at", DateTime),
)

audit_log = Table(  # what leads and admins changed, and account exports and deletions
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", ForeignKey("members.id", ondelete="SET NULL"), index=True),
    Column("action", String(60), nullable=False),
    Column("target", String(200), nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),  # JSON
    Column("at", DateTime, nullable=False, index=True),
    # The chapter the change concerns (its leads read the entry); NULL for the association as a whole.
    Column("chapter_id", ForeignKey("chapters.id", ondelete="SET NULL"), index=True),
)

# --- needs and offers, and what the engine proposes ----------------------------------------------------------

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(5), nullable=False),  # need | offer
    Column("text", Text, nullable=False),
    Column("tags", Text, nullable=False, server_default=""),  # comma-separated, lower-case
    Column("location", String(200)),
    Column("visibility", String(12), nullable=False, server_default="chapter"),  # domain.access.Visibility
    Column("status", String(8), nullable=False, server_default="open"),  # open | closed
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("closed_at", DateTime),
    Column("expires_on", Date),
    Index("ix_items_kind_status", "kind", "status"),
    Index("ix_items_status_created", "status", "created_at"),  # the board: the newest open items first
)

item_terms = Table(  # what the board filters on, one row each, so a filter is an index look-up, not a scan
    "item_terms",
    metadata,
    # "t:tag", "p:metro:tampa" (gazetteer keys of the item's place), "w:stem" (the text's words, stemmed)
    # Byte order ("C" on PostgreSQL, SQLite's own), so that a word prefix is an index range on any server.
    Column("term", String(120).with_variant(String(120, collation="C"), "postgresql"), primary_key=True),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    # An item's terms (rewriting them; and "does this item hold that term?" in one probe, when the board walks
    # the newest items for a common term such as a metro area).
    Index("ix_item_terms_item_term", "item_id", "term"),
)

item_vectors = Table(  # the sentence vector of each item's text, kept so a matching pass embeds only what changed
    "item_vectors",
    metadata,
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("text_hash", String(64), nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float32, L2-normalised
)

matches = Table(  # the engine's pairs: a need of one member and an offer of another
    "matches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("need_id", ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("offer_id", ForeignKey("items.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False, server_default=""),  # JSON: the named signals
    Column("computed_at", DateTime, nullable=False),
    UniqueConstraint("need_id", "offer_id"),
    Index("ix_matches_score", "score"),  # /help's "two members you could introduce": the best pairs first
)

introductions = Table(
    "introductions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    # referral: the one with the need wants to be contacted; lead: only a tip, nobody asked to be called
    Column("kind", String(10), nullable=False, server_default="referral"),
    Column("need_id", ForeignKey("items.id", ondelete="SET NULL")),
    Column("offer_id", ForeignKey("items.id", ondelete="SET NULL")),
    Column("proposer_id", ForeignKey("members.id", ondelete="SET NULL")),  # NULL: proposed by the hub itself
    Column("seeker_id", ForeignKey("members.id", ondelete="SET NULL"), index=True),
    Column("helper_id", ForeignKey("members.id", ondelete="SET NULL"), index=True),
    Column("seeker_answer", String(10), nullable=False, server_default="pending"),  # pending|accepted|declined
    Column("helper_answer", String(10), nullable=False, server_default="pending"),
    Column("message", Text, nullable=False, server_default=""),
    Column("event_id", ForeignKey("events.id", ondelete="SET NULL")),  # made at (or for) a meeting
    Column("created_at", DateTime, nullable=False),
    Column("connected_at", DateTime),  # both accepted: contact details are shared from here on
    Column("outcome", String(12)),  # helped | hired | no_thanks
    Column("outcome_note", Text, nullable=False, server_default=""),
    Column("outcome_at", DateTime),
    Column("seeker_thanks_public", Boolean, nullable=False, server_default=false()),
    Column("helper_thanks_public", Boolean, nullable=False, server_default=false()),
)

declined_pairs = Table(  # a pair someone declined is never proposed again
    "declined_pairs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("need_id", ForeignKey("items.id", ondelete="CASCADE")),
    Column("offer_id", ForeignKey("items.id", ondelete="CASCADE")),
    Column("member_low", Integer, nullable=False),  # the two members, the smaller id first
    Column("member_high", Integer, nullable=False),
    Column("declined_by", ForeignKey("members.id", ondelete="SET NULL")),
    Column("at", DateTime, nullable=False),
    Index("ix_declined_pairs_members", "member_low", "member_high"),
)

# --- chapter events ------------------------------------------------------------------------------------------

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("chapter_id", ForeignKey("chapters.id"), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("starts_at", DateTime, nullable=False),
    Column("ends_at", DateTime),
    Column("place", String(300), nullable=False, server_default=""),
    Column("description", Text, nullable=False, server_default=""),
    Column("created_by", ForeignKey("members.id", ondelete="SET NULL")),
    Column("created_at", DateTime, nullable=False),
)

rsvps = Table(
    "rsvps",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("answer", String(8), nullable=False),  # going | maybe | no
    Column("answered_at", DateTime, nullable=False),
    Column("checked_in_at", DateTime),
)

conversations = Table(  # two members who talked at an event: each gets a follow-up 48 hours later
    "event_conversations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("other_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("recorded_at", DateTime, nullable=False),
    Column("follow_up_due", DateTime, nullable=False),
    Column("followed_up_at", DateTime),
    UniqueConstraint("event_id", "member_id", "other_id"),
)

handoffs = Table(  # a member moving from one chapter's region into another's
    "handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("from_chapter_id", ForeignKey("chapters.id"), nullable=False),
    Column("to_chapter_id", ForeignKey("chapters.id"), nullable=False),
    Column("status", String(10), nullable=False, server_default="proposed"),  # proposed | accepted | dismissed
    Column("proposed_at", DateTime, nullable=False),
    Column("answered_at", DateTime),
)

# --- background work: matching passes and digests, shared by every web worker --------------------------------

jobs = Table(  # read with FOR UPDATE SKIP LOCKED, so any number of workers can share it
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),  # match_all | match_item | digest | ...
    Column("payload", Text, nullable=False, server_default="{}"),  # JSON
    Column("run_after", DateTime, nullable=False),
    Column("locked_at", DateTime),
    Column("locked_by", String(100)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("done_at", DateTime),
    Column("error", Text),
    Index("ix_jobs_pending", "done_at", "run_after"),
)

digests = Table(  # the weekly digests sent, one per member and week, so a restart never sends twice
    "digests",
    metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("week", String(10), primary_key=True),  # ISO week, 2026-W49
    Column("sent_at", DateTime, nullable=False),
)
