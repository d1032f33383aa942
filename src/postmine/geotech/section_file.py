"""Slope section files (TOML): read, validate and turn into a :class:`Section`.

A file describes one cross-section — ground, soil layers top down, pore water, seismic
coefficient, surcharge, tension crack — and either a critical-surface search or one given
slip surface, optionally the piezometers that feed the pore pressure from monitoring and
the published factors of safety the section is checked against. ``format_version`` is 1.

.. code-block:: toml

    format_version = 1
    title = "ACADS 1(a): homogeneous simple slope"

    [section]
    ground = [[20.0, 25.0], [30.0, 25.0], [50.0, 35.0], [70.0, 35.0]]   # m, toe left
    direction = "right-to-left"       # optional failure direction (Slide2's words):
                                      # "right-to-left" (or "left"): the mass moves to −x,
                                      # "left-to-right" (or "right"), "both"; omitted: every
                                      # face of the ground (one, or two for a dam or a pit)
    pore_pressure_ratio = 0.0         # r_u, or piezometric_line = [[x, y], ...]
    seismic_coefficient = 0.0         # k_h
    surcharge_kpa = 0.0               # on [surcharge_start_m, surcharge_end_m]
    tension_crack_depth_m = 0.0
    crack_water_depth_m = 0.0

    [[layers]]                        # top down; all but the last have `bottom`
    name = "clay"
    cohesion_kpa = 3.0
    friction_angle_deg = 19.6
    unit_weight_kn_m3 = 20.0
    # impenetrable = true             # bedrock: slip surfaces follow its top, never cut it

    [search]                          # or [surface] with centre_x/centre_y/radius or points
    kind = "circular"                 # or "noncircular"
    centre_x = [25.0, 50.0, 26]       # start, stop, count (m, m, -); omitted: automatic grid
    centre_y = [35.0, 60.0, 26]
    radius = [10.0, 35.0, 26]
    n_slices = 50

    [[piezometers]]                   # optional: live pore pressure from monitoring
    channel = "PZ-1/pressure"
    x_m = 40.0
    tip_elevation_m = 22.0

    [reference]                       # optional: published factors to compare with
    source = "..."
    factors = { bishop = 0.987, spencer = 0.986 }
    tolerance = 0.015

Errors name the field (``layers.1.friction_angle_deg: ...``) and the value; a section that
is physically impossible (layers that cross, a layer entirely above the ground, φ' outside
[0°, 90°), a ground with several peaks) is refused with the message of :class:`Section`. The
ground may face either way or have two faces (a dam, dump or embankment; a pit):
:func:`postmine.geotech.faces.faces` with :attr:`SlopeFile.direction` gives the faces to
analyse.
"""

from __future__ import annotations

import inspect
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from postmine.core.validation import format_validation_error
from postmine.geotech.faces import DIRECTION_CHOICES, Face, faces, normalise_direction
from postmine.geotech.limit_equilibrium import METHODS, Method
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.slicing import slice_circle, slice_surface

__all__ = [
    "FORMAT_VERSION",
    "GivenSurface",
    "Piezometer",
    "Reference",
    "SearchSpec",
    "SectionFileError",
    "SlopeFile",
    "parse_section_file",
    "read_section_file",
    "slope_faces",
]

FORMAT_VERSION = 1

Point = tuple[float, float]
Grid = tuple[float, float, int]


class SectionFileError(ValueError):
    """A slope section file that cannot be read; the message names every bad field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SectionModel(_Model):
    ground: list[Point] = Field(min_length=2)
    pore_pressure_ratio: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.0
    piezometric_line: list[Point] | None = None
    seismic_coefficient: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.0
    surcharge_kpa: Annotated[float, Field(ge=0.0)] = 0.0
    surcharge_start_m: float | None = None
    surcharge_end_m: float | None = None
    tension_crack_depth_m: Annotated[float, Field(ge=0.0)] = 0.0
    crack_water_depth_m: Annotated[float, Field(ge=0.0)] = 0.0
    direction: str | None = None

    @field_validator("direction")
    @classmethod
    def _direction(cls, value: str | None) -> str | None:
        if value is not None and value.strip().lower() not in DIRECTION_CHOICES:
            raise ValueError(
                f"direction must be one of {', '.join(DIRECTION_CHOICES)}, got {value!r}"
            )
        return value


class _LayerModel(_Model):
    name: str = "soil"
    cohesion_kpa: Annotated[float, Field(ge=0.0)]
    friction_angle_deg: Annotated[float, Field(ge=0.0, lt=90.0)]
    unit_weight_kn_m3: Annotated[float, Field(gt=0.0)]
    bottom: list[Point] | None = None
    impenetrable: bool = False


class _SearchModel(_Model):
    kind: Literal["circular", "noncircular"] = "circular"
    centre_x: Grid | None = None
    centre_y: Grid | None = None
    radius: Grid | None = None
    n_slices: Annotated[int, Field(ge=5, le=2000)] = 50
    method: Method = "spencer"
    seed: int = 0

    @field_validator("centre_x", "centre_y", "radius")
    @classmethod
    def _grid(cls, value: Grid | None) -> Grid | None:
        if value is not None and (value[2] < 1 or value[1] < value[0]):
            raise ValueError(
                f"grid must be [start, stop, count] with stop >= start and count >= 1, got {value}"
            )
        return value


class _SurfaceModel(_Model):
    centre_x: float | None = None
    centre_y: float | None = None
    radius: Annotated[float, Field(gt=0.0)] | None = None
    points: list[Point] | None = None
    n_slices: Annotated[int, Field(ge=5, le=2000)] = 50


class _PiezometerModel(_Model):
    channel: str = Field(min_length=1)
    x_m: float
    tip_elevation_m: float


class _ReferenceModel(_Model):
    source: str
    factors: dict[Method, Annotated[float, Field(gt=0.0)]] = {}
    published_reference: Annotated[float, Field(gt=0.0)] | None = None
    tolerance: Annotated[float, Field(gt=0.0, le=0.05)] = 0.015
    note: str = ""


class _FileModel(_Model):
    format_version: Literal[1]
    title: str = ""
    description: str = ""
    section: _SectionModel
    layers: list[_LayerModel] = Field(min_length=1)
    search: _SearchModel | None = None
    surface: _SurfaceModel | None = None
    piezometers: list[_PiezometerModel] = []
    reference: _ReferenceModel | None = None


@dataclass(frozen=True)
class SearchSpec:
    """Critical-surface search of a section file.

    ``kind``, grids ``(start, stop, count)`` in m or None for the automatic grid,
    ``n_slices`` [-], ``method`` minimised by the non-circular stage, ``seed``.
    """

    kind: Literal["circular", "noncircular"]
    centre_x: Grid | None
    centre_y: Grid | None
    radius: Grid | None
    n_slices: int
    method: Method
    seed: int


@dataclass(frozen=True)
class GivenSurface:
    """One slip surface: a circle (``centre_x``, ``centre_y``, ``radius`` m) or ``points`` m."""

    centre_x: float | None
    centre_y: float | None
    radius: float | None
    points: tuple[Point, ...] | None
    n_slices: int

    @property
    def circular(self) -> bool:
        """Whether the surface is a circle."""
        return self.points is None


@dataclass(frozen=True)
class Piezometer:
    """A piezometer feeding the section: ``channel`` key, ``x_m``, ``tip_elevation_m``."""

    channel: str
    x_m: float
    tip_elevation_m: float


@dataclass(frozen=True)
class Reference:
    """Published factors of safety by method, their ``source`` and relative ``tolerance``."""

    source: str
    factors: dict[str, float]
    published_reference: float | None
    tolerance: float
    note: str


@dataclass(frozen=True)
class SlopeFile:
    """A validated slope section file.

    ``direction`` is the failure direction the file asks for, in Slide2's words
    (``"right-to-left"``, ``"left-to-right"``, ``"both"``) or None to detect it; pass it to
    :func:`postmine.geotech.faces.faces`.
    """

    title: str
    description: str
    section: Section
    search: SearchSpec | None
    surface: GivenSurface | None
    piezometers: tuple[Piezometer, ...]
    reference: Reference | None
    path: Path | None = None
    direction: str | None = None


def parse_section_file(data: dict[str, Any], where: str = "section file") -> SlopeFile:
    """Validate the parsed TOML of a slope section file and build its :class:`Section`.

    Parameters
    ----------
    data : dict
        The parsed TOML document.
    where : str
        Name of the document in error messages (usually its path).

    Returns
    -------
    SlopeFile

    Raises
    ------
    SectionFileError
        Naming every invalid field and its value, or the physical inconsistency of the
        section (crossing layers, a layer above the ground, a ground with several peaks, a
        ``direction`` the ground has no face for, ...).

    Examples
    --------
    >>> sf = parse_section_file({"format_version": 1,
    ...     "section": {"ground": [[0, 0], [10, 0], [30, 10], [50, 10]]},
    ...     "layers": [{"cohesion_kpa": 5, "friction_angle_deg": 30, "unit_weight_kn_m3": 19}]})
    >>> sf.section.layers[0].friction_angle, sf.search is None
    (30.0, True)
    """
    model = _validated_model(data, where)
    section = _build_section(model, where)
    lo, hi = section.x_range
    for k, p in enumerate(model.piezometers):
        if not lo <= p.x_m <= hi:
            raise SectionFileError(
                f"{where}: piezometers.{k}.x_m must be within the section [{lo}, {hi}] m, "
                f"got {p.x_m}"
            )
    return SlopeFile(
        title=model.title,
        description=model.description.strip(),
        section=section,
        search=None if model.search is None else _search_spec(model.search),
        surface=None if model.surface is None else _given_surface(model.surface),
        piezometers=tuple(
            Piezometer(p.channel, p.x_m, p.tip_elevation_m) for p in model.piezometers
        ),
        reference=None if model.reference is None else _reference(model.reference),
        direction=_direction(section, model.section.direction, where),
    )


def _direction(section: Section, direction: str | None, where: str) -> str | None:
    """Return the file's direction in Slide2's words; raise if the ground has no such face."""
    if direction is None:
        return None
    try:
        faces(section, direction)
    except ValueError as err:
        raise SectionFileError(f"{where}: section.direction: {err}") from None
    return normalise_direction(direction)


def _validated_model(data: dict[str, Any], where: str) -> _FileModel:
    """Check the format version and every field; one of [search] or [surface], a whole circle."""
    version = data.get("format_version")
    if version is not None and version != FORMAT_VERSION:
        raise SectionFileError(
            f"{where}: format_version must be {FORMAT_VERSION}, got {version!r} "
            "(a newer postmine wrote this file)"
        )
    try:
        model = _FileModel.model_validate(data)
    except ValidationError as err:
        raise SectionFileError(format_validation_error(err, where)) from None
    if model.search is not None and model.surface is not None:
        raise SectionFileError(f"{where}: give either [search] or [surface], not both")
    surface = model.surface
    if surface is not None:
        circle = (surface.centre_x, surface.centre_y, surface.radius)
        has_circle = all(v is not None for v in circle)
        if has_circle == (surface.points is not None) or (
            not has_circle and any(v is not None for v in circle)
        ):
            raise SectionFileError(
                f"{where}: surface needs either centre_x, centre_y and radius (a circle) or "
                "points (a polyline), not both and not part of a circle"
            )
    return model


def _build_section(model: _FileModel, where: str) -> Section:
    """Build the :class:`Section` of the file; its physical checks raise SectionFileError."""
    s = model.section
    try:
        layers = [_soil_layer(lay, k, where) for k, lay in enumerate(model.layers)]
        return Section(
            s.ground,
            layers,
            pore_pressure_ratio=s.pore_pressure_ratio,
            piezometric_line=s.piezometric_line,
            seismic_coefficient=s.seismic_coefficient,
            surcharge=s.surcharge_kpa,
            surcharge_start=s.surcharge_start_m,
            surcharge_end=s.surcharge_end_m,
            tension_crack_depth=s.tension_crack_depth_m,
            crack_water_depth=s.crack_water_depth_m,
        )
    except ValueError as err:
        raise SectionFileError(f"{where}: {err}") from None


def _soil_layer(lay: _LayerModel, k: int, where: str) -> SoilLayer:
    """Build one layer; ``impenetrable`` only where :class:`SoilLayer` takes it."""
    extra: dict[str, Any] = {}
    if lay.impenetrable:
        if "impenetrable" not in inspect.signature(SoilLayer).parameters:
            raise SectionFileError(
                f"{where}: layers.{k}.impenetrable is not supported by this version of postmine"
            )
        extra["impenetrable"] = True
    return SoilLayer(
        lay.cohesion_kpa,
        lay.friction_angle_deg,
        lay.unit_weight_kn_m3,
        bottom=lay.bottom,
        name=lay.name,
        **extra,
    )


def _search_spec(search: _SearchModel) -> SearchSpec:
    return SearchSpec(
        kind=search.kind,
        centre_x=search.centre_x,
        centre_y=search.centre_y,
        radius=search.radius,
        n_slices=search.n_slices,
        method=search.method,
        seed=search.seed,
    )


def _given_surface(surface: _SurfaceModel) -> GivenSurface:
    return GivenSurface(
        centre_x=surface.centre_x,
        centre_y=surface.centre_y,
        radius=surface.radius,
        points=None if surface.points is None else tuple(surface.points),
        n_slices=surface.n_slices,
    )


def _reference(ref: _ReferenceModel) -> Reference:
    return Reference(
        source=" ".join(ref.source.split()),
        factors={m: float(ref.factors[m]) for m in METHODS if m in ref.factors},
        published_reference=ref.published_reference,
        tolerance=ref.tolerance,
        note=" ".join(ref.note.split()),
    )


def read_section_file(path: str | Path) -> SlopeFile:
    """Read and validate a slope section file (TOML).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    SlopeFile

    Raises
    ------
    SectionFileError
        If the file is missing, is not TOML, or any field is invalid (every one named).
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise SectionFileError(f"{p}: no such file") from None
    except tomllib.TOMLDecodeError as err:
        raise SectionFileError(f"{p}: not valid TOML: {err}") from None
    sf = parse_section_file(data, str(p))
    return SlopeFile(**{**sf.__dict__, "path": p})


def slope_faces(
    slope: SlopeFile, direction: str | None = None, section: Section | None = None
) -> list[tuple[Face, SlopeFile]]:
    """Split a slope file into its faces, each a file in the engine's convention.

    Each face (:func:`postmine.geotech.faces.faces`) comes with a copy of the file in the
    face's coordinates: its section rises from left to right, and the ``[search]`` grid, the
    ``[surface]`` and the piezometers are mirrored with it. The copies can be analysed as
    they are; map their x back with the face (:meth:`Face.to_original_x`,
    :meth:`Face.to_original_points`, :meth:`Face.to_original_circle`).

    Parameters
    ----------
    slope : SlopeFile
        A validated section file, facing either way or with two faces. [-]
    direction : str or None
        Failure direction (``"right-to-left"``, ``"left-to-right"``, ``"both"`` or the short
        forms ``"left"``, ``"right"``); None takes the file's ``direction``, and a file
        without one gives every face of the ground. [-]
    section : Section or None
        Use this section instead of the file's (e.g. with live pore pressure), in the
        file's coordinates. [-]

    Returns
    -------
    list of (Face, SlopeFile)
        From left to right in the original section. A ``[search]`` ``centre_x`` range that
        misses a face's x-range (or only touches its end) is dropped for that face (the
        automatic range is used there); a ``[surface]`` on a two-faced ground goes only to
        the faces it cuts (to all of them if it cuts none, so that the analysis reports it).

    Raises
    ------
    ValueError
        If ``direction`` is not allowed or the ground has no face of that direction.

    Examples
    --------
    >>> dam = parse_section_file({"format_version": 1,
    ...     "section": {"ground": [[0, 0], [20, 10], [25, 10], [45, 0]]},
    ...     "layers": [{"cohesion_kpa": 5, "friction_angle_deg": 30, "unit_weight_kn_m3": 19}]})
    >>> [(face.direction, part.section.x_range) for face, part in slope_faces(dam)]
    [('right-to-left', (0.0, 25.0)), ('left-to-right', (-45.0, -20.0))]
    """
    sec = slope.section if section is None else section
    wanted = slope.direction if direction is None else direction
    pairs = [(face, _face_file(slope, face)) for face in faces(sec, wanted)]
    if slope.surface is not None and len(pairs) > 1:
        pairs = [pair for pair in pairs if _cuts_ground(pair[1])] or pairs
    return pairs


def _face_file(slope: SlopeFile, face: Face) -> SlopeFile:
    """Return the file in the face's coordinates: its section, grid, surface, piezometers."""
    search = slope.search
    if search is not None and search.centre_x is not None:
        a, b = (float(v) for v in face.to_face_x(search.centre_x[:2]))
        lo, hi = face.x_limits
        grid = None if max(a, b) <= lo or min(a, b) >= hi else (min(a, b), max(a, b))
        x_grid = None if grid is None else (*grid, search.centre_x[2])
        search = SearchSpec(**{**search.__dict__, "centre_x": x_grid})
    surface = slope.surface
    if surface is not None:
        centre_x = None if surface.centre_x is None else float(face.to_face_x(surface.centre_x))
        points = None
        if surface.points is not None:
            points = tuple((float(x), float(y)) for x, y in face.to_face_points(surface.points))
        surface = GivenSurface(**{**surface.__dict__, "centre_x": centre_x, "points": points})
    piezometers = tuple(
        Piezometer(p.channel, float(face.to_face_x(p.x_m)), p.tip_elevation_m)
        for p in slope.piezometers
    )
    return SlopeFile(
        **{
            **slope.__dict__,
            "section": face.section,
            "search": search,
            "surface": surface,
            "piezometers": piezometers,
            "direction": "right-to-left",
        }
    )


def _cuts_ground(part: SlopeFile) -> bool:
    """Whether the file's given surface cuts the ground of its section as one sliding mass."""
    surface = part.surface
    assert surface is not None
    if surface.circular:
        assert surface.centre_x is not None and surface.centre_y is not None
        assert surface.radius is not None
        slices = slice_circle(
            part.section, surface.centre_x, surface.centre_y, surface.radius, 10, strict=False
        )
    else:
        assert surface.points is not None
        slices = slice_surface(part.section, surface.points, 10, strict=False)
    return bool(slices.valid[0])
