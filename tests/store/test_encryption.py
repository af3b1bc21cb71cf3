"""Encryption at rest: keys from the environment or a key file; a changed key is a clear error."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import ConfigError, StorageError
from bot.store.encryption import (
    KEY_CHANGED,
    FernetCipher,
    Pseudonyms,
    create_key_file,
    is_fernet_key,
    load_cipher,
    read_key_file,
    write_key_file,
)

SECRET_WORDS = "My daughter helps me with my tablets on Sundays"


def test_encryption_round_trip_hides_the_text(tmp_path: Path) -> None:
    cipher = load_cipher(None, tmp_path / "coach.key")
    token = cipher.encrypt(SECRET_WORDS)
    assert "daughter" not in token and "tablets" not in token
    assert token.isascii()
    assert cipher.decrypt(token) == SECRET_WORDS


def test_encryption_same_text_gives_different_tokens(tmp_path: Path) -> None:
    cipher = load_cipher(None, tmp_path / "coach.key")
    assert cipher.encrypt("yes") != cipher.encrypt("yes")


def test_encryption_key_file_is_created_owner_only(tmp_path: Path) -> None:
    key_file = tmp_path / "nested" / "dir" / "coach.key"
    cipher = load_cipher(None, key_file)
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert is_fernet_key(key_file.read_bytes().strip())
    again = load_cipher(None, key_file)
    assert again.decrypt(cipher.encrypt("kept")) == "kept"


def test_encryption_fernet_key_from_environment_is_used_as_is(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    cipher = load_cipher(key.decode(), tmp_path / "unused.key")
    assert Fernet(key).decrypt(cipher.encrypt("hello").encode()) == b"hello"
    assert not (tmp_path / "unused.key").exists()


def test_encryption_passphrase_is_derived_the_same_way_each_time(tmp_path: Path) -> None:
    first = load_cipher("correct horse battery staple", tmp_path / "a.key")
    second = load_cipher("  correct horse battery staple ", tmp_path / "b.key")
    assert second.decrypt(first.encrypt("same")) == "same"


def test_encryption_wrong_key_is_a_plain_storage_error(tmp_path: Path) -> None:
    token = load_cipher("first passphrase", tmp_path / "a.key").encrypt(SECRET_WORDS)
    other = load_cipher("second passphrase", tmp_path / "b.key")
    with pytest.raises(StorageError) as caught:
        other.decrypt(token)
    assert str(caught.value) == KEY_CHANGED == "cannot read saved answers: the secret key has changed"
    assert "daughter" not in str(caught.value)


def test_encryption_garbage_token_is_a_storage_error() -> None:
    cipher = FernetCipher(Fernet.generate_key())
    with pytest.raises(StorageError):
        cipher.decrypt("not a token at all")


def test_encryption_bad_key_file_is_a_config_error(tmp_path: Path) -> None:
    key_file = tmp_path / "coach.key"
    key_file.write_text("too short\n")
    with pytest.raises(ConfigError, match="does not hold a valid key"):
        load_cipher(None, key_file)


def test_encryption_blank_secret_falls_back_to_the_key_file(tmp_path: Path) -> None:
    load_cipher("   ", tmp_path / "coach.key")
    assert (tmp_path / "coach.key").exists()


@given(st.text(max_size=300))
def test_encryption_round_trips_any_text(text: str) -> None:
    cipher = FernetCipher(b"x" * 43 + b"=")
    assert cipher.decrypt(cipher.encrypt(text)) == text


def test_encryption_an_older_key_still_opens_and_rotate_moves_tokens_to_the_first_key() -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    token = FernetCipher(old).encrypt(SECRET_WORDS)
    both = FernetCipher(new, old)
    assert both.decrypt(token) == SECRET_WORDS
    rotated = both.rotate(token)
    assert rotated is not None and FernetCipher(new).decrypt(rotated) == SECRET_WORDS
    with pytest.raises(StorageError):
        FernetCipher(old).decrypt(rotated)
    assert both.rotate(FernetCipher(Fernet.generate_key()).encrypt("not ours")) is None
    assert both.rotate("gAAAAA-not-a-token") is None


def test_encryption_pseudonyms_are_stable_keyed_and_not_the_id() -> None:
    first, same, other = Pseudonyms(b"k" * 32), Pseudonyms(b"k" * 32), Pseudonyms(b"j" * 32)
    assert first("tg:12345") == same("tg:12345") != other("tg:12345")
    assert first("tg:12345") != first("tg:12346")
    assert len(first("tg:12345")) == 32 and "12345" not in first("tg:12345")


def test_encryption_a_key_file_is_never_made_over_an_existing_one(tmp_path: Path) -> None:
    key_file = tmp_path / "coach.key"
    key = create_key_file(key_file)
    assert create_key_file(key_file) == key  # read, not replaced
    replacement = Fernet.generate_key()
    write_key_file(key_file, replacement)
    assert read_key_file(key_file) == replacement
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coach.key"]  # no temporary file left
