"""jacov: Jacobian covariance (Mellor et al., 2020, v1; NAS-Bench-Suite-Zero ``jacov``)."""
import numpy as np

from ..registry import register

K = 1e-5


def jacobian_score(jac: np.ndarray) -> float:
    """-sum_i (log(l_i + k) + 1 / (l_i + k)), l = eigenvalues of the correlation matrix of the rows."""
    with np.errstate(divide="ignore", invalid="ignore"):     # constant rows: NaN, reported as a failure
        corr = np.corrcoef(jac)
    eig = np.linalg.eigvalsh(corr)
    return float(-np.sum(np.log(eig + K) + 1.0 / (eig + K)))


@register("jacov", needs={"data", "input_grad"}, suite=True)
def jacov(ctx) -> float:
    """Score of the per-sample input Jacobians J_i = d sum(f(x)) / d x_i (see :func:`jacobian_score`)."""
    jac = ctx.forward().input_jacobian
    return jacobian_score(jac.flatten(1).double().cpu().numpy())
