"""Slope geometry of dumps and backfilled voids at the unloading edge.

References
----------
[003] Abaza mine, technical reclamation of disturbed land, project documentation vol. 3
      book 1 (2022), section 4.2 "Технологический транспорт".
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from postmine.core.checks import angle, positive

__all__ = ["slide_prism_width"]

FloatLike = float | npt.NDArray[np.float64]


def slide_prism_width(
    repose_angle: FloatLike, stability_angle: FloatLike, tier_height: FloatLike
) -> FloatLike:
    r"""Width of the slide (collapse) prism at the crest of a dump tier.

    The nearer support point of a truck unloading at the crest must stay outside the prism
    of rock that may slide once the dumped waste settles. Its width is the horizontal
    distance between the slope at the angle of repose of settled waste and the slope at the
    angle of temporary stability, at the full tier height.

    Parameters
    ----------
    repose_angle : float or ndarray
        α, angle of repose of the waste after settlement. [°]
    stability_angle : float or ndarray
        β, angle of temporary stability of the slope, accounting for the slide prism;
        must not be smaller than ``repose_angle``. [°]
    tier_height : float or ndarray
        H, maximum height of the tier. [m]

    Returns
    -------
    float or ndarray
        П, width of the slide prism. [m]

    Raises
    ------
    ValueError
        If an angle is outside (0°, 90°), ``tier_height`` is not positive, or
        ``stability_angle < repose_angle`` (the prism would have negative width).

    Notes
    -----
    Section 4.2 of [003]:

    .. math:: П = (\operatorname{ctg} α - \operatorname{ctg} β) H

    The source prints ``(ctg 36°50′ − ctg 37°20′) = 1,3 м``, dropping the factor H = 55 m
    from the arithmetic line although the result includes it: 0.02400 × 55 = 1.32 m.

    References
    ----------
    [003] section 4.2, "Ширина призмы обрушения".

    Examples
    --------
    >>> round(float(slide_prism_width(36 + 50 / 60, 37 + 20 / 60, 55.0)), 2)
    1.32
    """
    angle("repose_angle", repose_angle)
    angle("stability_angle", stability_angle)
    positive("tier_height", tier_height, "m")
    alpha = np.radians(repose_angle)
    beta = np.radians(stability_angle)
    if np.any(np.asarray(beta) < np.asarray(alpha)):
        raise ValueError(
            "stability_angle must be >= repose_angle "
            f"(got {np.asarray(stability_angle)} < {np.asarray(repose_angle)} °)"
        )
    width: FloatLike = (1.0 / np.tan(alpha) - 1.0 / np.tan(beta)) * np.asarray(tier_height)
    return width
