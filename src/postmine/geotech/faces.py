r"""The faces of a slope section: failure direction, mirroring, and two-faced sections.

The slicing (:mod:`~postmine.geotech.slicing`) and the searches work in one convention: the
ground rises from left to right (toe on the left, crest on the right) and the sliding mass
moves towards −x. A section may face either way or have two faces (:func:`ground_shape`);
:func:`faces` gives each face as a section in that convention, with the map back to the
coordinates of the original section.

Failure direction
-----------------
The words are Slide2's "failure direction" (Rocscience Slide2, Project Settings → General):

``"right-to-left"``
    The sliding mass moves towards −x: the toe is on the left, the ground rises to the
    right. The engine's own convention; the face is used as it is.
``"left-to-right"``
    The sliding mass moves towards +x: the toe is on the right. The face is mirrored
    (x → −x, :func:`mirror_section`) before it is analysed.

``"left"`` and ``"right"`` are accepted as short forms: the direction the mass moves (and the
slope faces) — ``"left"`` is ``"right-to-left"``, ``"right"`` is ``"left-to-right"``.
``"both"`` asks for every face the ground has; ``None`` detects them from the ground.

Two-faced sections
------------------
A ridge (a dam, dump or embankment: the ground rises to one crest and falls again) has a
face on each side of its crest; a valley (a pit or cut: falls to one bottom and rises again)
has a wall on each side of its bottom. Each face's section is the original cut at the far end
of the top (for a ridge) or at the near end of the bottom (for a valley), so a slip surface
of the face enters and leaves the ground on that face, its toe plain and the crest or the
floor next to it: :attr:`Face.x_limits`, the x-range of the face's section, bounds both ends
of every slip surface with no further work by the search. Surfaces that pass through a ridge
and leave the ground on its other face, or pass under a pit floor and come up its other wall,
are not searched (they are not failures of one face). Layers lying wholly above a face's
ground are dropped from its section; the water, the loads and the crack are kept (the
surcharge with its x-range made explicit).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from postmine.geotech.section import (
    FloatArray,
    Section,
    SoilLayer,
    ground_shape,
    layer_above_ground,
)

__all__ = [
    "DIRECTIONS",
    "DIRECTION_CHOICES",
    "Direction",
    "Face",
    "faces",
    "ground_shape",
    "mirror_section",
    "normalise_direction",
]

Direction = Literal["right-to-left", "left-to-right"]

#: The two failure directions (Slide2's words): the sliding mass moves towards −x or +x.
DIRECTIONS: tuple[Direction, ...] = ("right-to-left", "left-to-right")

#: Every value a ``direction`` may take: the two directions, ``"both"`` and the short forms.
DIRECTION_CHOICES: tuple[str, ...] = ("right-to-left", "left-to-right", "both", "left", "right")

_SHORT = {"left": "right-to-left", "right": "left-to-right"}


def normalise_direction(direction: str | None) -> str | None:
    """Return the failure direction in Slide2's words, ``"both"`` or None, or raise.

    Parameters
    ----------
    direction : str or None
        ``"right-to-left"`` (or ``"left"``: the mass moves towards −x), ``"left-to-right"``
        (or ``"right"``: towards +x), ``"both"`` (every face) or None (detect).

    Returns
    -------
    str or None
        ``"right-to-left"``, ``"left-to-right"``, ``"both"`` or None.

    Raises
    ------
    ValueError
        If ``direction`` is none of these.

    Examples
    --------
    >>> normalise_direction("left"), normalise_direction("both")
    ('right-to-left', 'both')
    """
    if direction is None:
        return None
    if not isinstance(direction, str) or direction.strip().lower() not in DIRECTION_CHOICES:
        raise ValueError(
            f"direction must be one of {', '.join(map(repr, DIRECTION_CHOICES))}, got {direction!r}"
        )
    key = direction.strip().lower()
    return _SHORT.get(key, key)


def _mirror_line(points: FloatArray) -> FloatArray:
    """Return a polyline mirrored x → −x, its vertices reversed so x still increases."""
    out = np.array(points[::-1], dtype=float)
    out[:, 0] = -out[:, 0]
    return out


def _with_bottom(layer: SoilLayer, bottom: FloatArray | None) -> SoilLayer:
    """Return a copy of a layer with another bottom polyline (every other property kept)."""
    twin = copy.copy(layer)
    twin.bottom = bottom
    return twin


def mirror_section(section: Section) -> Section:
    """Return the section mirrored about x = 0 (x → −x): a slope facing the other way.

    The ground, every layer bottom, the piezometric line and the surcharge's x-range are
    mirrored; strengths, unit weights, r_u, k_h, the surcharge and the tension crack are kept.
    Negating x is exact in floating point, so mirroring twice gives the original section.

    Parameters
    ----------
    section : Section
        The section. [-]

    Returns
    -------
    Section
        The mirrored section; a default surcharge range (the top of the ground) stays the
        default, a given one becomes [−end, −start]. [-]

    Examples
    --------
    >>> sec = Section([(0, 0), (10, 0), (20, 5), (40, 5)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> mirror_section(sec).ground.tolist()
    [[-40.0, 5.0], [-20.0, 5.0], [-10.0, 0.0], [-0.0, 0.0]]
    >>> mirror_section(mirror_section(sec)).ground.tolist() == sec.ground.tolist()
    True
    """
    start: float | None = None
    end: float | None = None
    if section.surcharge_start is not None or section.surcharge_end is not None:
        s0, s1 = section.surcharge_range
        start, end = -s1, -s0
    water = section.piezometric_line
    return Section(
        _mirror_line(section.ground),
        [
            _with_bottom(lay, None if lay.bottom is None else _mirror_line(lay.bottom))
            for lay in section.layers
        ],
        pore_pressure_ratio=section.pore_pressure_ratio,
        piezometric_line=None if water is None else _mirror_line(water),
        seismic_coefficient=section.seismic_coefficient,
        surcharge=section.surcharge,
        surcharge_start=start,
        surcharge_end=end,
        tension_crack_depth=section.tension_crack_depth,
        crack_water_depth=section.crack_water_depth,
    )


@dataclass(frozen=True)
class Face:
    """One face of a section, ready for the slicing and the searches.

    Attributes
    ----------
    direction : {"right-to-left", "left-to-right"}
        Failure direction of the face in the original section: the way its sliding mass
        moves (Slide2's words).
    section : Section
        The face as a section rising from left to right (the engine's convention):
        mirrored if ``direction`` is ``"left-to-right"``, cut to the face for a two-faced
        ground. Its coordinates are the face's; map results back with
        :meth:`to_original_x` / :meth:`to_original_points`.
    x_limits : tuple of float
        X-range, in the face's coordinates, within which both ends of a slip surface of
        this face lie: the x-range of ``section`` (the cut enforces it). [m]
    mirrored : bool
        Whether ``section`` is mirrored (x_face = −x_original).
    """

    direction: Direction
    section: Section
    x_limits: tuple[float, float]
    mirrored: bool

    def to_original_x(self, x: npt.ArrayLike) -> FloatArray:
        """Map x of the face (a circle's centre, a slice, an entry or exit) to the original, m."""
        arr = np.asarray(x, dtype=float)
        out: FloatArray = -arr if self.mirrored else arr.copy()
        return out

    def to_face_x(self, x: npt.ArrayLike) -> FloatArray:
        """Map x of the original section to the face's coordinates, m."""
        return self.to_original_x(x)  # mirroring is its own inverse

    def to_original_points(self, points: npt.ArrayLike) -> FloatArray:
        """Map an (N, 2) polyline of the face (a slip surface) to the original, m.

        A mirrored polyline is reversed too, so its x still increases.
        """
        arr = np.asarray(points, dtype=float).reshape(-1, 2)
        return _mirror_line(arr) if self.mirrored else arr.copy()

    def to_face_points(self, points: npt.ArrayLike) -> FloatArray:
        """Map an (N, 2) polyline of the original section to the face's coordinates, m."""
        return self.to_original_points(points)

    def to_original_circle(self, circle: tuple[float, float, float]) -> tuple[float, float, float]:
        """Map a circle (x_c, y_c, R) of the face to the original section, m."""
        centre_x, centre_y, radius = circle
        return float(self.to_original_x(centre_x)), float(centre_y), float(radius)

    @property
    def original_x_limits(self) -> tuple[float, float]:
        """:attr:`x_limits` in the original section's coordinates, increasing, m."""
        lo, hi = (float(v) for v in self.to_original_x(self.x_limits))
        return (min(lo, hi), max(lo, hi))


def _cut(section: Section, first: int, last: int) -> Section:
    """Return the section cut to ground vertices ``first`` … ``last``, layers above dropped."""
    ground = section.ground[first : last + 1]
    layers = list(section.layers)
    while len(layers) > 1 and layer_above_ground(ground, layers[0].bottom):
        layers.pop(0)
    s0, s1 = section.surcharge_range
    return Section(
        ground,
        layers,
        pore_pressure_ratio=section.pore_pressure_ratio,
        piezometric_line=section.piezometric_line,
        seismic_coefficient=section.seismic_coefficient,
        surcharge=section.surcharge,
        surcharge_start=s0 if section.surcharge > 0 else None,
        surcharge_end=s1 if section.surcharge > 0 else None,
        tension_crack_depth=section.tension_crack_depth,
        crack_water_depth=section.crack_water_depth,
    )


def _plateau(y: FloatArray, top: bool) -> tuple[int, int]:
    """First and last index of the vertices at the maximum (``top``) or the minimum of y."""
    tol = 1e-9 * max(1.0, float(np.ptp(y)))
    at = np.nonzero(y >= y.max() - tol)[0] if top else np.nonzero(y <= y.min() + tol)[0]
    return int(at[0]), int(at[-1])


def _face_parts(section: Section) -> list[tuple[Direction, int, int]]:
    """Each face's direction and the first and last ground vertex of its section."""
    n = section.ground.shape[0] - 1
    shape = section.ground_shape
    if shape == "rising":
        return [("right-to-left", 0, n)]
    if shape == "falling":
        return [("left-to-right", 0, n)]
    first, last = _plateau(section.ground[:, 1], top=shape == "ridge")
    if shape == "ridge":  # the left face rises to the crest, the right one falls from it
        return [("right-to-left", 0, last), ("left-to-right", first, n)]
    return [("left-to-right", 0, last), ("right-to-left", first, n)]  # valley walls


def faces(section: Section, direction: str | None = None) -> list[Face]:
    """Return the faces of a section, each as a section rising from left to right.

    Parameters
    ----------
    section : Section
        The section, facing either way or with two faces (a ridge or a valley). [-]
    direction : str or None
        Failure direction (Slide2's words, see the module notes): ``"right-to-left"`` (or
        ``"left"``), ``"left-to-right"`` (or ``"right"``), ``"both"`` (every face) or None
        (detect: every face the ground has). [-]

    Returns
    -------
    list of Face
        From left to right in the original section: one face for a one-faced ground or a
        given direction, two for a ridge or a valley with ``"both"`` or None.

    Raises
    ------
    ValueError
        If ``direction`` is not one of the allowed values, the ground has no face of that
        direction, or a face is too low for the tension crack (its message names the face).

    Notes
    -----
    For each face: analyse ``face.section`` (slip surfaces lie within ``face.x_limits`` by
    construction) and map every x of the result back with :meth:`Face.to_original_x` or
    :meth:`Face.to_original_points`.

    Examples
    --------
    >>> from postmine.geotech.section import SoilLayer
    >>> dam = Section([(0, 0), (20, 10), (25, 10), (45, 0)], [SoilLayer(5.0, 30.0, 19.0)])
    >>> [(f.direction, f.x_limits) for f in faces(dam)]
    [('right-to-left', (0.0, 25.0)), ('left-to-right', (-45.0, -20.0))]
    """
    wanted = normalise_direction(direction)
    parts = _face_parts(section)
    if wanted not in (None, "both"):
        parts = [p for p in parts if p[0] == wanted]
        if not parts:
            have = ", ".join(repr(p[0]) for p in _face_parts(section))
            raise ValueError(
                f"direction = {direction!r}: the ground ({section.ground_shape}) has no face "
                f"whose sliding mass moves {str(wanted).replace('-', ' ')}; its faces: "
                f"{have}"
            )
    whole = len(_face_parts(section)) == 1
    out = []
    for face_direction, first, last in parts:
        try:
            part = section if whole else _cut(section, first, last)
        except ValueError as err:
            lo, hi = section.ground[first, 0], section.ground[last, 0]
            raise ValueError(f"the {face_direction} face (x = {lo}..{hi} m): {err}") from None
        mirrored = face_direction == "left-to-right"
        if mirrored:
            part = mirror_section(part)
        out.append(Face(face_direction, part, part.x_range, mirrored))
    return out
