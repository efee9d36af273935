"""One registry shape for every table of named parts (proxies, search spaces, search algorithms,
baselines, predictors, uncertainty scores, combination rules, curve models): register with optional
metadata, a duplicate name raises, and a lookup of an unknown name is one line with a did-you-mean
and the known names. Modelled on torchvision's model registry."""
from __future__ import annotations

from typing import Any, Callable, Generic, Iterator, Mapping, TypeVar

from .errors import ZcError, did_you_mean

T = TypeVar("T")
_MISSING: Any = object()


class UnknownName(ZcError):
    """A name no registry entry has."""


class Registry(Mapping[str, T], Generic[T]):
    """Name -> entry, in registration order; reads like a dict.

    ``kind`` names an entry in messages ("proxy", "search algorithm"); ``error`` is the exception type
    an unknown name raises (a :class:`UnknownName` by default, a subclass of the project's root)."""

    def __init__(self, kind: str, error: type[ZcError] = UnknownName):
        self.kind = kind
        self.error = error
        self._entries: dict[str, T] = {}
        self._meta: dict[str, dict[str, Any]] = {}

    def add(self, name: str, entry: T, **meta: Any) -> T:
        """Register ``entry`` under ``name`` (with ``meta``, read back by :meth:`meta`); a name already
        taken raises ``ValueError`` (two parts claiming one name is a bug, not bad input)."""
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._entries[name] = entry
        self._meta[name] = dict(meta)
        return entry

    def register(self, name: str, **meta: Any) -> Callable[[T], T]:
        """Decorator form of :meth:`add`: the decorated function or class is the entry."""
        def wrap(entry: T) -> T:
            return self.add(name, entry, **meta)
        return wrap

    def get(self, name: str, default: Any = _MISSING) -> T:  # type: ignore[override]
        """The entry ``name``; without ``default``, an unknown name raises this registry's error in
        one line, with the closest known name and the list of all."""
        if name in self._entries:
            return self._entries[name]
        if default is not _MISSING:
            return default
        raise self.error(f"unknown {self.kind} {name!r}{did_you_mean(str(name), self._entries)}; "
                         f"choose from {', '.join(self._entries)}")

    def meta(self, name: str) -> dict[str, Any]:
        """The metadata ``name`` was registered with."""
        self.get(name)
        return dict(self._meta[name])

    def names(self) -> list[str]:
        return list(self._entries)

    def __getitem__(self, name: str) -> T:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}: {', '.join(self._entries)})"
