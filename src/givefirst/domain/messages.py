"""Suggested messages for plan items: short, warm, give-first, in the user's voice."""

from __future__ import annotations

from givefirst.domain.words import plural


def ago(days: float | None) -> str:
    """Return how long ago, in words a person uses: "today", "12 days ago", "3 months ago", "2.4 years ago"."""
    if days is None:
        return "never"
    if days < 1:
        return "today"
    if days < 60:
        return f"{plural(round(days), 'day')} ago"
    if days < 730:
        return f"{plural(round(days / 30.4), 'month')} ago"
    return f"{days / 365.25:.1f} years ago"


def first_name(name: str) -> str:
    """Return the name a message opens with ("Dr. Ana María Ruiz" → "Ana")."""
    parts = [p for p in name.replace(",", " ").split() if p.rstrip(".").lower() not in {"dr", "mr", "mrs", "ms"}]
    return parts[0] if parts else name


def deliver_promise(name: str, what: str) -> str:
    return (
        f"Hi {first_name(name)} — following through on what I promised (“{what.rstrip('.')}”): here it is. "
        "Anything else I can help with?"
    )


def follow_up(name: str, summary: str) -> str:
    topic = f" after {summary}" if summary else ""
    return f"Hi {first_name(name)}, following up{topic} — it was good to connect. Is there anything I can help with?"


def confirm_meeting(name: str, summary: str) -> str:
    return f"(Did '{summary or 'this'}' with {first_name(name)} happen? Log it so your network stays accurate.)"


def pass_on_giveable(name: str, need: str, offer: str) -> str:
    return (
        f"Hi {first_name(name)}, you mentioned {need_phrase(need)}. Thought of you: {offer}. Want me to send details?"
    )


def introduce(needer: str, offerer: str, need: str, offer: str) -> str:
    return (
        f"Hi {first_name(needer)}, you mentioned {need_phrase(need)}. {offerer} ({offer}) might be a great "
        f"person to talk to — would you like an introduction? I'll check with {first_name(offerer)} first."
    )


def intro_nudge(asked: str, other: str) -> str:
    return (
        f"Hi {first_name(asked)}, just checking whether you'd like the introduction to {other} — "
        "no pressure either way, a no is fine too."
    )


def check_in(name: str, opener: str | None) -> str:
    if opener:
        return f"Hi {first_name(name)}, it's been a while — {opener}. How are things with you?"
    return f"Hi {first_name(name)}, it's been a while! How are you, and what are you working on these days?"


def give_first_question(name: str) -> str:
    """The give-first question, in the user's voice: attention offered, nothing asked for."""
    return (
        f"Hi {first_name(name)}, I was thinking of you — what are you working on these days, and is there "
        "anything I could help with? Happy to make an introduction or dig something up."
    )


def revive(name: str, years: float, opener: str | None) -> str:
    span = "a few years" if years >= 3 else "a while"
    hook = f" {opener[:1].upper()}{opener[1:]}." if opener else " I was thinking about our time working together."
    return f"Hi {first_name(name)}, it's been {span} — hope you're well!{hook} Would love to hear what you're up to."


def upcoming(summary: str, helpable: list[str]) -> str:
    if helpable:
        return f"Go to {summary}: bring ideas for {', '.join(helpable[:3])}."
    return f"Go to {summary}: say hello and ask people what they are working on."


def need_phrase(text: str) -> str:
    """Quote a need as the person wrote it, trimmed, for use mid-sentence."""
    return f"“{text.strip().rstrip('.')}”"


def path_opener(name: str, next_name: str | None, purpose: str, recent: bool = False) -> str:
    """Return the first message of a warm path: the ask for an introduction (or a meeting), ready to send.

    The give to open with is a private hint shown beside the message, never written into it.
    """
    hello = f"Hi {first_name(name)}, " + (
        "good to talk the other day!" if recent else "it's been a while — how are you?"
    )
    if next_name is None:
        return f"{hello} I'm {purpose} — would you have time for a coffee or a call soon?"
    knows = "I believe you two know each other" if next_name in purpose else f"I believe you know {next_name}"
    return (
        f"{hello} I'm {purpose}, and {knows}. Would you be open to introducing us? "
        "No pressure at all if the timing isn't right."
    )
