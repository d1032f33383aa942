r"""The two-dimensional slope section of limit-equilibrium analysis: ground, soils, water, loads.

A :class:`Section` holds the ground surface, the soil layers from the top down
(:class:`SoilLayer`, Mohr–Coulomb effective strength), the pore water (a pore-pressure ratio
r_u or a piezometric line), the horizontal seismic coefficient, a crest surcharge and a
tension crack. It is cut into slices by :mod:`~postmine.geotech.slicing` and solved by
:mod:`~postmine.geotech.limit_equilibrium`.

Conventions
-----------
The ground may face either way or have two faces (:func:`ground_shape`): rise from left to
right (toe on the left, crest on the right: the sliding mass moves towards −x, failure
direction "right-to-left" in Slide2's words), fall from left to right (the mirror,
"left-to-right"), rise to one crest and fall again (a dam, dump or embankment) or fall to one
bottom and rise again (a pit or valley). The slicing and the searches work in the first
convention only: :func:`postmine.geotech.faces.faces` gives each face of a section as a
section rising from left to right (mirrored and cut as needed). Pore pressure acts on the
slice base; from a piezometric line it is u = γ_w (y_piezo − y_base), the vertical head, with
γ_w = :data:`WATER_UNIT_WEIGHT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import constants

__all__ = [
    "WATER_UNIT_WEIGHT",
    "FloatArray",
    "GroundShape",
    "Section",
    "SoilLayer",
    "as_polyline",
    "elevation_at",
    "ground_shape",
    "layer_above_ground",
]

FloatArray = npt.NDArray[np.float64]

#: Shape of a ground polyline (:func:`ground_shape`).
GroundShape = Literal["rising", "falling", "ridge", "valley"]

#: Unit weight of water, ρ_w·g with ρ_w = 1000 kg/m³. [kN/m³]
WATER_UNIT_WEIGHT = 1000.0 * constants.g / 1000.0


def as_polyline(name: str, points: npt.ArrayLike) -> FloatArray:
    """Return an (N, 2) array of a polyline with strictly increasing x, or raise.

    Parameters
    ----------
    name : str
        Name of the polyline in error messages.
    points : array_like of (x, y)
        At least two vertices with finite coordinates and x strictly increasing. [m]

    Returns
    -------
    ndarray
        The vertices, shape (N, 2). [m]

    Raises
    ------
    ValueError
        If the points are not (x, y) pairs, not finite, or x does not increase strictly.
    """
    arr = np.asarray(points, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 2:
        raise ValueError(f"{name} must be a list of at least two (x, y) points [m]")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite coordinates, got {arr.tolist()}")
    if np.any(np.diff(arr[:, 0]) <= 0):
        raise ValueError(f"{name} x coordinates must increase strictly, got {arr[:, 0].tolist()}")
    return arr


def elevation_at(line: FloatArray, x: npt.ArrayLike) -> FloatArray:
    """Return the elevation of a polyline at x (m), extended flat beyond its ends.

    Parameters
    ----------
    line : ndarray, shape (N, 2)
        Polyline vertices with x increasing (:func:`as_polyline`). [m]
    x : float or array_like
        Abscissae. [m]

    Returns
    -------
    ndarray
        Elevation y at each x. [m]
    """
    y: FloatArray = np.interp(np.asarray(x, dtype=float), line[:, 0], line[:, 1])
    return y


class SoilLayer:
    """One soil layer of a section, with Mohr–Coulomb effective strength.

    Parameters
    ----------
    cohesion : float
        c', effective cohesion. [kPa]
    friction_angle : float
        φ', effective angle of internal friction, in [0°, 90°). [°]
    unit_weight : float
        γ, bulk unit weight. [kN/m³]
    bottom : array_like of (x, y) or None
        Polyline of the layer's lower boundary; ``None`` for the lowest layer, which extends
        downwards without limit. [m]
    name : str
        Label of the layer.
    impenetrable : bool
        Bedrock: no slip surface enters this layer. A surface that would pass below its top
        (the bottom of the layer above) follows that top instead, a composite surface
        (:mod:`~postmine.geotech.slicing`), as Slide2's "impenetrable" material and
        SLOPE/W's bedrock. Its strength is not used; it cannot be the top layer. [-]
    """

    def __init__(
        self,
        cohesion: float,
        friction_angle: float,
        unit_weight: float,
        bottom: npt.ArrayLike | None = None,
        name: str = "soil",
        *,
        impenetrable: bool = False,
    ) -> None:
        self.cohesion = float(cohesion)
        self.friction_angle = float(friction_angle)
        self.unit_weight = float(unit_weight)
        self.name = name
        self.bottom: FloatArray | None = None
        if not isinstance(impenetrable, bool | np.bool_):
            raise ValueError(f"impenetrable must be true or false, got {impenetrable!r}")
        self.impenetrable = bool(impenetrable)
        if not np.isfinite(self.cohesion) or self.cohesion < 0:
            raise ValueError(f"cohesion must be >= 0 kPa, got {self.cohesion}")
        if not 0.0 <= self.friction_angle < 90.0:
            raise ValueError(f"friction_angle must be in [0, 90) °, got {self.friction_angle}")
        if not np.isfinite(self.unit_weight) or self.unit_weight <= 0:
            raise ValueError(f"unit_weight must be > 0 kN/m³, got {self.unit_weight}")
        if bottom is not None:
            self.bottom = as_polyline(f"bottom of {name}", bottom)

    def __repr__(self) -> str:
        rock = ", impenetrable=True" if self.impenetrable else ""
        return (
            f"SoilLayer({self.cohesion}, {self.friction_angle}, {self.unit_weight}, "
            f"name={self.name!r}{rock})"
        )


class Section:
    """A two-dimensional slope section for limit-equilibrium analysis.

    Parameters
    ----------
    ground : array_like of (x, y)
        Ground surface polyline, x strictly increasing, facing either way or with two faces
        (:func:`ground_shape`: rising, falling, a ridge or a valley). The slicing and the
        searches take a ground rising from the toe (left) to the crest (right); give them
        the faces of :func:`postmine.geotech.faces.faces`. [m]
    layers : sequence of SoilLayer
        Layers from the top down; every layer but the last has a ``bottom`` polyline, the
        last has none. Boundaries must not cross, and no layer may lie entirely above the
        ground. [-]
    pore_pressure_ratio : float
        r_u = u/(γ h), in [0, 1); not together with ``piezometric_line``. [-]
    piezometric_line : array_like of (x, y) or None
        Piezometric line; pore pressure u = γ_w (y_piezo − y_base) where positive, the
        vertical head (no cos² correction for inclined seepage), γ_w = 9.807 kN/m³. [m]
    seismic_coefficient : float
        k_h, horizontal pseudo-static seismic coefficient, in [0, 1). [-]
    surcharge : float
        q, vertical surcharge on the ground surface between ``surcharge_start`` and
        ``surcharge_end``. [kPa]
    surcharge_start, surcharge_end : float or None
        x-range of the surcharge; default the top of the ground, from the first to the last
        ground vertex whose elevation equals the maximum (for a slope rising to the right,
        from the crest to the right end). A valley has no single top: give the range. [m]
    tension_crack_depth : float
        z_c, depth of a vertical tension crack at the crest end of every slip surface: the
        sliding mass ends where the surface lies z_c below the ground, with no shear
        strength along the crack. [m]
    crack_water_depth : float
        z_w ≤ z_c, depth of water standing in the crack; it pushes the mass towards the
        toe with P_w = γ_w z_w²/2 acting z_w/3 above the bottom of the crack. [m]
    """

    def __init__(
        self,
        ground: npt.ArrayLike,
        layers: Sequence[SoilLayer],
        pore_pressure_ratio: float = 0.0,
        piezometric_line: npt.ArrayLike | None = None,
        seismic_coefficient: float = 0.0,
        surcharge: float = 0.0,
        surcharge_start: float | None = None,
        surcharge_end: float | None = None,
        tension_crack_depth: float = 0.0,
        crack_water_depth: float = 0.0,
    ) -> None:
        self.ground = ground = as_polyline("ground", ground)
        self.tension_crack_depth = float(tension_crack_depth)
        self.crack_water_depth = float(crack_water_depth)
        self.pore_pressure_ratio = float(pore_pressure_ratio)
        self.seismic_coefficient = float(seismic_coefficient)
        self.surcharge = float(surcharge)
        self.surcharge_start = surcharge_start
        self.surcharge_end = surcharge_end
        self.ground_shape: GroundShape = ground_shape(ground)
        self.layers = _checked_layers(ground, layers)
        _check_layers_below_ground(ground, self.layers)
        self.piezometric_line: FloatArray | None = _checked_water(
            self.pore_pressure_ratio, piezometric_line
        )
        _check_loads(self.seismic_coefficient, self.surcharge)
        _check_crack(ground, self.tension_crack_depth, self.crack_water_depth)
        self._top = _top_plateau(ground)
        if (
            self.ground_shape == "valley"
            and self.surcharge > 0
            and (surcharge_start is None or surcharge_end is None)
        ):
            raise ValueError(
                "surcharge_start and surcharge_end must be given for a surcharge on a valley "
                f"ground (it has a crest at each end), got {surcharge_start} and {surcharge_end}"
            )
        start, end = self.surcharge_range
        if not start <= end:
            raise ValueError(f"surcharge_start must be <= surcharge_end m, got {start} > {end}")

    @property
    def x_range(self) -> tuple[float, float]:
        """Left and right ends of the section, in m."""
        return float(self.ground[0, 0]), float(self.ground[-1, 0])

    @property
    def surcharge_range(self) -> tuple[float, float]:
        """Range of x loaded by the surcharge, in m."""
        start = self._top[0] if self.surcharge_start is None else self.surcharge_start
        end = self._top[1] if self.surcharge_end is None else self.surcharge_end
        return float(start), float(end)


def ground_shape(ground: FloatArray) -> GroundShape:
    """Return the shape of a ground polyline: one face either way, a ridge or a valley.

    Flat stretches (benches, a crest, a toe plain) are ignored; what is left must rise or
    fall, or turn once.

    Parameters
    ----------
    ground : ndarray, shape (N, 2)
        Ground polyline with x increasing (:func:`as_polyline`). [m]

    Returns
    -------
    str
        ``"rising"`` (toe left, crest right: the sliding mass moves towards −x, Slide2's
        failure direction "right to left"), ``"falling"`` (toe right, crest left: towards
        +x, "left to right"), ``"ridge"`` (rises to one crest and falls again: a dam, dump
        or embankment with two faces) or ``"valley"`` (falls to one bottom and rises again:
        a pit or a cut with two faces).

    Raises
    ------
    ValueError
        If the ground is flat, or turns more than once (several peaks or troughs).

    Examples
    --------
    >>> ground_shape(np.array([[0.0, 0.0], [10.0, 0.0], [30.0, 10.0], [50.0, 10.0]]))
    'rising'
    >>> ground_shape(np.array([[0.0, 0.0], [20.0, 10.0], [25.0, 10.0], [45.0, 0.0]]))
    'ridge'
    """
    y = ground[:, 1]
    tol = 1e-9 * max(1.0, float(np.ptp(y)))
    dy = np.diff(y)
    steps = np.nonzero(np.abs(dy) > tol)[0]  # segments that rise or fall
    if steps.size == 0:
        raise ValueError(f"ground must rise or fall somewhere, got a flat ground at y = {y[0]} m")
    signs = np.sign(dy[steps])
    turns = np.nonzero(np.diff(signs) != 0)[0]
    if turns.size == 0:
        return "rising" if signs[0] > 0 else "falling"
    if turns.size == 1:
        return "ridge" if signs[0] > 0 else "valley"
    at = [float(ground[steps[k] + 1, 0]) for k in turns]
    raise ValueError(
        "ground must rise, fall, rise to one crest and fall again (a dam, dump or "
        "embankment) or fall to one bottom and rise again (a pit), got "
        f"{turns.size} turns (several peaks or troughs) at x = {at} m"
    )


def _checked_layers(ground: FloatArray, layers: Sequence[SoilLayer]) -> tuple[SoilLayer, ...]:
    """Return the layers as a tuple; raise on a missing bottom, crossing bounds, bedrock on top."""
    layers = tuple(layers)
    if not layers:
        raise ValueError("layers must hold at least one SoilLayer")
    if getattr(layers[0], "impenetrable", False):
        raise ValueError(
            f"layers.0 ({layers[0].name!r}) must not be impenetrable: the top layer's top is "
            "the ground, so no slip surface could form; put the bedrock below a soil layer"
        )
    if layers[-1].bottom is not None:
        raise ValueError("the last layer must have bottom=None (it extends downwards)")
    if any(layer.bottom is None for layer in layers[:-1]):
        raise ValueError("every layer but the last must have a bottom polyline")
    xs = [ground[:, 0]] + [lay.bottom[:, 0] for lay in layers[:-1] if lay.bottom is not None]
    x_all = np.unique(np.concatenate(xs))
    previous: FloatArray | None = None
    for k, layer in enumerate(layers[:-1]):
        assert layer.bottom is not None
        lower = elevation_at(layer.bottom, x_all)
        if previous is not None and np.any(lower > previous + 1e-9):
            bad = float(x_all[np.argmax(lower > previous + 1e-9)])
            raise ValueError(
                f"layer boundaries cross: bottom of {layer.name!r} rises above the bottom "
                f"of {layers[k - 1].name!r} at x = {bad} m"
            )
        previous = lower
    return layers


def layer_above_ground(ground: FloatArray, bottom: FloatArray | None) -> bool:
    """Whether a layer with this bottom lies entirely above the ground (no thickness in it).

    Parameters
    ----------
    ground : ndarray, shape (N, 2)
        Ground polyline. [m]
    bottom : ndarray, shape (M, 2) or None
        The layer's bottom polyline (extended flat beyond its ends); ``None`` for a layer
        that extends downwards without limit, which never lies above the ground. [m]

    Returns
    -------
    bool
        True if the bottom is nowhere below the ground within the ground's x-range.
    """
    if bottom is None:
        return False
    lo, hi = ground[0, 0], ground[-1, 0]
    xs = np.unique(np.concatenate([ground[:, 0], np.clip(bottom[:, 0], lo, hi)]))
    tol = 1e-9 * max(1.0, float(np.ptp(ground[:, 1])))
    depth = elevation_at(ground, xs) - elevation_at(bottom, xs)
    return bool(np.all(depth <= tol))


def _check_layers_below_ground(ground: FloatArray, layers: Sequence[SoilLayer]) -> None:
    """Raise if a layer lies entirely above the ground (its bottom nowhere below it)."""
    for k, layer in enumerate(layers):
        if layer_above_ground(ground, layer.bottom):
            raise ValueError(
                f"layers.{k} ({layer.name!r}) lies entirely above the ground: its bottom is "
                f"nowhere below the ground surface within x = [{ground[0, 0]}, "
                f"{ground[-1, 0]}] m; lower its bottom or remove the layer"
            )


def _checked_water(
    pore_pressure_ratio: float, piezometric_line: npt.ArrayLike | None
) -> FloatArray | None:
    """Check r_u is in [0, 1) and not given with a piezometric line; return the line."""
    if not 0.0 <= pore_pressure_ratio < 1.0:
        raise ValueError(f"pore_pressure_ratio must be in [0, 1), got {pore_pressure_ratio}")
    if piezometric_line is None:
        return None
    if pore_pressure_ratio > 0:
        raise ValueError(
            "give either pore_pressure_ratio or piezometric_line, not both "
            f"(got pore_pressure_ratio = {pore_pressure_ratio})"
        )
    return as_polyline("piezometric_line", piezometric_line)


def _check_loads(seismic_coefficient: float, surcharge: float) -> None:
    """Raise unless k_h is in [0, 1) and the surcharge q ≥ 0 kPa."""
    if not 0.0 <= seismic_coefficient < 1.0:
        raise ValueError(f"seismic_coefficient must be in [0, 1), got {seismic_coefficient}")
    if not np.isfinite(surcharge) or surcharge < 0:
        raise ValueError(f"surcharge must be >= 0 kPa, got {surcharge}")


def _check_crack(ground: FloatArray, tension_crack_depth: float, crack_water_depth: float) -> None:
    """Raise unless 0 ≤ z_c < the height of the ground and 0 ≤ z_w ≤ z_c (m)."""
    height = float(ground[:, 1].max() - ground[:, 1].min())
    if not 0.0 <= tension_crack_depth < height:
        raise ValueError(
            f"tension_crack_depth must be in [0, {height}) m (the height of the ground), "
            f"got {tension_crack_depth}"
        )
    if not 0.0 <= crack_water_depth <= tension_crack_depth:
        raise ValueError(
            f"crack_water_depth must be in [0, tension_crack_depth = "
            f"{tension_crack_depth}] m, got {crack_water_depth}"
        )


def _top_plateau(ground: FloatArray) -> tuple[float, float]:
    """X of the first and the last ground vertex whose elevation equals the maximum (m)."""
    y = ground[:, 1]
    top = np.nonzero(y >= y.max() - 1e-9 * max(1.0, float(np.ptp(y))))[0]
    return float(ground[top[0], 0]), float(ground[top[-1], 0])
