"""Encryption at rest: keys from the environment or a key file; a changed key is a clear error."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import ConfigError, StorageError
from bot.store.encryption import KEY_CHANGED, FernetCipher, is_fernet_key, load_cipher

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
