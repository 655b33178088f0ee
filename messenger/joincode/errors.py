"""The join-code error hierarchy."""

from __future__ import annotations

from enum import Enum

from ..errors import HearthError


class JoinCodeProblem(Enum):
    EMPTY = "empty"
    MALFORMED = "malformed"
    BAD_CHANNEL = "bad_channel"
    UNKNOWN_WORD = "unknown_word"


_CODE_MESSAGES = {
    JoinCodeProblem.EMPTY: "Type the code the host reads out, like 7-amber-lantern.",
    JoinCodeProblem.MALFORMED: "A join code is a number and two words, like 7-amber-lantern.",
    JoinCodeProblem.BAD_CHANNEL: "The number in a join code is between 1 and 99.",
    JoinCodeProblem.UNKNOWN_WORD: "That word is not one a join code uses.",
}


class JoinError(HearthError):
    """Base of the join-code errors."""

    code = "join_failed"


class JoinCodeError(JoinError):
    """Text that is not a join code; ``suggestions`` lists words close to an unknown one."""

    code = "bad_join_code"

    def __init__(
        self, problem: JoinCodeProblem, *, word: str = "", suggestions: tuple[str, ...] = ()
    ) -> None:
        text = _CODE_MESSAGES[problem]
        if word:
            text = f"“{word}” is not a word join codes use."
            if suggestions:
                text += " Did you mean " + " or ".join(f"“{s}”" for s in suggestions) + "?"
        super().__init__(text)
        self.problem = problem
        self.word = word
        self.suggestions = suggestions


class JoinStateError(JoinError):
    """A join session was asked to do something its state does not allow (a local bug)."""

    code = "join_state"


class FrameError(JoinError):
    """A length-framed stream broke its limits."""

    code = "join_frame"
