"""Slope analysis workflow: a section file in, factors of safety and the critical surface out.

:func:`analyse_slope` runs what a :class:`~postmine.geotech.section_file.SlopeFile` asks
for — the factors of one given surface, or a critical-circle search (its grid or
:func:`~postmine.geotech.slip_search.auto_search_grid`) optionally followed by the
non-circular search — and compares the result with the file's published reference.
:func:`~postmine.geotech.slope_plot.plot_slope` draws the result.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

import numpy as np

from postmine.geotech.circle_search import Progress, critical_circles
from postmine.geotech.faces import Face
from postmine.geotech.limit_equilibrium import METHODS, Method, factors_of_safety
from postmine.geotech.section import FloatArray, Section
from postmine.geotech.section_file import (
    GivenSurface,
    Reference,
    SearchSpec,
    SlopeFile,
    slope_faces,
)
from postmine.geotech.slicing import Slices, slice_circle, slice_surface
from postmine.geotech.slip_search import critical_surface

__all__ = ["MethodSurface", "ReferenceCheck", "SlopeAnalysis", "analyse_slope"]

Kind = Literal["given circle", "given polyline", "circular search", "noncircular search"]


@dataclass(frozen=True)
class ReferenceCheck:
    """One published factor against ours.

    ``method``, ``published`` and ``computed`` [-], ``difference`` relative [-],
    ``tolerance`` relative [-], ``passed``.
    """

    method: str
    published: float
    computed: float
    difference: float
    tolerance: float
    passed: bool


@dataclass(frozen=True)
class MethodSurface:
    """One method's own critical surface.

    ``method``; ``factor`` its F there [-] (the least it found); ``lambda_`` λ of Spencer /
    Morgenstern–Price [-] (NaN for the others); ``circle`` (x_c, y_c, R) [m] or None for a
    polyline; ``surface`` (m, 2) slip surface from entry to exit [m] (a circle's arc, or a
    composite surface where bedrock truncates it); ``factors`` every method's F on it [-];
    ``searched`` "circular" or "noncircular", how the surface was found (a method not
    searched non-circularly keeps the lower of its own critical circle and its F on the
    minimised method's non-circular surface: "minimised surface").
    """

    method: str
    factor: float
    lambda_: float
    circle: tuple[float, float, float] | None
    surface: FloatArray
    factors: dict[str, float]
    searched: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary with units in the key names."""
        return {
            "factor": _num(self.factor),
            "lambda": _num(self.lambda_),
            "circle_m": _circle_dict(self.circle),
            "surface_m": self.surface.round(4).tolist(),
            "factors": {m: _num(f) for m, f in self.factors.items()},
            "searched": self.searched,
        }


def _num(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None


def _circle_dict(circle: tuple[float, float, float] | None) -> dict[str, float] | None:
    if circle is None:
        return None
    return dict(zip(("centre_x", "centre_y", "radius"), circle, strict=True))


@dataclass(frozen=True)
class SlopeAnalysis:
    """Result of :func:`analyse_slope`.

    ``factors`` F by method [-]: for a search, each method's own minimum (on its own
    critical surface, ``critical[method]``), for a given surface the F of that surface;
    ``lambdas`` λ of Spencer / Morgenstern–Price on their own surfaces [-]; ``surface``
    (m, 2) slip surface of the ``minimised`` method (Bishop for a circular search) from entry
    to exit [m]; ``circle`` its (x_c, y_c, R) [m] or None; ``axis`` moment axis [m];
    ``n_slices`` [-]; ``n_evaluated`` trial surfaces [-]; ``seconds`` wall time [s];
    ``checks`` against the published reference; ``critical`` each method's own critical
    surface (:class:`MethodSurface`; for a given surface, that surface for every method);
    ``factors_on_surface`` every method's F on ``surface`` [-] (what ``factors`` held before
    each method had its own search).
    """

    title: str
    kind: Kind
    factors: dict[str, float]
    lambdas: dict[str, float]
    surface: FloatArray
    circle: tuple[float, float, float] | None
    axis: tuple[float, float]
    n_slices: int
    n_evaluated: int
    seconds: float
    slices: Slices = field(repr=False)
    checks: tuple[ReferenceCheck, ...] = ()
    minimised: str = "bishop"
    critical: dict[str, MethodSurface] = field(default_factory=dict)
    factors_on_surface: dict[str, float] = field(default_factory=dict)

    @property
    def minimum(self) -> tuple[str, float]:
        """The lowest factor of safety and its method."""
        finite = {m: f for m, f in self.factors.items() if np.isfinite(f)}
        method = min(finite, key=lambda m: finite[m])
        return method, finite[method]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary with units in the key names.

        ``factors`` each method's own minimum; ``critical_surfaces`` each method's surface
        (factor, λ, circle, polyline); ``factors_on_surface`` every method on ``surface_m``.
        """
        num = _num
        return {
            "title": self.title,
            "kind": self.kind,
            "minimised_method": self.minimised,
            "factors": {m: num(f) for m, f in self.factors.items()},
            "lambdas": {m: num(v) for m, v in self.lambdas.items()},
            "factors_on_surface": {m: num(f) for m, f in self.factors_on_surface.items()},
            "critical_surfaces": {m: c.to_dict() for m, c in self.critical.items()},
            "circle_m": _circle_dict(self.circle),
            "surface_m": self.surface.round(4).tolist(),
            "axis_m": list(self.axis),
            "entry_x_m": float(self.slices.entry_x[0]),
            "exit_x_m": float(self.slices.exit_x[0]),
            "n_slices": self.n_slices,
            "n_evaluated": self.n_evaluated,
            "seconds": round(self.seconds, 4),
            "reference_checks": [c.__dict__ for c in self.checks],
        }


def _grid(spec: tuple[float, float, int] | None) -> FloatArray | None:
    return None if spec is None else np.linspace(spec[0], spec[1], int(spec[2]))


@dataclass(frozen=True)
class _Outcome:
    """What one branch of :func:`analyse_slope` found on one face, before the reference."""

    slices: Slices
    kind: Kind
    circle: tuple[float, float, float] | None
    factors: dict[str, float]
    lambdas: dict[str, float]
    n_slices: int
    n_evaluated: int
    minimised: str
    critical: dict[str, MethodSurface]


def analyse_slope(
    slope: SlopeFile,
    *,
    noncircular: bool | None = None,
    section: Section | None = None,
    direction: str | None = None,
    methods: Sequence[Method] = METHODS,
    progress: Progress | None = None,
) -> SlopeAnalysis:
    """Run the analysis a slope file asks for and compare with its published reference.

    With a ``[surface]`` the factors of that surface by every method; otherwise each
    method's own critical circle (:func:`~postmine.geotech.circle_search.critical_circles`:
    the ``[search]`` grid, or the default coarse grid, in chunks, refined by a pattern search)
    and — for ``kind = "noncircular"`` — the non-circular search of the file's method started
    from that method's critical circle (:func:`~postmine.geotech.slip_search.critical_surface`);
    the other methods keep the lower of their own critical circle and their F on that
    non-circular surface. Every face of the section (:func:`~postmine.geotech.section_file.
    slope_faces`: the file's or the given ``direction``; both faces of a dam) is analysed
    in the engine's convention and mapped back; each method reports its least factor over
    the faces, and ``surface`` is that of the minimised method's critical face.

    Parameters
    ----------
    slope : SlopeFile
        A validated section file.
    noncircular : bool or None
        Override the search kind of the file (True: non-circular, False: circular).
    section : Section or None
        Use this section instead of the file's (e.g. with live pore pressure).
    direction : str or None
        Failure direction ("right-to-left", "left-to-right", "both", "left", "right"); None
        takes the file's, and a file without one has every face of its ground searched.
    methods : sequence of {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Methods searched for their own critical circle (the others are NaN in ``factors``;
        Bishop is always searched).
    progress : callable (done, total) or None
        Called as (done, total) after each chunk of the searches (one bar over every face
        and stage; the non-circular stage counts generations). [-]

    Returns
    -------
    SlopeAnalysis

    Raises
    ------
    ValueError
        If the given surface does not cut the ground inside the section, no surface of the
        search has a factor of safety, or the direction is not allowed (or the ground has no
        face of that direction).
    """
    started = time.perf_counter()
    pairs = slope_faces(slope, direction, section)
    bar = _Bar(progress, len(pairs))
    found = []
    for k, (face, part) in enumerate(pairs):
        if part.surface is not None:
            outcome = _given_surface(part.section, part.surface)
        else:
            outcome = _searched_surface(
                part.section, part.search, noncircular, methods, bar.part(k)
            )
        found.append(_to_original(outcome, face))
    bar.finish()
    best = min(found, key=lambda o: _key(o.factors.get(o.minimised, np.nan)))
    critical = {
        m: min((o.critical[m] for o in found if m in o.critical), key=lambda c: _key(c.factor))
        for m in best.critical
    }
    factors: dict[str, float] = {
        m: critical[m].factor if m in critical else float("nan") for m in METHODS
    }
    lambdas: dict[str, float] = {
        m: critical[m].lambda_ for m in ("spencer", "morgenstern_price") if m in critical
    }
    checks = () if slope.reference is None else _reference_checks(slope.reference, factors)
    slices = best.slices
    return SlopeAnalysis(
        title=slope.title,
        kind=best.kind,
        factors=factors,
        lambdas=lambdas,
        surface=slices.polyline(),
        circle=best.circle,
        axis=(float(slices.centre_x[0]), float(slices.centre_y[0])),
        n_slices=best.n_slices,
        n_evaluated=sum(o.n_evaluated for o in found),
        seconds=time.perf_counter() - started,
        slices=slices,
        checks=checks,
        minimised=best.minimised,
        critical=critical,
        factors_on_surface={m: best.factors.get(m, float("nan")) for m in METHODS},
    )


def _key(f: float) -> float:
    return f if np.isfinite(f) else np.inf


class _Bar:
    """One progress bar over several faces: each face's (done, total) scaled to 1000 units."""

    UNITS = 1000

    def __init__(self, progress: Progress | None, n_parts: int) -> None:
        self.progress = progress
        self.total = self.UNITS * max(n_parts, 1)

    def part(self, k: int) -> Progress | None:
        if self.progress is None:
            return None
        report = self.progress

        def scaled(done: int, total: int) -> None:
            report(k * self.UNITS + (self.UNITS * done) // max(total, 1), self.total)

        return scaled

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def _first_factors(slices: Slices) -> tuple[dict[str, float], dict[str, float]]:
    """F and λ of the first surface of ``slices`` by every method."""
    all_f, all_lam = factors_of_safety(slices)
    return {m: float(v[0]) for m, v in all_f.items()}, {m: float(v[0]) for m, v in all_lam.items()}


def _surface_of(
    method: str,
    slices: Slices,
    circle: tuple[float, float, float] | None,
    factors: dict[str, float],
    lambdas: dict[str, float],
    searched: str,
) -> MethodSurface:
    return MethodSurface(
        method=method,
        factor=factors.get(method, float("nan")),
        lambda_=lambdas.get(method, float("nan")),
        circle=circle,
        surface=slices.polyline(),
        factors=dict(factors),
        searched=searched,
    )


def _given_surface(sec: Section, given: GivenSurface) -> _Outcome:
    """Factors of the file's ``[surface]``, a circle or a polyline."""
    circle: tuple[float, float, float] | None
    if given.circular:
        assert given.centre_x is not None and given.centre_y is not None
        assert given.radius is not None
        slices = slice_circle(sec, given.centre_x, given.centre_y, given.radius, given.n_slices)
        kind: Kind = "given circle"
        circle = (given.centre_x, given.centre_y, given.radius)
    else:
        assert given.points is not None
        slices = slice_surface(sec, given.points, given.n_slices)
        kind, circle = "given polyline", None
    factors, lambdas = _first_factors(slices)
    critical: dict[str, MethodSurface] = {
        m: _surface_of(m, slices, circle, factors, lambdas, "given") for m in METHODS
    }
    return _Outcome(slices, kind, circle, factors, lambdas, given.n_slices, 1, "given", critical)


def _searched_surface(
    sec: Section,
    spec: SearchSpec | None,
    noncircular: bool | None,
    methods: Sequence[Method],
    progress: Progress | None,
) -> _Outcome:
    """Each method's critical circle of the ``[search]`` grid (or the default), non-circular."""
    n_slices = 50 if spec is None else spec.n_slices
    want_noncircular = (
        (spec is not None and spec.kind == "noncircular") if noncircular is None else noncircular
    )
    method: Method = "spencer" if spec is None else spec.method
    wanted = list(dict.fromkeys(["bishop", *methods, *([method] if want_noncircular else [])]))
    share = 1000 if not want_noncircular else 300  # the non-circular stage takes the rest
    circles = critical_circles(
        sec,
        _grid(None if spec is None else spec.centre_x),
        _grid(None if spec is None else spec.centre_y),
        _grid(None if spec is None else spec.radius),
        n_slices,
        methods=wanted,
        progress=_scaled(progress, 0, share),
    )
    critical = {}
    for m, c in circles.items():
        slices = slice_circle(sec, c.centre_x, c.centre_y, c.radius, n_slices)
        circle = (c.centre_x, c.centre_y, c.radius)
        critical[m] = _surface_of(m, slices, circle, c.factors, c.lambdas, "circular")
    n_evaluated = next(iter(circles.values())).n_evaluated
    main = "bishop" if not want_noncircular else method
    start = circles[main]
    if not want_noncircular:
        slices = slice_circle(sec, start.centre_x, start.centre_y, start.radius, n_slices)
        circle = (start.centre_x, start.centre_y, start.radius)
        return _Outcome(
            slices,
            "circular search",
            circle,
            dict(start.factors),
            dict(start.lambdas),
            n_slices,
            n_evaluated,
            "bishop",
            critical,
        )
    best = critical_surface(
        sec,
        start,
        method=method,
        n_slices=min(n_slices, 40),
        seed=0 if spec is None else spec.seed,
        progress=_scaled(progress, share, 1000 - share),
    )
    slices = slice_surface(sec, best.points, n_slices)
    factors, lambdas = _first_factors(slices)
    for m in critical:
        if m == method or _key(factors.get(m, np.nan)) < critical[m].factor:
            how = "noncircular" if m == method else "minimised surface"
            critical[m] = _surface_of(m, slices, None, factors, lambdas, how)
    n_evaluated += best.n_evaluated
    return _Outcome(
        slices,
        "noncircular search",
        None,
        factors,
        lambdas,
        n_slices,
        n_evaluated,
        method,
        critical,
    )


def _scaled(progress: Progress | None, offset: int, width: int) -> Progress | None:
    """Map a stage's (done, total) onto ``offset + width·done/total`` of 1000 units."""
    if progress is None:
        return None
    report = progress

    def scaled(done: int, total: int) -> None:
        report(offset + (width * done) // max(total, 1), 1000)

    return scaled


def _to_original(outcome: _Outcome, face: Face) -> _Outcome:
    """Map an outcome found on a face back to the original section's coordinates."""
    if not face.mirrored:
        return outcome
    circle = None if outcome.circle is None else face.to_original_circle(outcome.circle)
    critical = {
        m: MethodSurface(
            method=c.method,
            factor=c.factor,
            lambda_=c.lambda_,
            circle=None if c.circle is None else face.to_original_circle(c.circle),
            surface=face.to_original_points(c.surface),
            factors=c.factors,
            searched=c.searched,
        )
        for m, c in outcome.critical.items()
    }
    return replace(outcome, slices=_mirror_slices(outcome.slices), circle=circle, critical=critical)


def _mirror_slices(s: Slices) -> Slices:
    """Slices mirrored x → −x (for drawing and reporting in the original coordinates).

    Slice order is reversed so x still increases; α changes sign; entry and exit swap.
    Factors are computed on the face, never on mirrored slices.
    """
    changes: dict[str, Any] = {}
    for f in fields(s):
        value = getattr(s, f.name)
        if isinstance(value, np.ndarray) and value.ndim == 2:
            changes[f.name] = value[:, ::-1].copy()
    changes["x"] = -changes["x"]
    changes["alpha"] = -changes["alpha"]
    changes["centre_x"] = -s.centre_x
    changes["entry_x"], changes["exit_x"] = -s.exit_x, -s.entry_x
    return replace(s, **changes)


def _reference_checks(ref: Reference, factors: dict[str, float]) -> tuple[ReferenceCheck, ...]:
    """Each published factor of the file's ``[reference]`` against ours, relative difference."""
    checks: list[ReferenceCheck] = []
    for name, published in ref.factors.items():
        ours = factors.get(name, float("nan"))
        diff = ours / published - 1.0
        checks.append(
            ReferenceCheck(
                name, published, ours, diff, ref.tolerance, bool(abs(diff) <= ref.tolerance)
            )
        )
    return tuple(checks)
