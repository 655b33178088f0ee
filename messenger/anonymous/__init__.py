"""Anonymous authorship: linkable ring signatures over the certified roster (see docs/ANONYMITY.md).

- :mod:`.ring` — LSAG over edwards25519 with a per-window linkage base (libsodium via PyNaCl);
- :mod:`.proof` — what an anonymous post or report carries, its strict wire form, the roster check;
- :mod:`.budget` — per-window counting and cut-off by linkage tag, naming nobody.
"""

from .budget import AnonymousBudget, BudgetVerdict
from .errors import RingProblem, RingSignatureError
from .proof import AnonymousProof, check, decode, linkage_context, prove, window_of

__all__ = [
    "AnonymousBudget",
    "AnonymousProof",
    "BudgetVerdict",
    "RingProblem",
    "RingSignatureError",
    "check",
    "decode",
    "linkage_context",
    "prove",
    "window_of",
]
