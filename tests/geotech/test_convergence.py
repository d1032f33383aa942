"""Factors of safety converge in the slice count (issue 14, point 1).

On every shipped verification problem (``postmine/data/geotech/verification/*.toml``), on a
fixed surface — the problem's given surface, or the critical circle of its search as found by
postmine's Bishop search when the slices were first split at every breakpoint (December 2026,
rounded to the millimetre; a fixed circle, so the test does not depend on the search) — each
of the five methods gives F at the file's slice count n and at 2n within 0.1 % of each other.
A problem added later without an entry in ``CIRCLES`` is checked on the least-Bishop circle of
its own search grid.

Before the slices were split at the layer boundaries, the water and the vertices, ACADS 1(c)
read 1.3987 / 1.3934 / 1.4078 / 1.4035 (Bishop) at 49 / 50 / 51 / 100 slices on one circle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import postmine
import postmine.geotech as geotech
from postmine.geotech.section_file import SlopeFile, read_section_file, slope_faces

VERIFICATION_DIR = Path(postmine.__file__).parent / "data" / "geotech" / "verification"
FILES = sorted(VERIFICATION_DIR.glob("*.toml"))
CONVERGED = 1e-3  # issue 14 acceptance: |F(n) − F(2n)| / F(2n) < 0.1 %

# "<file stem>#<face>": (x_c, y_c, R) in the face's coordinates (engine convention), m
CIRCLES: dict[str, tuple[float, float, float]] = {
    "acads_1a#0": (29.637, 53.434, 28.434),
    "acads_1b#0": (37.558, 43.155, 19.666),
    "acads_1c#0": (34.441, 42.732, 18.356),
    "acads_1d#0": (35.479, 51.702, 27.588),
    "arai_tagyo_1985_ex2#0": (26.929, 47.261, 33.474),
    "arai_tagyo_1985_ex3#0": (28.217, 43.298, 30.086),
    "baker_2003_ex2#0": (16.607, 55.244, 55.244),
    "chen_shao_1988#0": (70.556, 107.172, 88.549),
    "griffiths_lane_1999_ex1#0": (2.951, 24.232, 24.232),
    "loukidis_2003_ex1_dry#0": (16.277, 111.238, 112.423),
    "loukidis_2003_ex1_ru#0": (21.844, 83.048, 85.872),
    "low_1989_three_layers#0": (-28.500, 22.169, 17.169),
    "pockoski_duncan_2000_slope1#0": (7.666, 58.880, 29.666),
    "pockoski_duncan_2000_slope3#0": (10.827, 59.473, 33.565),
    "pockoski_duncan_2000_slope3_composite#0": (11.261, 57.898, 32.910),
    "yamagami_ueta_1988#0": (8.650, 14.107, 9.811),
}


def _grid_minimum(part: SlopeFile) -> tuple[float, float, float]:
    """The least-Bishop circle of a problem's search grid (no refinement)."""
    spec = part.search
    assert spec is not None
    axes = [
        np.linspace(axis[0], axis[1], int(axis[2]))
        for axis in (spec.centre_x, spec.centre_y, spec.radius)
        if axis is not None
    ]
    assert len(axes) == 3, "a grid with every axis given"
    cx, cy, r = (v.ravel() for v in np.meshgrid(*axes, indexing="ij"))
    s = geotech.slice_circle(part.section, cx, cy, r, spec.n_slices, strict=False)
    with np.errstate(all="ignore"):
        f = np.where(s.valid, geotech.bishop_factor(s), np.nan)
    best = int(np.nanargmin(np.where(f > 0, f, np.nan)))
    return float(cx[best]), float(cy[best]), float(r[best])


def _cases() -> list[Any]:
    cases: list[Any] = []
    for path in FILES:
        for k, (_, part) in enumerate(slope_faces(read_section_file(path))):
            cases.append(pytest.param(path, k, part, id=f"{path.stem}#{k}"))
    return cases


@pytest.mark.parametrize(("path", "face", "part"), _cases())
def test_factor_converged_at_the_default_slice_count(
    path: Path, face: int, part: SlopeFile
) -> None:
    given, search = part.surface, part.search
    assert given is not None or search is not None
    n = given.n_slices if given is not None else search.n_slices  # type: ignore[union-attr]

    def factors(count: int) -> dict[str, float]:
        if given is not None and given.points is not None:
            slices = geotech.slice_surface(part.section, given.points, count)
        else:
            if given is not None:
                circle = (float(given.centre_x), float(given.centre_y), float(given.radius))  # type: ignore[arg-type]
            else:
                circle = CIRCLES.get(f"{path.stem}#{face}") or _grid_minimum(part)
            slices = geotech.slice_circle(part.section, *circle, count)
        found, _ = geotech.factors_of_safety(slices)
        return {m: float(v[0]) for m, v in found.items()}

    coarse, fine = factors(n), factors(2 * n)
    for method in geotech.METHODS:
        assert np.isfinite(coarse[method]) and np.isfinite(fine[method]), method
        change = abs(coarse[method] - fine[method]) / fine[method]
        assert change < CONVERGED, (
            f"{path.stem} face {face}: {method} F = {coarse[method]:.5f} at {n} slices, "
            f"{fine[method]:.5f} at {2 * n} ({100 * change:.3f} %)"
        )


def test_acads_1c_fixed_circle_no_longer_jumps_with_the_slice_count() -> None:
    # The critical circle of issue 14's report, Bishop 1.3987 / 1.3934 / 1.4078 / 1.4035 at
    # 49 / 50 / 51 / 100 slices before the split; now all four within 0.1 % of F at 400.
    part = slope_faces(read_section_file(VERIFICATION_DIR / "acads_1c.toml"))[0][1]
    circle = (34.5517, 43.0583, 18.7516)
    f = [
        float(geotech.bishop_factor(geotech.slice_circle(part.section, *circle, n))[0])
        for n in (49, 50, 51, 100, 400)
    ]
    np.testing.assert_allclose(f[:4], f[4], rtol=CONVERGED)
