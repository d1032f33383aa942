"""Keys of the ledger's actors: Ed25519 key pairs, key files and keyrings.

Each entry is signed with Ed25519 (RFC 8032) by the acting party's private key over the 32
raw bytes of its ``entry_hash``; the 32-byte raw public key is stored in the entry as 64
lowercase hex digits (:func:`public_key_hex`). Private keys are kept as PKCS#8 PEM files
readable by their owner only (mode 0600, :func:`save_private_key`); a :class:`Keyring` is a
directory of them with the public keys beside, whose public keys serve as the
``trusted_keys`` of :func:`~postmine.registry.ledger.verify.verify`.

References
----------
[RFC8032] S. Josefsson, I. Liusvaara, Edwards-Curve Digital Signature Algorithm (EdDSA),
          RFC 8032, 2017.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from postmine.registry.ledger.canonical import digest_bytes

__all__ = [
    "Keyring",
    "generate_private_key",
    "load_private_key",
    "public_key_from_hex",
    "public_key_hex",
    "save_private_key",
]

_ACTOR_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def generate_private_key() -> Ed25519PrivateKey:
    """Generate a new Ed25519 private key for an actor."""
    return Ed25519PrivateKey.generate()


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Raw 32-byte public key of a key (or key pair) as 64 lowercase hex digits.

    Examples
    --------
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> public_key_hex(key)
    '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29'
    """
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_key_from_hex(text: str) -> Ed25519PublicKey:
    """Read a raw Ed25519 public key written as 64 lowercase hex digits.

    Raises
    ------
    ValueError
        If the text is not 64 lowercase hex digits or not a valid key.
    """
    raw = digest_bytes("public_key", text)
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise ValueError(f"public_key is not a valid Ed25519 key: {text}") from None


def _write_secret(path: Path, data: bytes, overwrite: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise FileExistsError(
            f"key file {path} exists; refusing to overwrite a private key (overwrite=True to "
            "replace it)"
        ) from None
    with os.fdopen(fd, "wb") as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), 0o600)  # also when the file existed with other bits
        handle.write(data)


def save_private_key(
    key: Ed25519PrivateKey,
    path: str | os.PathLike[str],
    *,
    passphrase: bytes | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a private key as PKCS#8 PEM readable by its owner only (mode 0600).

    Parameters
    ----------
    key : Ed25519PrivateKey
        The key. [-]
    path : str or path-like
        File to write. [-]
    passphrase : bytes, optional
        Encrypt the PEM with this passphrase (the best encryption ``cryptography`` has). [-]
    overwrite : bool, optional
        Replace an existing file (default: refuse). [-]

    Returns
    -------
    pathlib.Path
        The path written. [-]

    Raises
    ------
    FileExistsError
        If the file exists and ``overwrite`` is false.
    """
    target = Path(path)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    _write_secret(target, pem, overwrite)
    return target


def load_private_key(
    path: str | os.PathLike[str], *, passphrase: bytes | None = None
) -> Ed25519PrivateKey:
    """Read a private key written by :func:`save_private_key`.

    Parameters
    ----------
    path : str or path-like
        PEM file. [-]
    passphrase : bytes, optional
        Passphrase of an encrypted PEM. [-]

    Returns
    -------
    Ed25519PrivateKey
        The key. [-]

    Raises
    ------
    PermissionError
        If (on POSIX) the file is readable or writable by group or others (as ssh refuses
        such keys); the message gives the ``chmod`` that fixes it.
    ValueError
        If the file is not a PEM private key, the passphrase is wrong or missing, or the key
        is not Ed25519.
    """
    source = Path(path)
    mode = stat.S_IMODE(source.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        raise PermissionError(
            f"key file {source} has mode {mode:04o}; a private key must be readable by its "
            f"owner only (mode 0600): chmod 600 {source}"
        )
    try:
        key = serialization.load_pem_private_key(source.read_bytes(), password=passphrase)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"cannot read the private key in {source}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"key in {source} is {type(key).__name__}, not an Ed25519 key")
    return key


class Keyring:
    """A directory of actors' keys: ``<actor>.pem`` (private, 0600) and ``<actor>.pub`` (hex).

    Parameters
    ----------
    directory : str or path-like
        Directory of the keys; created with mode 0700 when a key is first added. [-]

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ring = Keyring(tmp)
    ...     key = ring.create("regulator")
    ...     ring.public_keys() == {"regulator": public_key_hex(key)}
    True
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _path(self, actor: str, suffix: str) -> Path:
        if not isinstance(actor, str) or not _ACTOR_FILE.fullmatch(actor):
            raise ValueError(
                "actor must be 1-128 characters of letters, digits, '.', '_' or '-', not "
                f"starting with '.', '_' or '-' (it names a key file), got {actor!r}"
            )
        return self.directory / f"{actor}{suffix}"

    def create(
        self, actor: str, *, passphrase: bytes | None = None, overwrite: bool = False
    ) -> Ed25519PrivateKey:
        """Generate and save a key pair for ``actor``; return the private key.

        Raises
        ------
        ValueError
            If ``actor`` cannot name a file.
        FileExistsError
            If the actor has a key already and ``overwrite`` is false.
        """
        pem = self._path(actor, ".pem")
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = generate_private_key()
        save_private_key(key, pem, passphrase=passphrase, overwrite=overwrite)
        self._path(actor, ".pub").write_text(public_key_hex(key) + "\n", encoding="ascii")
        return key

    def load(self, actor: str, *, passphrase: bytes | None = None) -> Ed25519PrivateKey:
        """Load the private key of ``actor`` (see :func:`load_private_key` for the errors)."""
        return load_private_key(self._path(actor, ".pem"), passphrase=passphrase)

    def actors(self) -> list[str]:
        """Actors with a public key in the directory, sorted."""
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.pub"))

    def public_keys(self) -> dict[str, str]:
        """Public key (hex) of every actor, e.g. as ``trusted_keys`` for :func:`verify`.

        Raises
        ------
        ValueError
            If a ``.pub`` file does not hold a valid key.
        """
        keys = {}
        for actor in self.actors():
            text = self._path(actor, ".pub").read_text(encoding="ascii").strip()
            public_key_from_hex(text)
            keys[actor] = text
        return keys
