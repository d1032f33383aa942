"""Independent tests of non-circular slip surfaces and tension cracks.

Expected values never come from the code under test: closed forms (Hoek & Bray plane
failure), polygon areas (shoelace), a two-wedge force-equilibrium solution, and a small
independent Spencer solver written here in the resultant form of Spencer (1967) — the net
interslice force Q of each slice, Σ Q = 0 and Σ moments = 0 about the origin — instead of
the code's slice-by-slice sweep of E and X about the moment axis.

References
----------
[HB] Hoek E., Bray J. W. (1981). Rock Slope Engineering, 3rd ed., ch. 7 "Plane failure"
    (tension crack in the upper slope surface); the same equations in Wyllie D. C., Mah C. W.
    (2004). Rock Slope Engineering, 4th ed., section 6.3.
[Spencer] Spencer E. (1967). A method of analysis of the stability of embankments assuming
    parallel inter-slice forces. Géotechnique 17(1), 11–26 (resultant Q of the interslice
    forces of each slice, force and moment equilibrium of the whole mass).
[Janbu] Janbu N. (1973). Slope stability computations. In Embankment-Dam Engineering,
    Casagrande volume, 47–86.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from numpy.testing import assert_allclose
from scipy import constants, integrate, optimize

from postmine.geotech.limit_equilibrium import (
    METHODS,
    Method,
    factors_of_safety,
    janbu_factor,
    spencer_factor,
)
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.slicing import Slices, slice_circle, slice_surface

GAMMA_W = constants.g  # γ_w = ρ_w g with ρ_w = 1000 kg/m³, in kN/m³ (scipy CODATA g)
ROOT_TOL = 1e-8  # equilibrium solved to 1e-11 (code) and 1e-12 (here): same F to 1e-8
AXIS_TOL = 1e-6  # Spencer / M-P satisfy moment equilibrium about any point (brief)

ACADS_1A_GROUND = [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)]
ACADS_SOIL = SoilLayer(3.0, 19.6, 20.0)  # Giam & Donald (1989) problem 1(a)

FloatArrays = npt.NDArray[np.float64]


def shoelace_area(vertices: npt.ArrayLike) -> float:
    """Area of a simple polygon, m² (Gauss's shoelace formula)."""
    v = np.asarray(vertices, dtype=float)
    x, y = v[:, 0], v[:, 1]
    return float(0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


# --------------------------------------------------------------------------------------
# Independent Spencer solver: resultant interslice force Q per slice (Spencer 1967)
# --------------------------------------------------------------------------------------


def spencer_resultants(s: Slices, k: int, f: float, theta: float) -> tuple[FloatArrays, ...]:
    """Q, total normal N and shear S per slice of surface k at (F, θ).

    Slice equilibrium with the net interslice force Q at angle θ to +x, the base normal N
    along (−sin α, cos α), the base shear S along (cos α, sin α), the vertical load W and
    the horizontal forces H = k_h W (+ the crack water thrust on the last slice) towards
    −x, with S = (c' l + (N − u l) tan φ')/F:

        Q = [F (W sin α + H cos α) − c' l − (W cos α − H sin α − u l) tan φ']
            / [F cos(α − θ) + sin(α − θ) tan φ']
        N = W cos α − H sin α + Q sin(α − θ),   S = W sin α + H cos α − Q cos(α − θ)
    """
    a = s.alpha[k]
    w = s.load[k]
    h = s.seismic_coefficient * s.weight[k]
    h = h.copy()
    h[-1] += s.thrust[k]
    cl = s.cohesion[k] * s.width[k] / np.cos(a)
    tp = s.tan_phi[k]
    ul = s.pore_force[k]
    num = f * (w * np.sin(a) + h * np.cos(a)) - cl - (w * np.cos(a) - h * np.sin(a) - ul) * tp
    q = num / (f * np.cos(a - theta) + np.sin(a - theta) * tp)
    normal = w * np.cos(a) - h * np.sin(a) + q * np.sin(a - theta)
    shear = w * np.sin(a) + h * np.cos(a) - q * np.cos(a - theta)
    return q, normal, shear


def spencer_independent(
    s: Slices, k: int = 0, guess: tuple[float, float] = (1.0, 0.2)
) -> tuple[float, float]:
    """(F, λ = tan θ) of surface k: Σ Q = 0 and Σ moments about the origin (0, 0) = 0.

    Moments (counter-clockwise) of the vertical loads at the slice mid-x, the seismic
    forces at slice mid-height, the crack water thrust at ``thrust_y`` and N, S at the
    base midpoint.
    """
    x, yb = s.x[k], s.base_y[k]
    ym = 0.5 * (s.base_y[k] + s.top_y[k])
    a = s.alpha[k]
    scale = float(np.sum(s.load[k]))
    length = float(s.exit_x[k] - s.entry_x[k])

    def residuals(v: FloatArrays) -> FloatArrays:
        f, theta = float(v[0]), float(v[1])
        q, normal, shear = spencer_resultants(s, k, f, theta)
        moment = (
            -np.sum(x * s.load[k])
            + np.sum(ym * s.seismic_coefficient * s.weight[k])
            + s.thrust[k] * s.thrust_y[k]
            + np.sum(x * (normal * np.cos(a) + shear * np.sin(a)))
            + np.sum(yb * (normal * np.sin(a) - shear * np.cos(a)))
        )
        return np.array([np.sum(q) / scale, moment / (scale * length)])

    sol = optimize.root(
        residuals, x0=[guess[0], np.arctan(guess[1])], method="hybr", options={"xtol": 1e-13}
    )
    assert sol.success, sol.message
    assert np.max(np.abs(sol.fun)) < 1e-11
    return float(sol.x[0]), float(np.tan(sol.x[1]))


# --------------------------------------------------------------------------------------
# Planar block: Hoek & Bray plane failure with a tension crack in the upper surface
# --------------------------------------------------------------------------------------

HB_HEIGHT = 20.0  # H [m]
HB_FACE = 50.0  # ψ_f [°]
HB_PLANE = 30.0  # ψ_p [°]
HB_SOIL = SoilLayer(cohesion=50.0, friction_angle=35.0, unit_weight=26.0, name="rock")
HB_CREST_X = HB_HEIGHT / np.tan(np.radians(HB_FACE))
HB_GROUND = [(-20.0, 0.0), (0.0, 0.0), (HB_CREST_X, HB_HEIGHT), (60.0, HB_HEIGHT)]
# plane from the toe (0, 0), drawn past the point where it daylights on the crest (34.6 m)
HB_PLANE_POINTS = [(0.0, 0.0), (45.0, 45.0 * np.tan(np.radians(HB_PLANE)))]


def hoek_bray(z: float, z_w: float, weight: float | None = None) -> float:
    """F of a planar block with a tension crack in the upper surface [HB].

    A = (H − z) cosec ψ_p, W = ½ γ H² [(1 − (z/H)²) cot ψ_p − cot ψ_f],
    U = ½ γ_w z_w (H − z) cosec ψ_p, V = ½ γ_w z_w²,
    F = [c A + (W cos ψ_p − U − V sin ψ_p) tan φ] / (W sin ψ_p + V cos ψ_p).
    """
    psi_p, psi_f = np.radians(HB_PLANE), np.radians(HB_FACE)
    h = HB_HEIGHT
    area = (h - z) / np.sin(psi_p)
    w = 0.5 * HB_SOIL.unit_weight * h**2 * ((1 - (z / h) ** 2) / np.tan(psi_p) - 1 / np.tan(psi_f))
    if weight is not None:
        w = weight
    u = 0.5 * GAMMA_W * z_w * (h - z) / np.sin(psi_p)
    v = 0.5 * GAMMA_W * z_w**2
    tan_phi = np.tan(np.radians(HB_SOIL.friction_angle))
    resisting = HB_SOIL.cohesion * area + (w * np.cos(psi_p) - u - v * np.sin(psi_p)) * tan_phi
    return float(resisting / (w * np.sin(psi_p) + v * np.cos(psi_p)))


def hoek_bray_section(z: float, z_w: float) -> Section:
    """The H&B slope; the uplift U of [HB] is a piezometric line from the toe to z_w above
    the bottom of the crack (pressure linear along the plane, zero at the toe)."""
    x_crack = (HB_HEIGHT - z) / np.tan(np.radians(HB_PLANE))
    piezo = [(0.0, 0.0), (x_crack, HB_HEIGHT - z + z_w)] if z_w > 0 else None
    return Section(
        HB_GROUND,
        [HB_SOIL],
        piezometric_line=piezo,
        tension_crack_depth=z,
        crack_water_depth=z_w,
    )


@pytest.mark.parametrize(
    ("z", "z_w", "methods"),
    [
        (0.0, 0.0, ("ordinary", "janbu", "spencer", "morgenstern_price")),
        (6.0, 0.0, ("ordinary", "janbu", "spencer", "morgenstern_price")),
        (6.0, 3.0, ("janbu", "spencer", "morgenstern_price")),
        (6.0, 6.0, ("janbu", "spencer", "morgenstern_price")),
    ],
)
def test_planar_block_hoek_bray(z: float, z_w: float, methods: tuple[Method, ...]) -> None:
    # Force equilibrium of a rigid block is exact for Janbu, Spencer and M-P on a plane (the
    # sum of the slices is the block); Ordinary too when there is no crack water (its N'
    # ignores V sin ψ). Bishop is not: its moment equation about an axis off the plane with
    # no interslice shear does not reduce to the block's equilibrium.
    n_slices = 50
    section = hoek_bray_section(z, z_w)
    s = slice_surface(section, HB_PLANE_POINTS, n_slices)
    found, _ = factors_of_safety(s, methods)
    expected = hoek_bray(z, z_w)
    # Tolerance: the only discretisation error is the midpoint rule on the one slice holding
    # the crest kink (slope change tan ψ_f): |ΔW| ≤ γ tan ψ_f b²/8; F is evaluated at W ± ΔW.
    x_crack = (HB_HEIGHT - z) / np.tan(np.radians(HB_PLANE))
    b = x_crack / n_slices
    w_exact = (
        0.5
        * HB_SOIL.unit_weight
        * HB_HEIGHT**2
        * (
            (1 - (z / HB_HEIGHT) ** 2) / np.tan(np.radians(HB_PLANE))
            - 1 / np.tan(np.radians(HB_FACE))
        )
    )
    dw = HB_SOIL.unit_weight * np.tan(np.radians(HB_FACE)) * b**2 / 8.0
    tol = max(abs(hoek_bray(z, z_w, w_exact + sgn * dw) - expected) for sgn in (-1, 1))
    assert abs(float(np.sum(s.weight)) - w_exact) <= dw
    for method in methods:
        assert_allclose(found[method][0], expected, rtol=0, atol=tol + ROOT_TOL, err_msg=method)


def test_planar_block_crack_position() -> None:
    # [HB]: the plane meets the bottom of a crack of depth z at height H − z, i.e. at
    # x = (H − z) cot ψ_p; depth below a flat crest is linear in x, so the code's linear
    # interpolation between samples is exact (tolerance: floating point, 1e-9 m).
    for z in (2.0, 6.0, 10.0):  # the plane is at most 10.3 m below the crest
        s = slice_surface(hoek_bray_section(z, 0.0), HB_PLANE_POINTS, 20)
        assert_allclose(s.exit_x[0], (HB_HEIGHT - z) / np.tan(np.radians(HB_PLANE)), atol=1e-9)
        assert_allclose(s.entry_x[0], 0.0, atol=1e-9)


# --------------------------------------------------------------------------------------
# A circle drawn as a dense polyline
# --------------------------------------------------------------------------------------

CIRCLE = (35.0, 50.0, 25.0)  # x_c, y_c, R [m]: cuts the ACADS 1(a) face and crest


def circle_polyline(n_vertices: int = 4001) -> tuple[npt.NDArray[np.float64], float, float]:
    """Vertices on the circle from 0.5 m before its entry to 0.5 m past its exit."""
    xc, yc, r = CIRCLE
    s = slice_circle(Section(ACADS_1A_GROUND, [ACADS_SOIL]), xc, yc, r, 10)
    xs = np.linspace(s.entry_x[0] - 0.5, s.exit_x[0] + 0.5, n_vertices)
    ys = yc - np.sqrt(r**2 - (xs - xc) ** 2)
    return np.column_stack([xs, ys]), float(s.entry_x[0]), float(s.exit_x[0])


@pytest.mark.parametrize("method", METHODS)
def test_dense_polyline_circle_equals_slice_circle(method: Method) -> None:
    section = Section(ACADS_1A_GROUND, [ACADS_SOIL])
    xc, yc, r = CIRCLE
    n_slices = 50
    points, x_in, x_out = circle_polyline()
    circ, _ = factors_of_safety(slice_circle(section, xc, yc, r, n_slices), (method,))
    poly, _ = factors_of_safety(slice_surface(section, points, n_slices, axis=(xc, yc)), (method,))
    # Tolerance: slice_surface takes each slice base as the chord across the slice, slice_circle
    # the tangent at mid-slice and the arc's mid elevation; they differ by O((b/R)²) relative
    # (sagitta b²/8R). The polyline's own chords (Δx = 0.014 m) add (Δx/R)² ≈ 3e-7.
    b = (x_out - x_in) / n_slices
    assert_allclose(poly[method][0], circ[method][0], rtol=(b / r) ** 2)


def test_polyline_axis_spencer_mp_independent_bishop_not() -> None:
    section = Section(ACADS_1A_GROUND, [ACADS_SOIL])
    points, _, _ = circle_polyline(401)
    xc, yc, _ = CIRCLE
    methods = METHODS
    a, _ = factors_of_safety(slice_surface(section, points, 40, axis=(xc, yc)), methods)
    b, _ = factors_of_safety(
        slice_surface(section, points, 40, axis=(xc + 10.0, yc + 5.0)), methods
    )
    c, _ = factors_of_safety(slice_surface(section, points, 40), methods)  # default axis
    for method in ("spencer", "morgenstern_price", "janbu"):  # Janbu: no moments at all
        assert_allclose(b[method], a[method], rtol=AXIS_TOL, err_msg=method)
        assert_allclose(c[method], a[method], rtol=AXIS_TOL, err_msg=method)
    # Bishop and Ordinary take moments about the axis without full equilibrium (SLOPE/W
    # theory manual): moving the axis by 11 m changes F by far more than 0.1 %.
    for method in ("bishop", "ordinary"):
        assert abs(b[method][0] / a[method][0] - 1.0) > 1e-3, method


# --------------------------------------------------------------------------------------
# Bilinear (two-wedge) surface
# --------------------------------------------------------------------------------------

# Entry on the toe flat at (26, 25), kink at (40, 22), exit on the crest flat at (60, 35);
# 68 slices of 0.5 m put the kink, the toe (30) and the crest (50) on slice boundaries, so
# every slice weight is exact and every slice lies in one wedge.
WEDGE_POINTS = [(26.0, 25.0), (40.0, 22.0), (60.0, 35.0)]
WEDGE_SLICES = 68
WEDGE_1 = [(26.0, 25.0), (30.0, 25.0), (40.0, 30.0), (40.0, 22.0)]
WEDGE_2 = [(40.0, 22.0), (40.0, 30.0), (50.0, 35.0), (60.0, 35.0)]


def two_wedge_force_factor(theta: float, seismic: float, ru: float) -> float:
    """F of two rigid wedges whose vertical interface carries a force inclined at θ.

    Each wedge j (weight W_j from its polygon area, base angle α_j, base length L_j,
    pore force U_j = r_u W_j / cos α_j) is in force equilibrium with the interface force
    ±Q_j; Q_1 + Q_2 = 0 with Q_j from the [Spencer] resultant formula of the whole wedge.
    """
    soil = ACADS_SOIL
    tan_phi = np.tan(np.radians(soil.friction_angle))
    wedges = []
    for poly, (p0, p1) in ((WEDGE_1, WEDGE_POINTS[:2]), (WEDGE_2, WEDGE_POINTS[1:])):
        w = soil.unit_weight * shoelace_area(poly)
        alpha = np.arctan2(p1[1] - p0[1], p1[0] - p0[0])
        length = float(np.hypot(p1[0] - p0[0], p1[1] - p0[1]))
        wedges.append((w, alpha, length, ru * w / np.cos(alpha)))

    def total(f: float) -> float:
        out = 0.0
        for w, a, length, u in wedges:
            h = seismic * w
            num = f * (w * np.sin(a) + h * np.cos(a)) - soil.cohesion * length
            num -= (w * np.cos(a) - h * np.sin(a) - u) * tan_phi
            out += num / (f * np.cos(a - theta) + np.sin(a - theta) * tan_phi)
        return out

    # bracket above F ≈ 0.21, where wedge 1's denominator F cos(α − θ) + sin(α − θ) tan φ'
    # changes sign (a pole of Q_1, not a root)
    return float(optimize.brentq(total, 0.5, 5.0, xtol=1e-14))


@pytest.mark.parametrize(("seismic", "ru"), [(0.0, 0.0), (0.1, 0.0), (0.0, 0.3)])
def test_bilinear_surface_two_wedges(seismic: float, ru: float) -> None:
    section = Section(
        ACADS_1A_GROUND, [ACADS_SOIL], seismic_coefficient=seismic, pore_pressure_ratio=ru
    )
    s = slice_surface(section, WEDGE_POINTS, WEDGE_SLICES)
    # geometry: the mass is the two polygons (shoelace), slices exact (kinks on boundaries)
    area = shoelace_area(WEDGE_1) + shoelace_area(WEDGE_2)
    assert_allclose(np.sum(s.weight), ACADS_SOIL.unit_weight * area, rtol=1e-12)
    f, lam = spencer_factor(s)
    # Force part of Spencer: the slices of each wedge add up to the rigid wedge, so Spencer's F
    # is the two-wedge force-equilibrium F at the interface inclination θ = atan λ.
    assert_allclose(f[0], two_wedge_force_factor(np.arctan(lam[0]), seismic, ru), rtol=ROOT_TOL)
    # Both equations: the independent resultant-form Spencer solver on the same slices.
    f_ind, lam_ind = spencer_independent(s)
    assert_allclose([f[0], lam[0]], [f_ind, lam_ind], rtol=ROOT_TOL, atol=ROOT_TOL)


def test_spencer_independent_on_curved_polyline_with_crack_water() -> None:
    # A concave polyline with seismic load, surcharge, a water-filled tension crack and a
    # piezometric line: every term of the moment equation is exercised.
    section = Section(
        ACADS_1A_GROUND,
        [ACADS_SOIL],
        piezometric_line=[(20.0, 25.0), (30.0, 25.0), (70.0, 29.0)],
        seismic_coefficient=0.05,
        surcharge=10.0,
        tension_crack_depth=2.0,
        crack_water_depth=1.5,
    )
    points = [(27.0, 25.0), (33.0, 23.0), (40.0, 23.2), (47.0, 26.0), (53.0, 30.0), (58.0, 36.0)]
    s = slice_surface(section, points, 60)
    f, lam = spencer_factor(s)
    f_ind, lam_ind = spencer_independent(s)
    assert_allclose([f[0], lam[0]], [f_ind, lam_ind], rtol=ROOT_TOL, atol=ROOT_TOL)


# --------------------------------------------------------------------------------------
# Tension crack
# --------------------------------------------------------------------------------------


def test_crack_shortens_mass_where_circle_is_zc_deep() -> None:
    xc, yc, r = CIRCLE
    z_c = 2.0
    plain = slice_circle(Section(ACADS_1A_GROUND, [ACADS_SOIL]), xc, yc, r, 40)
    cracked = slice_circle(
        Section(ACADS_1A_GROUND, [ACADS_SOIL], tension_crack_depth=z_c), xc, yc, r, 40
    )
    x_out = float(cracked.exit_x[0])
    assert x_out < float(plain.exit_x[0])
    assert_allclose(cracked.entry_x, plain.entry_x, atol=1e-12)

    def depth(x: float) -> float:
        gx, gy = np.array(ACADS_1A_GROUND).T
        return float(np.interp(x, gx, gy) - (yc - np.sqrt(r**2 - (x - xc) ** 2)))

    # Tolerance: linear interpolation between the code's 801 samples of a circle:
    # h² max|y''| / 8 with h the sample spacing and y'' = R² / (R² − (x − x_c)²)^{3/2}.
    h = (plain.exit_x[0] - plain.entry_x[0]) / 800.0
    curvature = r**2 / (r**2 - (plain.exit_x[0] - xc) ** 2) ** 1.5
    assert_allclose(depth(x_out), z_c, atol=h**2 * curvature / 8.0)
    # it is the crest-most point at that depth: shallower everywhere beyond it up to the
    # ground exit (checked on 200 points)
    beyond = np.linspace(x_out + 1e-6, plain.exit_x[0] - 1e-6, 200)
    assert max(depth(x) for x in beyond) < z_c + h**2 * curvature / 8.0
    # the mass is the polygon up to the crack: weight against the area by quadrature
    area, _ = integrate.quad(depth, float(cracked.entry_x[0]), x_out, points=[50.0], limit=200)
    # Tolerance: midpoint rule on the arc, Σ b³ y''/24 = b² Δ(tan α)/24 over the mass, plus
    # the slice holding the crest kink (ground slope change 0.5): 0.5 b²/8.
    x_in = float(cracked.entry_x[0])
    b = (x_out - x_in) / 40

    def tan_alpha(x: float) -> float:
        return float((x - xc) / np.sqrt(r**2 - (x - xc) ** 2))

    bound = b**2 * (tan_alpha(x_out) - tan_alpha(x_in)) / 24.0 + 0.5 * b**2 / 8.0
    assert_allclose(np.sum(cracked.weight), ACADS_SOIL.unit_weight * area, rtol=bound / area)


@pytest.mark.parametrize("z_w", [0.5, 1.0, 2.0])
def test_crack_water_adds_thrust_to_janbu(z_w: float) -> None:
    xc, yc, r = CIRCLE
    dry = Section(ACADS_1A_GROUND, [ACADS_SOIL], tension_crack_depth=2.0)
    wet = Section(ACADS_1A_GROUND, [ACADS_SOIL], tension_crack_depth=2.0, crack_water_depth=z_w)
    s_dry = slice_circle(dry, xc, yc, r, 40)
    s_wet = slice_circle(wet, xc, yc, r, 40)
    thrust = 0.5 * GAMMA_W * z_w**2  # P_w = γ_w z_w² / 2 [HB]
    assert_allclose(s_wet.driving_force() - s_dry.driving_force(), thrust, rtol=1e-12)
    # P_w acts z_w/3 above the bottom of the crack, where the circle is at exit_x
    crack_bottom = yc - np.sqrt(r**2 - (s_wet.exit_x - xc) ** 2)
    assert_allclose(s_wet.thrust_y - crack_bottom, z_w / 3.0, atol=1e-9)

    # Janbu (1973), uncorrected, with the thrust in the denominator, solved here by brentq.
    s = s_wet
    tan_a = np.tan(s.alpha[0])
    strength = (
        s.cohesion[0] * s.width[0]
        + (s.load[0] - s.pore_force[0] * np.cos(s.alpha[0])) * s.tan_phi[0]
    )

    def janbu(f: float) -> float:
        m_alpha = np.cos(s.alpha[0]) + np.sin(s.alpha[0]) * s.tan_phi[0] / f
        resisting = np.sum(strength / (m_alpha * np.cos(s.alpha[0])))
        return float(resisting / (np.sum(s.load[0] * tan_a) + thrust) - f)

    expected = optimize.brentq(janbu, 0.2, 5.0, xtol=1e-14)
    assert_allclose(janbu_factor(s_wet)[0], expected, rtol=ROOT_TOL)
    assert janbu_factor(s_wet)[0] < janbu_factor(s_dry)[0]


def test_crack_refused_when_surface_never_reaches_its_depth() -> None:
    # a shallow plane: at most 1.25 m below the ACADS 1(a) face, crack 3 m
    section = Section(ACADS_1A_GROUND, [ACADS_SOIL], tension_crack_depth=3.0)
    with pytest.raises(ValueError, match=r"tension_crack_depth = 3\.0 m"):
        slice_surface(section, [(28.0, 25.0), (55.0, 35.0)], 20)
    loose = slice_surface(section, [(28.0, 25.0), (55.0, 35.0)], 20, strict=False)
    assert not loose.valid[0]


# --------------------------------------------------------------------------------------
# Bad inputs
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "match"),
    [
        ([(30.0, 25.0), (40.0, 20.0), (35.0, 30.0)], "points x coordinates must increase"),
        ([(30.0, 25.0), (30.0, 20.0), (60.0, 35.0)], "points x coordinates must increase"),
        ([(20.0, 40.0), (70.0, 45.0)], "does not cut the ground"),
        # dips under the toe, rises 2 m above the ground at x = 30, dips again: two masses
        (
            [(22.0, 25.0), (26.0, 23.0), (30.0, 27.0), (40.0, 25.0), (60.0, 35.0)],
            "one sliding mass",
        ),
        ([(10.0, 25.0), (40.0, 22.0), (60.0, 35.0)], "outside the section"),
        ([(26.0, 25.0), (40.0, 22.0), (80.0, 40.0)], "outside the section"),
        ([(26.0, 25.0), (np.nan, 22.0), (60.0, 35.0)], "finite"),
        ([26.0, 25.0], r"points must be \(m, 2\)"),
    ],
)
def test_bad_surface(points: object, match: str) -> None:
    section = Section(ACADS_1A_GROUND, [ACADS_SOIL])
    with pytest.raises(ValueError, match=match):
        slice_surface(section, points, 20)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tension_crack_depth": 10.0}, r"tension_crack_depth must be in \[0, 10.0\) m.*got 10.0"),
        ({"tension_crack_depth": 12.5}, r"tension_crack_depth must be in \[0, 10.0\) m.*got 12.5"),
        ({"tension_crack_depth": -1.0}, "tension_crack_depth must be in"),
        (
            {"tension_crack_depth": 2.0, "crack_water_depth": 3.0},
            r"crack_water_depth must be in \[0, tension_crack_depth = 2.0\] m, got 3.0",
        ),
        ({"crack_water_depth": 0.5}, "crack_water_depth must be in"),
    ],
)
def test_bad_crack(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Section(ACADS_1A_GROUND, [ACADS_SOIL], **kwargs)
