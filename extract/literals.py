"""The literal words every match of a pattern starts with: a cheap `in` test before a costly search.

Python's regex engine finds a pattern that opens with one literal fast, but an alternation of many
branches is tried at every position of the text. A text that holds none of the branches' opening
words cannot match, and `str.__contains__` tells that far faster than the search."""

from __future__ import annotations

from collections.abc import Iterator

_META = set(".^$*+?{}[]\\|()")
_OPTIONAL = ("?", "*", "{")
MIN_LITERAL = 2  # an opening word shorter than this filters nothing


def openings(pattern: str) -> tuple[str, ...] | None:
    """The literal texts the branches of `pattern` open with (inner groups opened at the start are
    followed, a class of quote marks counts), or None when some branch opens with no literal of
    MIN_LITERAL characters (a class of letters, a lookaround, an escape, an optional part)."""
    found: list[str] = []
    for branch in _branches(pattern):
        opened = _opening(branch)
        if opened is None:
            return None
        found += opened
    return tuple(dict.fromkeys(found)) or None


def _opening(branch: str) -> list[str] | None:
    if branch.startswith("(?-i:"):  # a case-bound branch: in lower-cased text capitals never match
        close = _closing(branch, 0)
        inner = openings(branch[5:close]) if close is not None else None
        if inner is None:
            return None
        return [] if all(w != w.lower() for w in inner) else list(inner)
    if branch.startswith("(?:"):
        close = _closing(branch, 0)
        if close is None or branch[close + 1 : close + 2] in _OPTIONAL:
            return None  # an optional group opens nothing for sure
        inner = openings(branch[3:close])
        return list(inner) if inner else None
    if branch.startswith("[") and "]" in branch[1:]:  # a class of rare marks ("[“\"]") opens as well
        end = branch.index("]", 1)
        marks, optional = branch[1:end], branch[end + 1 : end + 2] in _OPTIONAL
        plain = "-" not in marks and not any(ch.isalnum() or ch == "\\" for ch in marks)
        return list(marks) if marks and plain and not optional else None
    literal: list[str] = []
    for i, ch in enumerate(branch):
        if ch in _META:
            if branch[i : i + 1] in _OPTIONAL and literal:
                literal.pop()  # "cờ?": the last character may be absent
            break
        literal.append(ch)
    text = "".join(literal)
    return [text] if len(text) >= MIN_LITERAL else None


def _structure(pattern: str, at: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth after it) of each bracket and bar of `pattern` from `at`, escapes and
    character classes skipped: the one scan the branch and group readers share."""
    depth, i, in_class = 0, at, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[ch]
            yield i, ch, depth
        i += 1


def _branches(pattern: str) -> list[str]:
    """The top-level branches of `pattern` (a pattern that is one group is opened first)."""
    if pattern.startswith("(?:") and _closing(pattern, 0) == len(pattern) - 1:
        pattern = pattern[3:-1]
    bars = [i for i, ch, depth in _structure(pattern) if ch == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *bars], [*bars, len(pattern)], strict=True)]


def _closing(pattern: str, at: int) -> int | None:
    """The index of the bracket closing the group opened at `at`."""
    return next((i for i, ch, depth in _structure(pattern, at) if ch == ")" and depth == 0), None)
