"""People's names as sources write them: credentials kept apart, and a form for comparing names."""

from __future__ import annotations

import re
import unicodedata

# Post-nominal credentials and suffixes that sources glue onto names: "Dana Whitfield, CPA", "Li Wei PhD".
_CREDENTIALS = {
    "cpa", "cfa", "cfp", "phd", "ph.d.", "ph.d", "md", "m.d.", "mba", "jd", "j.d.", "esq", "esq.", "pmp", "pe",
    "p.e.", "rn", "dds", "dvm", "msc", "ma", "ms", "bsc", "cissp", "shrm-cp", "shrm-scp", "cscp", "cpim", "cpsm",
    "lean", "six", "sigma", "jr", "jr.", "sr", "sr.", "ii", "iii", "iv",
}  # fmt: skip
_SPACES = re.compile(r"\s+")


_ACRONYM = re.compile(r"^[A-Z][A-Za-z.&-]{1,9}$")


def _is_credential(token: str) -> bool:
    """Known credentials, or an acronym-like token, mostly capitals ("CSCMP", "PhD", "MBA")."""
    bare = token.strip(" ,")
    if bare.lower() in _CREDENTIALS or bare.strip(".").lower() in _CREDENTIALS:
        return True
    letters = [c for c in bare if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return bool(_ACRONYM.match(bare)) and capitals >= 2 and 2 * capitals >= len(letters)  # not "McDonald"


def split_credentials(name: str) -> tuple[str, str | None]:
    """Return (name, credentials): "Dana Whitfield, CPA, PMP" → ("Dana Whitfield", "CPA, PMP").

    Credentials after a comma are always split off; without a comma only known credential tokens at the end
    are ("Li Wei PhD" → ("Li Wei", "PhD")), so that a family name is never mistaken for one.
    """
    text = _SPACES.sub(" ", name).strip()
    if "," in text:
        head, _, tail = text.partition(",")
        parts = [p.strip() for p in tail.split(",") if p.strip()]
        if head.strip() and parts and all(all(_is_credential(t) for t in p.split()) for p in parts):
            return head.strip(), ", ".join(parts)
        return text, None
    tokens = text.split(" ")
    cut = len(tokens)
    while cut > 2 and _is_credential(tokens[cut - 1]):
        cut -= 1
    if cut < len(tokens):
        return " ".join(tokens[:cut]), " ".join(tokens[cut:])
    return text, None


def comparable_name(name: str) -> str:
    """Return a name folded for comparison: no accents, no credentials, no punctuation, lower case."""
    base, _ = split_credentials(name)
    folded = unicodedata.normalize("NFKD", base)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[^\w\s-]", " ", folded.casefold())
    return _SPACES.sub(" ", folded).strip()
