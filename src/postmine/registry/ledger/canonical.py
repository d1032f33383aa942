"""Canonical JSON of the ledger (RFC 8785) and the reading of hex digests.

The bytes the ledger hashes are the JSON Canonicalization Scheme of RFC 8785
(:func:`canonical_json`): keys sorted by UTF-16 code units, no whitespace, UTF-8, strings
escaped only where JSON requires it, numbers as ECMAScript writes an IEEE 754 double. A
stored text is read back with :func:`parse_canonical_json`, which refuses any text that is
not canonical, so that a one-byte change that keeps the same JSON value is still seen.
Digests and keys travel as lowercase hex; :func:`digest_bytes` reads them strictly.

References
----------
[RFC8785] A. Rundgren, B. Jordan, S. Erdtman, JSON Canonicalization Scheme (JCS), RFC 8785,
          2020.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = [
    "HEX64",
    "HEX128",
    "MAX_SAFE_INTEGER",
    "canonical_json",
    "clip",
    "digest_bytes",
    "parse_canonical_json",
]

MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer a JSON number (an IEEE 754 double) holds exactly. [-]"""

HEX64 = re.compile(r"[0-9a-f]{64}")
"""64 lowercase hex digits: a SHA-256 digest or a raw Ed25519 public key (32 bytes)."""

HEX128 = re.compile(r"[0-9a-f]{128}")
"""128 lowercase hex digits: an Ed25519 signature (64 bytes)."""


def _format_number(x: float) -> str:
    """Write a finite double as ECMAScript's Number.prototype.toString does (RFC 8785 3.2.2.3)."""
    if not math.isfinite(x):
        raise ValueError(f"numbers must be finite (RFC 8785 has no NaN or Infinity), got {x!r}")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(x))).as_tuple()
    assert isinstance(exponent, int)  # finite, so never 'n', 'N' or 'F'
    digits = "".join(map(str, digit_tuple))
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    k = len(stripped)  # number of significant digits
    n = k + exponent  # position of the decimal point relative to the digits
    if k <= n <= 21:
        text = stripped + "0" * (n - k)
    elif 0 < n <= 21:
        text = stripped[:n] + "." + stripped[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + stripped
    else:
        mantissa = stripped if k == 1 else stripped[0] + "." + stripped[1:]
        e = n - 1
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _encode_mapping(value: Mapping[Any, Any], out: list[str], path: str) -> None:
    keys = list(value)
    for key in keys:
        if not isinstance(key, str):
            raise ValueError(f"{path} has a key that is not a string: {key!r}")
    out.append("{")
    for i, key in enumerate(sorted(keys, key=_utf16_key)):
        if i:
            out.append(",")
        _encode(key, out, path)
        out.append(":")
        _encode(value[key], out, f"{path}.{key}")
    out.append("}")


def _encode_scalar(value: Any, out: list[str], path: str) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(
                f"{path} must be an integer within +-(2**53 - 1) (exact in a JSON number), "
                f"got {value}; store larger integers as strings"
            )
        out.append(str(int(value)))
    elif isinstance(value, float):
        try:
            out.append(_format_number(value))
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{path} is not valid Unicode (lone surrogate): {value!r}") from None
        out.append(json.dumps(value, ensure_ascii=False))
    else:
        raise ValueError(
            f"{path} must be JSON (null, bool, int, float, str, list, dict), "
            f"got {type(value).__name__}: {value!r}"
        )


def _encode(value: Any, out: list[str], path: str) -> None:
    if isinstance(value, Mapping):
        _encode_mapping(value, out, path)
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out, f"{path}[{i}]")
        out.append("]")
    else:
        _encode_scalar(value, out, path)


def canonical_json(value: Any) -> str:
    r"""Write a JSON value in the JSON Canonicalization Scheme (RFC 8785).

    Parameters
    ----------
    value : None, bool, int, float, str, list, tuple or mapping with str keys
        The value to write, nested to any depth. [-]

    Returns
    -------
    str
        Canonical JSON text; ``.encode("utf-8")`` gives the canonical bytes. [-]

    Raises
    ------
    ValueError
        If the value holds NaN or an infinity, an integer beyond +-(2**53 - 1), a key that
        is not a string, a lone surrogate, or a type JSON does not have (the message gives
        its path, e.g. ``$.amounts[2]``).

    Notes
    -----
    Keys are sorted by their UTF-16 code units, strings are escaped only where JSON requires
    it (``\"``, ``\\``, ``\b``, ``\f``, ``\n``, ``\r``, ``\t``, other control characters as
    ``\u00xx``), and numbers are written as ECMAScript writes an IEEE 754 double: the
    shortest round-trip digits, integral values without ``.0``, plain notation for
    1e-6 <= abs(x) < 1e21, exponent notation (``1e+21``, ``1e-7``) outside; section 3.2 of
    [RFC8785]_.

    References
    ----------
    .. [RFC8785] A. Rundgren, B. Jordan, S. Erdtman, JSON Canonicalization Scheme (JCS),
       RFC 8785, 2020.

    Examples
    --------
    >>> canonical_json({"numbers": [1e30, 4.50, 6, 2e-3, 1e-27], "b": "é\n", "a": None})
    '{"a":null,"b":"é\\n","numbers":[1e+30,4.5,6,0.002,1e-27]}'
    """
    out: list[str] = []
    _encode(value, out, "$")
    return "".join(out)


def parse_canonical_json(text: str) -> Any:
    r"""Read canonical JSON text, refusing any text that :func:`canonical_json` would not write.

    Use it to load a stored ``payload_json``: two texts with the same JSON value (``"é"``
    and ``"\u00e9"``, ``5`` and ``5.0``) hash alike, so a change of one byte that keeps the
    value would otherwise go unseen.

    Parameters
    ----------
    text : str
        Canonical JSON text. [-]

    Returns
    -------
    Any
        The JSON value (dicts, lists, str, int, float, bool, None). [-]

    Raises
    ------
    ValueError
        If the text is not JSON or not in canonical form.

    Examples
    --------
    >>> parse_canonical_json('{"a":1,"b":[2.5,"x"]}')
    {'a': 1, 'b': [2.5, 'x']}
    >>> parse_canonical_json('{"b":1,"a":2}')
    Traceback (most recent call last):
    ...
    ValueError: JSON text is not canonical (RFC 8785): expected '{"a":2,"b":1}', got '{"b":1,"a":2}'
    """

    def _refuse_constant(name: str) -> Any:
        raise ValueError(f"JSON text holds {name}, which canonical JSON does not allow")

    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"JSON text does not parse: {exc}") from None
    canonical = canonical_json(value)
    if canonical != text:
        raise ValueError(
            f"JSON text is not canonical (RFC 8785): expected {clip(canonical)!r}, "
            f"got {clip(text)!r}"
        )
    return value


def clip(text: str, width: int = 80) -> str:
    """Shorten a text for a message to ``width`` characters, ending in '…' if cut.

    Examples
    --------
    >>> clip("abcdef", width=4)
    'abc…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"


def digest_bytes(name: str, text: object) -> bytes:
    """Read a digest or key written as 64 lowercase hex digits as its 32 raw bytes.

    Parameters
    ----------
    name : str
        Name of the field, for the message (e.g. ``prev_hash``). [-]
    text : object
        The hex text. [-]

    Returns
    -------
    bytes
        The 32 raw bytes. [-]

    Raises
    ------
    ValueError
        If ``text`` is not a string of exactly 64 lowercase hex digits (``bytes.fromhex``
        alone would also read uppercase digits, a changed byte the ledger must see).

    Examples
    --------
    >>> len(digest_bytes("prev_hash", "0" * 64))
    32
    """
    if not isinstance(text, str) or not HEX64.fullmatch(text):
        raise ValueError(f"{name} must be 64 lowercase hex digits (32 bytes), got {text!r}")
    return bytes.fromhex(text)
