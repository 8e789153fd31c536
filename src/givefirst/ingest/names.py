"""People's names as sources write them: credentials kept apart, and a form for comparing names."""

from __future__ import annotations

import re
import unicodedata

# Post-nominals a name may end in: degrees, licences, certifications, generational suffixes. Only these are
# credentials: a word is never one just because it is written in capitals ("NGUYEN THI MINH ANH" is a name).
# Compared in lower case without dots, so "Ph.D.", "PhD" and "PHD" are one entry.
POST_NOMINALS = frozenset(
    {"phd", "dphil", "edd", "psyd", "dba", "dds", "dmd", "dvm", "jd", "llm", "llb", "mba", "mpa", "mph", "mpp",
     "msc", "mfa", "msw", "bsc", "beng", "meng", "mbbs", "frcs", "mrcp", "facs", "facp", "faicp", "aicp", "cpa",
     "cfa", "cfp", "cma", "cia", "cisa", "cism", "cissp", "acca", "aca", "fca", "frm", "pmp", "capm", "csm", "cspo",
     "itil", "rn", "bsn", "msn", "lpn", "crna", "fnp", "pharmd", "esq", "shrm-cp", "shrm-scp", "sphr",
     "phr", "gphr", "cscp", "cpim", "cpsm", "cscmp", "cppm", "pmi-acp", "cfe", "cams", "cpc", "ceng", "fcca", "acma",
     "cgma", "mcips", "frics", "mrics", "icwa", "leed", "jr", "sr", "ii", "iii", "iv"}
)  # fmt: skip
# Post-nominals that are also names or parts of names ("Ma" and "Ba" are family names, "Do" a Vietnamese one,
# "Md." stands for Muhammad): credentials only after a comma ("Li Ma, MA") or written with dots ("M.D.").
NAME_LIKE_POST_NOMINALS = frozenset(
    {"ma", "ms", "md", "ba", "bs", "do", "pe", "ca", "np", "pa", "med", "lean", "six", "sigma", "v"}
)  # fmt: skip
_SPACES = re.compile(r"\s+")


def _folded(token: str) -> str:
    return token.strip(" ,").replace(".", "").lower()


def is_credential(token: str, after_comma: bool = False) -> bool:
    """Return whether a word is a known post-nominal: "CPA", "Ph.D.", "jr."; "MA" only after a comma or dotted."""
    bare = token.strip(" ,")
    folded = _folded(bare)
    if folded in POST_NOMINALS:
        return True
    return folded in NAME_LIKE_POST_NOMINALS and (after_comma or "." in bare.rstrip(".") or bare.endswith("."))


def is_credentials(text: str) -> bool:
    """Return whether text after a comma holds only post-nominals ("CPA", "Ph.D., PMP", "Lean Six Sigma")."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return bool(parts) and all(is_credential(t, after_comma=True) for p in parts for t in p.split())


def split_credentials(name: str) -> tuple[str, str | None]:
    """Return (name, credentials): "Dana Whitfield, CPA, PMP" → ("Dana Whitfield", "CPA, PMP").

    Only known post-nominals are credentials (see POST_NOMINALS): after a comma ("Aisha Bello, Ph.D."), or as
    the last words of a name of three words or more ("Li Wei PhD" → ("Li Wei", "PhD")). Anything else stays in
    the name, however it is written: "NGUYEN THI MINH ANH" and "Doe, John" are names.
    """
    text = _SPACES.sub(" ", name).strip()
    if "," in text:
        head, _, tail = text.partition(",")
        if head.strip() and is_credentials(tail):
            return head.strip(), ", ".join(p.strip() for p in tail.split(",") if p.strip())
        return text, None
    tokens = text.split(" ")
    cut = len(tokens)
    while cut > 2 and is_credential(tokens[cut - 1]):
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
