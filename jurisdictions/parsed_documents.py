"""Each rule-profile and criteria document is parsed once per process, not once per request.

Validating a profile with its typed schema costs more than the rest of a small page; the parsed
object is read-only, so a worker process keeps one per stored row. The cache is keyed by the row
and checked against the document itself: an edited or reloaded version (or an unsaved change on an
instance) never gets the old parse, it is simply parsed again.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 256
_parsed: dict[tuple[str, int], tuple[Any, Any]] = {}
_lock = threading.Lock()


def parsed_once(kind: str, pk: int | None, document: Any, parse: Callable[[Any], T]) -> T:
    """`parse(document)`, reused while row `pk` of `kind` still holds an equal document."""
    if pk is None:
        return parse(document)
    key = (kind, pk)
    hit = _parsed.get(key)
    if hit is not None and hit[0] == document:
        return hit[1]
    result = parse(document)
    with _lock:
        if len(_parsed) >= MAX_ENTRIES:
            _parsed.clear()
        # A copy: later in-place edits of the instance's document must not change what is compared.
        _parsed[key] = (copy.deepcopy(document), result)
    return result


def forget_all() -> None:
    _parsed.clear()
