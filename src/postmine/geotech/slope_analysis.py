"""Slope analysis workflow: a section file in, factors of safety and the critical surface out.

:func:`analyse_slope` runs what a :class:`~postmine.geotech.section_file.SlopeFile` asks
for — the factors of one given surface, or a critical-circle search (its grid or
:func:`~postmine.geotech.slip_search.auto_search_grid`) optionally followed by the
non-circular search — and compares the result with the file's published reference.
:func:`~postmine.geotech.slope_plot.plot_slope` draws the result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from postmine.geotech.limit_equilibrium import METHODS, factors_of_safety
from postmine.geotech.section import FloatArray, Section
from postmine.geotech.section_file import GivenSurface, Reference, SearchSpec, SlopeFile
from postmine.geotech.slicing import Slices, slice_circle, slice_surface
from postmine.geotech.slip_search import auto_search_grid, critical_circle, critical_surface

__all__ = ["ReferenceCheck", "SlopeAnalysis", "analyse_slope"]

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
class SlopeAnalysis:
    """Result of :func:`analyse_slope`.

    ``factors`` F by method [-]; ``lambdas`` λ of Spencer / Morgenstern–Price [-];
    ``surface`` (m, 2) slip surface from entry to exit [m]; ``circle`` (x_c, y_c, R) [m] or
    None; ``axis`` moment axis [m]; ``n_slices`` [-]; ``n_evaluated`` trial surfaces [-];
    ``seconds`` wall time [s]; ``checks`` against the published reference.
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

    @property
    def minimum(self) -> tuple[str, float]:
        """The lowest factor of safety and its method."""
        finite = {m: f for m, f in self.factors.items() if np.isfinite(f)}
        method = min(finite, key=lambda m: finite[m])
        return method, finite[method]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary with units in the key names."""

        def num(v: float) -> float | None:
            return float(v) if np.isfinite(v) else None

        return {
            "title": self.title,
            "kind": self.kind,
            "minimised_method": self.minimised,
            "factors": {m: num(f) for m, f in self.factors.items()},
            "lambdas": {m: num(v) for m, v in self.lambdas.items()},
            "circle_m": None
            if self.circle is None
            else dict(zip(("centre_x", "centre_y", "radius"), self.circle, strict=True)),
            "surface_m": self.surface.round(4).tolist(),
            "axis_m": list(self.axis),
            "entry_x_m": float(self.slices.entry_x[0]),
            "exit_x_m": float(self.slices.exit_x[0]),
            "n_slices": self.n_slices,
            "n_evaluated": self.n_evaluated,
            "seconds": round(self.seconds, 4),
            "reference_checks": [c.__dict__ for c in self.checks],
        }


def _grid(spec: tuple[float, float, int] | None, default: FloatArray) -> FloatArray:
    return default if spec is None else np.linspace(spec[0], spec[1], int(spec[2]))


@dataclass(frozen=True)
class _Outcome:
    """What one branch of :func:`analyse_slope` found, before the reference is compared."""

    slices: Slices
    kind: Kind
    circle: tuple[float, float, float] | None
    factors: dict[str, float]
    lambdas: dict[str, float]
    n_slices: int
    n_evaluated: int
    minimised: str


def analyse_slope(
    slope: SlopeFile,
    *,
    noncircular: bool | None = None,
    section: Section | None = None,
) -> SlopeAnalysis:
    """Run the analysis a slope file asks for and compare with its published reference.

    With a ``[surface]`` the factors of that surface by every method; otherwise the
    critical circle of the ``[search]`` grid (or of :func:`auto_search_grid`), refined by
    Nelder–Mead, and — for ``kind = "noncircular"`` — the non-circular search started from
    it (:func:`~postmine.geotech.slip_search.critical_surface`).

    Parameters
    ----------
    slope : SlopeFile
        A validated section file.
    noncircular : bool or None
        Override the search kind of the file (True: non-circular, False: circular).
    section : Section or None
        Use this section instead of the file's (e.g. with live pore pressure).

    Returns
    -------
    SlopeAnalysis

    Raises
    ------
    ValueError
        If the given surface does not cut the ground inside the section, or no surface of
        the search has a factor of safety.
    """
    sec = slope.section if section is None else section
    started = time.perf_counter()
    if slope.surface is not None:
        found = _given_surface(sec, slope.surface)
    else:
        found = _searched_surface(sec, slope.search, noncircular)
    checks = () if slope.reference is None else _reference_checks(slope.reference, found.factors)
    slices = found.slices
    return SlopeAnalysis(
        title=slope.title,
        kind=found.kind,
        factors={m: found.factors.get(m, float("nan")) for m in METHODS},
        lambdas=found.lambdas,
        surface=slices.polyline(),
        circle=found.circle,
        axis=(float(slices.centre_x[0]), float(slices.centre_y[0])),
        n_slices=found.n_slices,
        n_evaluated=found.n_evaluated,
        seconds=time.perf_counter() - started,
        slices=slices,
        checks=checks,
        minimised=found.minimised,
    )


def _first_factors(slices: Slices) -> tuple[dict[str, float], dict[str, float]]:
    """F and λ of the first surface of ``slices`` by every method."""
    all_f, all_lam = factors_of_safety(slices)
    return {m: float(v[0]) for m, v in all_f.items()}, {m: float(v[0]) for m, v in all_lam.items()}


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
    return _Outcome(slices, kind, circle, factors, lambdas, given.n_slices, 1, "given")


def _searched_surface(sec: Section, spec: SearchSpec | None, noncircular: bool | None) -> _Outcome:
    """Critical circle of the file's ``[search]`` (or the automatic grid), then non-circular."""
    auto = auto_search_grid(sec)
    n_slices = 50 if spec is None else spec.n_slices
    found = critical_circle(
        sec,
        _grid(None if spec is None else spec.centre_x, auto.centre_x),
        _grid(None if spec is None else spec.centre_y, auto.centre_y),
        _grid(None if spec is None else spec.radius, auto.radius),
        n_slices,
    )
    want_noncircular = (
        (spec is not None and spec.kind == "noncircular") if noncircular is None else noncircular
    )
    if not want_noncircular:
        slices = slice_circle(sec, found.centre_x, found.centre_y, found.radius, n_slices)
        circle = (found.centre_x, found.centre_y, found.radius)
        factors, lambdas = dict(found.factors), dict(found.lambdas)
        return _Outcome(
            slices,
            "circular search",
            circle,
            factors,
            lambdas,
            n_slices,
            n_evaluated=found.n_evaluated,
            minimised="bishop",
        )
    method = "spencer" if spec is None else spec.method
    best = critical_surface(
        sec,
        found,
        method=method,
        n_slices=min(n_slices, 40),
        seed=0 if spec is None else spec.seed,
    )
    slices = slice_surface(sec, best.points, n_slices)
    factors, lambdas = _first_factors(slices)
    n_evaluated = found.n_evaluated + best.n_evaluated
    return _Outcome(
        slices, "noncircular search", None, factors, lambdas, n_slices, n_evaluated, method
    )


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
