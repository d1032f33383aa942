"""Keys of the ledger's actors: key files (mode 0600, encrypted PEM), keyrings, hex keys."""

import os
import stat

import pytest

from postmine.registry.ledger.keys import (
    Keyring,
    generate_private_key,
    load_private_key,
    public_key_from_hex,
    public_key_hex,
    save_private_key,
)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_round_trip_0600(tmp_path):
    key = generate_private_key()
    path = save_private_key(key, tmp_path / "regulator.pem")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert public_key_hex(load_private_key(path)) == public_key_hex(key)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_encrypted_key_file_round_trip(tmp_path):
    key = generate_private_key()
    path = save_private_key(key, tmp_path / "k.pem", passphrase=b"correct horse")
    assert "ENCRYPTED" in path.read_text()
    assert public_key_hex(load_private_key(path, passphrase=b"correct horse")) == public_key_hex(
        key
    )
    with pytest.raises(ValueError, match="cannot read the private key"):
        load_private_key(path, passphrase=b"wrong")
    with pytest.raises(ValueError, match="cannot read the private key"):
        load_private_key(path)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_permissions_enforced(tmp_path):
    path = save_private_key(generate_private_key(), tmp_path / "k.pem")
    with pytest.raises(FileExistsError, match="refusing to overwrite"):
        save_private_key(generate_private_key(), path)
    path.chmod(0o644)
    with pytest.raises(PermissionError, match=r"mode 0644.*chmod 600"):
        load_private_key(path)
    save_private_key(generate_private_key(), path, overwrite=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_keyring_files_and_modes(tmp_path):
    ring = Keyring(tmp_path / "ring")
    ring.create("operator-1")
    assert stat.S_IMODE((tmp_path / "ring").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "ring" / "operator-1.pem").stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        ring.create("operator-1")
    with pytest.raises(ValueError, match="actor must be 1-128 characters"):
        ring.create("../evil")


def test_non_ed25519_key_refused(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "ec.pem"
    path.write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    with pytest.raises(ValueError, match="not an Ed25519 key"):
        load_private_key(path)


def test_public_key_from_hex_bad():
    with pytest.raises(ValueError, match="public_key must be 64 lowercase hex digits"):
        public_key_from_hex("xyz")
