"""Synthetic shapes of the terrain tests: frustums, cones and pits on flat ground at 200 m.

Each shape is a fixture that returns a function, so a test names the shapes it uses in its
arguments; ``utm_frustum`` is one frustum on a 1 m grid in UTM zone 45N.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from postmine.geotech.terrain.surface import Surface, surface_from_function

UTM_45N = "EPSG:32645"  # WGS 84 / UTM zone 45N, the Kemerovo region
XC, YC = 436_000.0, 6_130_000.0  # a point near Kemerovo in UTM 45N [m]
BASE_Z = 200.0  # ground level around the synthetic shapes [m]
R_BOTTOM, R_TOP, HEIGHT = 80.0, 30.0, 25.0  # the frustum of utm_frustum [m]

Shape = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _frustum_volume(r_bottom: float, r_top: float, height: float) -> float:
    """V = πH/3 (R₁² + R₁R₂ + R₂²); a cone when r_top = 0."""
    return math.pi * height / 3.0 * (r_bottom**2 + r_bottom * r_top + r_top**2)


def _mound(r_bottom: float, r_top: float, height: float, cx: float = 0.0, cy: float = 0.0) -> Shape:
    """Frustum (cone if r_top = 0) standing on flat ground at BASE_Z."""

    def f(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = np.hypot(x - cx, y - cy)
        return BASE_Z + height * np.clip((r_bottom - r) / (r_bottom - r_top), 0.0, 1.0)

    return f


def _pit(r_rim: float, r_floor: float, depth: float, cx: float = 0.0, cy: float = 0.0) -> Shape:
    """Inverted frustum dug into flat ground at BASE_Z (the rim)."""

    def f(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = np.hypot(x - cx, y - cy)
        return BASE_Z - depth * np.clip((r_rim - r) / (r_rim - r_floor), 0.0, 1.0)

    return f


def _square_grid(f: Shape, half_width: float, cell: float, crs: str | None = None) -> Surface:
    """The shape sampled on a square grid centred on the origin."""
    return surface_from_function(f, (-half_width, -half_width, half_width, half_width), cell, crs)


@pytest.fixture(scope="session")
def frustum_volume() -> Callable[[float, float, float], float]:
    return _frustum_volume


@pytest.fixture(scope="session")
def mound() -> Callable[..., Shape]:
    return _mound


@pytest.fixture(scope="session")
def pit() -> Callable[..., Shape]:
    return _pit


@pytest.fixture(scope="session")
def square_grid() -> Callable[..., Surface]:
    return _square_grid


@pytest.fixture(scope="module")
def utm_frustum() -> Surface:
    return surface_from_function(
        _mound(R_BOTTOM, R_TOP, HEIGHT, XC, YC),
        (XC - 100, YC - 100, XC + 100, YC + 100),
        1.0,
        UTM_45N,
    )
