"""HTML the sanitizer left unchanged at the last build, by SHA-256, so that a rebuild
does not clean it again (issue 24, `rebuild9`).

Every build cleans every story's body and summary as soon as Pelican has read it, from
the reader cache too: nh3's parse and serialization of ~1,000 bodies took a rebuild's
process 0.145 s of CPU at 1,000 stories (7 % of its critical path), ~1.4 s at 10,000.
Nearly every body is clean, and cleaning clean HTML gives it back unchanged. So the
digests of the bodies (with their formatted fields) the sanitizer returned unchanged are
kept in `<CACHE_PATH>/safe-html-clean.bin`, under the policy's fingerprint (nh3's
version, `policy.py`'s code, the trusted iframe hosts): a body whose digest is there is
clean under the same policy, and is published as it is, with no finding, exactly as
cleaning it would. Hashing a body costs about a fifth of cleaning it.

HTML the sanitizer changed is never kept: it is cleaned, and its problems reported, at
every build. The file holds the digests this build saw clean (those of edited or removed
stories go), after a SHA-256 of the rest; it is written atomically, not flushed: a
damaged or missing file, or another policy's, means every body is cleaned once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

import nh3

from safe_html import policy as policy_module
from tdbvantq.writes import write_atomically

FILE_NAME = "safe-html-clean.bin"
FORMAT = b"safe-html-clean-1\0"
DIGEST = 32


def policy_fingerprint(iframe_hosts: tuple[str, ...]) -> bytes:
    """What decides what the sanitizer keeps: nh3 (ammonia), policy.py, the hosts."""
    digest = hashlib.sha256(FORMAT + nh3.__version__.encode() + b"\0")
    digest.update(Path(policy_module.__file__).read_bytes())
    digest.update("\0".join(iframe_hosts).encode())
    return digest.digest()


def digest_of(body: str, fields: Mapping[str, str]) -> bytes:
    """A body and its formatted fields, each text after its length."""
    parts = [body, *(part for key in sorted(fields) for part in (key, fields[key]))]
    encoded = [part.encode("utf-8", "surrogatepass") for part in parts]
    digest = hashlib.sha256(b"".join(len(part).to_bytes(8, "little") + part for part in encoded))
    return digest.digest()


class KnownClean:
    """The digests read from the last build (`known`) and those this build saw clean."""

    def __init__(self, path: Path, fingerprint: bytes) -> None:
        self.path, self.fingerprint = path, fingerprint
        self.known = _read(path, fingerprint)
        self.seen: set[bytes] = set()

    def save(self) -> None:
        """Write the digests this build saw clean, when they differ from the last's."""
        if self.seen == self.known:
            return
        payload = self.fingerprint + b"".join(sorted(self.seen))
        try:
            write_atomically(self.path, hashlib.sha256(payload).digest() + payload, durable=False)
        except OSError:
            pass  # next build cleans every body once; nothing else depends on it


def _read(path: Path, fingerprint: bytes) -> set[bytes]:
    try:
        data = path.read_bytes()
    except OSError:
        return set()
    checksum, payload = data[:DIGEST], data[DIGEST:]
    if hashlib.sha256(payload).digest() != checksum or payload[:DIGEST] != fingerprint:
        return set()
    body = payload[DIGEST:]
    if len(body) % DIGEST:
        return set()
    return {body[start : start + DIGEST] for start in range(0, len(body), DIGEST)}


_builds: dict[str, KnownClean] = {}  # the running build's, by cache folder and hosts


def for_site(settings: Mapping[str, object], iframe_hosts: tuple[str, ...]) -> KnownClean | None:
    """The running build's known-clean digests, None without a CACHE_PATH."""
    folder = settings.get("CACHE_PATH")
    if not folder:
        return None
    name = f"{os.fspath(folder)}\0{iframe_hosts}"
    if name not in _builds:
        _builds[name] = KnownClean(Path(folder) / FILE_NAME, policy_fingerprint(iframe_hosts))
    return _builds[name]


def start_build(*_: object) -> None:
    """`initialized`: a new build reads the file again (tests run builds in one process)."""
    _builds.clear()


def save_all(*_: object) -> None:
    """`finalized`: what this build saw clean, for the next one."""
    for known in _builds.values():
        known.save()
    _builds.clear()
