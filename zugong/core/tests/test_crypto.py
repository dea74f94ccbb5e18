"""Field encryption and blind indexes (zugong.core.crypto)."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from zugong.core import crypto
from zugong.env import ConfigError

KEY1, KEY2 = bytes(range(32)), bytes(range(32, 64))
INDEX_KEY = bytes(range(64, 104))  # 40 bytes: longer keys are allowed


@pytest.fixture
def keys(monkeypatch):
    def use(field: str, index: bytes = INDEX_KEY) -> None:
        monkeypatch.setenv("ZUGONG_FIELD_KEYS", field)
        monkeypatch.setenv("ZUGONG_BLIND_INDEX_KEY", base64.b64encode(index).decode())
        crypto.reset_key_cache()

    use("1:" + base64.b64encode(KEY1).decode())
    yield use
    crypto.reset_key_cache()


def test_a_text_comes_back_and_each_ciphertext_differs(keys):
    a, b = crypto.encrypt_many(["342401198501011234", "342401198501011234"], context=b"person.id_number")
    assert a != b and a[:2] == bytes((1, 1))  # version 1, key id 1; fresh nonces
    assert crypto.decrypt(a, context=b"person.id_number") == "342401198501011234"
    assert crypto.decrypt(crypto.encrypt("手机 13800000000", context=b"x"), context=b"x") == "手机 13800000000"


def test_the_context_tampering_and_unknown_keys_are_refused(keys):
    blob = crypto.encrypt("342401198501011234", context=b"person.id_number")
    with pytest.raises(crypto.DecryptionError, match="密文校验失败"):
        crypto.decrypt(blob, context=b"person.phone")
    with pytest.raises(crypto.DecryptionError, match="密文校验失败"):
        crypto.decrypt(blob[:-1] + bytes([blob[-1] ^ 1]), context=b"person.id_number")
    with pytest.raises(crypto.DecryptionError, match="未知的密钥编号 9"):
        crypto.decrypt(blob[:1] + b"\x09" + blob[2:], context=b"person.id_number")
    with pytest.raises(crypto.DecryptionError, match="密文格式错误"):
        crypto.decrypt(b"\x01\x01short")


def test_a_new_key_encrypts_and_the_old_one_still_decrypts(keys):
    old = crypto.encrypt("342401198501011234")
    keys(f"1:{base64.b64encode(KEY1).decode()},2:{base64.b64encode(KEY2).decode()}")
    new = crypto.encrypt("342401198501011234")
    assert new[1] == 2 and crypto.decrypt(old) == crypto.decrypt(new) == "342401198501011234"


def test_the_blind_index_is_the_hmac_sha256_of_purpose_and_value(keys):
    values = ["342401198501011234", "34240119850101123X", "", "张三"]
    expected = [hmac.new(INDEX_KEY, b"person.id_number\x00" + v.encode(), hashlib.sha256).hexdigest() for v in values]
    assert crypto.blind_index_many(values, purpose=b"person.id_number") == expected
    assert [crypto.blind_index(v, purpose=b"person.id_number") for v in values] == expected
    assert crypto.blind_index(values[0], purpose=b"other") != expected[0]  # purposes are separated
    long_key = bytes(range(180, 255))  # 75 bytes, longer than SHA-256's block: hashed first (RFC 2104)
    keys("1:" + base64.b64encode(KEY1).decode(), index=long_key)
    assert crypto.blind_index_many(values[:1], purpose=b"p") == [hmac.new(long_key, b"p\x00" + values[0].encode(), "sha256").hexdigest()]


def test_keys_must_be_well_formed(keys):
    keys("1:" + base64.b64encode(b"short").decode())
    with pytest.raises(ConfigError, match="ZUGONG_FIELD_KEYS"):
        crypto.encrypt("x")
    keys("1:" + base64.b64encode(KEY1).decode(), index=bytes(16))
    with pytest.raises(ConfigError, match="至少32字节"):
        crypto.blind_index("x", purpose=b"p")
