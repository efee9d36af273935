"""epe_nas: per-class Jacobian correlation spread (Lopes et al., 2021; suite ``epe_nas``)."""
import numpy as np

from ..registry import register

K = 1e-5


def per_class_score(jac: np.ndarray, labels: np.ndarray, num_outputs: int) -> float:
    """For each class c present, s_c = sum log(|corr(J_c)| + k) over the correlation matrix of that
    class's Jacobian rows. With at most 100 outputs the score is sum_c |s_c|; with more, s_c is divided
    by the class's sample count and the score is sum_{c, c'} |s_c - s_c'| / (classes present)."""
    scores = []
    for c in np.unique(labels):
        rows = jac[labels == c]
        with np.errstate(divide="ignore", invalid="ignore"):          # constant rows: NaN, zeroed below
            corr = np.atleast_2d(np.corrcoef(rows)) if len(rows) > 1 else np.ones((1, 1))
        s_c = np.sum(np.log(np.abs(np.nan_to_num(corr, nan=0.0)) + K))
        scores.append(s_c / len(corr) if num_outputs > 100 else s_c)
    s = np.asarray(scores)
    if num_outputs <= 100:
        return float(np.abs(s).sum())
    return float(np.abs(s[:, None] - s[None, :]).sum() / len(s))


@register("epe_nas", needs={"data", "labels", "input_grad"}, suite=True)
def epe_nas(ctx) -> float:
    """:func:`per_class_score` of the input Jacobians d sum(f(x)) / d x_i grouped by label."""
    p = ctx.forward()
    jac = p.input_jacobian.flatten(1).double().cpu().numpy()
    return per_class_score(jac, ctx.batch(0)[1].cpu().numpy(), p.output.shape[1])
