"""Canonical JSON of the ledger (RFC 8785) and the strict reading of hex digests.

Independent checks: the RFC 8785 (JCS) number vectors of its Appendix B, its key-sorting
example and the sample of the JCS reference implementation.
"""

import json
import struct

import pytest

from postmine.registry.ledger.canonical import canonical_json, digest_bytes, parse_canonical_json

# RFC 8785, Appendix B: IEEE 754 binary64 value (hex) and its canonical JSON number.
RFC8785_NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),  # minus zero
    ("0000000000000001", "5e-324"),  # min positive subnormal
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),  # max double
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),  # 2**53
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),  # ~2**68
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),  # round to even
]


@pytest.mark.parametrize(("ieee754", "expected"), RFC8785_NUMBERS)
def test_number_format_rfc8785_appendix_b(ieee754, expected):
    value = struct.unpack(">d", bytes.fromhex(ieee754))[0]
    assert canonical_json(value) == expected
    assert canonical_json([value]) == f"[{expected}]"


@pytest.mark.parametrize("ieee754", ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"])
def test_nan_and_infinity_refused(ieee754):
    value = struct.unpack(">d", bytes.fromhex(ieee754))[0]
    with pytest.raises(ValueError, match=r"\$\.x\[1\]: numbers must be finite"):
        canonical_json({"x": [1, value]})


def test_jcs_reference_sample():
    # Sample of the JCS reference implementation (cyberphone/json-canonicalization README).
    text = (
        '{"numbers": [1E30,4.50,6,2e-3,0.000000000000000000000000001],'
        ' "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "other":  [null, true, false]}'
    )
    expected = (
        '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/",'
        '"numbers":[1e+30,4.5,6,0.002,1e-27],"other":[null,true,false]}'
    )
    assert canonical_json(json.loads(text)) == expected


def test_key_order_is_utf16_rfc8785_example():
    # RFC 8785, section 3.2.3: property sorting by UTF-16 code units.
    data = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    values = list(json.loads(canonical_json(data)).values())
    assert values == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ({"n": 2**53}, r"\$\.n must be an integer within \+-\(2\*\*53 - 1\)"),
        ({1: "a"}, r"\$ has a key that is not a string: 1"),
        ({"s": {1, 2}}, r"\$\.s must be JSON .* got set"),
        ({"s": "\ud800"}, r"\$\.s is not valid Unicode \(lone surrogate\)"),
    ],
)
def test_canonical_json_refuses(value, match):
    with pytest.raises(ValueError, match=match):
        canonical_json(value)


def test_integral_floats_hash_like_integers():
    # A payload that comes back from a JSON column with 5.0 as 5 keeps its hash.
    assert canonical_json({"a": 5.0, "b": -0.0}) == canonical_json({"a": 5, "b": 0})


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{"b":1,"a":2}', "not canonical"),
        ('{"a":5.0}', "not canonical"),
        ('{"a":"\\u00e9"}', "not canonical"),
        ('{"a":"\\u001F"}', "not canonical"),
        ('{"a":1,"a":2}', "not canonical"),
        ('{"a":NaN}', "holds NaN"),
        ('{"a":', "does not parse"),
    ],
)
def test_parse_canonical_json_refuses(text, match):
    with pytest.raises(ValueError, match=match):
        parse_canonical_json(text)


@pytest.mark.parametrize("text", ["AB" * 32, "ab" * 31, None, "g" * 64])
def test_digest_bytes_refuses_all_but_64_lowercase_hex(text):
    with pytest.raises(ValueError, match="prev_hash must be 64 lowercase hex digits"):
        digest_bytes("prev_hash", text)
