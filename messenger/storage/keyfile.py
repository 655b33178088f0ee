"""The key file: the database key wrapped by an Argon2id-stretched passphrase.

Format (version 1), one msgpack map::

    magic "hearth-key", v 1, kdf "argon2id13", ops, mem, salt (16 bytes),
    aead "xchacha20poly1305-ietf", nonce (24 bytes), wrapped (32 + 16 bytes), check (16 bytes)

``wrapped`` is the 32-byte database key sealed with XChaCha20-Poly1305 under
``Argon2id(passphrase, salt, ops, mem)``; the header fields are its associated data, so no
parameter can be changed without the seal failing. ``check`` is an unkeyed BLAKE2b digest of
everything else: it tells a damaged file (:class:`ProfileCorrupt`) apart from a wrong passphrase
(:class:`WrongPassphrase`), which a failed seal alone cannot.

Honest limits of Python here: the database key lives in a ``bytearray`` that we zero as soon as
SQLCipher has it, but PyNaCl returns immutable ``bytes`` (the Argon2 output, the unsealed key)
and the passphrase arrives as a ``str``; those copies are dropped, not wiped, and live until the
garbage collector reuses their memory. SQLCipher keeps its own copy of the key and wipes it when
the connection closes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgpack
import nacl.bindings
import nacl.exceptions
import nacl.pwhash
import nacl.utils

from .errors import PassphraseRejected, ProfileCorrupt, ProfileMissing, WrongPassphrase
from .memory import available_memory

MAGIC = "hearth-key"
FORMAT_VERSION = 1
KDF_NAME = "argon2id13"
AEAD_NAME = "xchacha20poly1305-ietf"
DB_KEY_LEN = 32
SALT_LEN = nacl.pwhash.argon2id.SALTBYTES
NONCE_LEN = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
TAG_LEN = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_ABYTES
CHECK_LEN = 16
MAX_KEY_FILE = 4096
# Bounds on the parameters a key file may ask for: a foreign or hostile file must not make
# unlocking take minutes or eat all memory.
MAX_OPSLIMIT = 32
MAX_MEMLIMIT = 4 << 30


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost: ``opslimit`` passes over ``memlimit`` bytes."""

    opslimit: int
    memlimit: int

    def __post_init__(self) -> None:
        if not nacl.pwhash.argon2id.OPSLIMIT_MIN <= self.opslimit <= MAX_OPSLIMIT:
            raise ValueError(f"opslimit out of range: {self.opslimit}")
        if not nacl.pwhash.argon2id.MEMLIMIT_MIN <= self.memlimit <= MAX_MEMLIMIT:
            raise ValueError(f"memlimit out of range: {self.memlimit}")


MODERATE = KdfParams(nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE)
INTERACTIVE = KdfParams(
    nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
)
#: The cheapest Argon2id libsodium allows: for tests only, never for a real profile.
MINIMUM = KdfParams(nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN)

#: Below this much available memory, use :data:`INTERACTIVE` instead of :data:`MODERATE`.
MODERATE_NEEDS = 4 * MODERATE.memlimit


def default_kdf_params(available: int | None = None) -> KdfParams:
    """Moderate Argon2id limits, or interactive ones when memory is short.

    ``available`` defaults to :func:`available_memory`; unknown means "assume enough".
    """
    if available is None:
        available = available_memory()
    if available is not None and available < MODERATE_NEEDS:
        return INTERACTIVE
    return MODERATE


def passphrase_bytes(passphrase: str) -> bytes:
    """The passphrase as NFC-normalised UTF-8 (so the same words typed anywhere match)."""
    if not isinstance(passphrase, str):
        raise PassphraseRejected("the passphrase must be text")
    if not passphrase:
        raise PassphraseRejected("the passphrase is empty")
    try:
        return unicodedata.normalize("NFC", passphrase).encode("utf-8")
    except UnicodeEncodeError:
        raise PassphraseRejected("the passphrase is not valid text") from None


def zero(buffer: bytearray) -> None:
    """Overwrite ``buffer`` with zeros in place."""
    buffer[:] = bytes(len(buffer))


@dataclass(frozen=True, slots=True)
class KeyFile:
    """A parsed key file (no secret in it: the database key is still sealed)."""

    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def header(self) -> bytes:
        fields = [MAGIC, FORMAT_VERSION, KDF_NAME, self.params.opslimit, self.params.memlimit]
        return bytes(msgpack.packb([*fields, self.salt, AEAD_NAME], use_bin_type=True))

    def checksum(self) -> bytes:
        material = self.header() + self.nonce + self.wrapped
        return hashlib.blake2b(material, digest_size=CHECK_LEN, person=b"hearth-keyfile").digest()

    def encode(self) -> bytes:
        return bytes(
            msgpack.packb(
                {
                    "magic": MAGIC,
                    "v": FORMAT_VERSION,
                    "kdf": KDF_NAME,
                    "ops": self.params.opslimit,
                    "mem": self.params.memlimit,
                    "salt": self.salt,
                    "aead": AEAD_NAME,
                    "nonce": self.nonce,
                    "wrapped": self.wrapped,
                    "check": self.checksum(),
                },
                use_bin_type=True,
            )
        )


def _stretch(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        DB_KEY_LEN,
        passphrase_bytes(passphrase),
        salt,
        opslimit=params.opslimit,
        memlimit=params.memlimit,
    )


def wrap_key(db_key: bytearray, passphrase: str, params: KdfParams) -> KeyFile:
    """Seal ``db_key`` under a key stretched from ``passphrase`` with a fresh salt and nonce."""
    if len(db_key) != DB_KEY_LEN:
        raise ValueError("the database key must be 32 bytes")
    passphrase_bytes(passphrase)  # reject a bad passphrase before spending a second on it
    salt = nacl.utils.random(SALT_LEN)
    nonce = nacl.utils.random(NONCE_LEN)
    draft = KeyFile(params, salt, nonce, b"")
    kek = _stretch(passphrase, salt, params)
    wrapped = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        bytes(db_key), draft.header(), nonce, kek
    )
    return KeyFile(params, salt, nonce, wrapped)


def unwrap_key(keyfile: KeyFile, passphrase: str) -> bytearray:
    """The database key, or :class:`WrongPassphrase`."""
    kek = _stretch(passphrase, keyfile.salt, keyfile.params)
    try:
        plain = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            keyfile.wrapped, keyfile.header(), keyfile.nonce, kek
        )
    except nacl.exceptions.CryptoError:
        raise WrongPassphrase("the passphrase is not right for this profile") from None
    return bytearray(plain)


def _field(body: dict[Any, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProfileCorrupt(f"the key file is damaged (field {name!r} is missing or wrong)")
    return value


def decode(data: bytes) -> KeyFile:
    """Parse and check a key file's bytes; :class:`ProfileCorrupt` with a clear reason if not."""
    try:
        body = msgpack.unpackb(data, raw=False, strict_map_key=False, max_bin_len=MAX_KEY_FILE)
    except Exception:
        raise ProfileCorrupt("this is not a Hearth key file (it cannot be read)") from None
    if not isinstance(body, dict) or body.get("magic") != MAGIC:
        raise ProfileCorrupt("this is not a Hearth key file")
    version = body.get("v")
    if version != FORMAT_VERSION:
        raise ProfileCorrupt(f"the key file has format version {version!r}; this Hearth reads 1")
    if body.get("kdf") != KDF_NAME or body.get("aead") != AEAD_NAME:
        raise ProfileCorrupt("the key file uses an unknown key derivation or cipher")
    try:
        params = KdfParams(_field(body, "ops", int), _field(body, "mem", int))
    except ValueError:
        raise ProfileCorrupt("the key file asks for unreasonable Argon2id limits") from None
    salt = _field(body, "salt", bytes)
    nonce = _field(body, "nonce", bytes)
    wrapped = _field(body, "wrapped", bytes)
    check = _field(body, "check", bytes)
    if len(salt) != SALT_LEN or len(nonce) != NONCE_LEN or len(wrapped) != DB_KEY_LEN + TAG_LEN:
        raise ProfileCorrupt("the key file is damaged (a field has the wrong length)")
    parsed = KeyFile(params, salt, nonce, wrapped)
    if parsed.checksum() != check:
        raise ProfileCorrupt("the key file is damaged (its checksum does not match)")
    return parsed


def read(path: Path) -> KeyFile:
    """Read and parse the key file at ``path`` (reads only; modifies nothing)."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise ProfileMissing("there is no profile here (no key file)") from None
    except IsADirectoryError:
        raise ProfileCorrupt("the key file is a directory") from None
    except OSError as exc:
        raise ProfileCorrupt(f"the key file cannot be read ({exc.strerror})") from None
    if len(data) > MAX_KEY_FILE:
        raise ProfileCorrupt("this is not a Hearth key file (it is far too large)")
    return decode(data)
