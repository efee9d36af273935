"""Importing this package registers every proxy (one module each)."""
from . import (az_expressivity, az_progressivity, az_trainability, epe_nas, fisher, flops, grad_norm, grasp,  # noqa: F401
               jacov, l2_norm, length_distortion, linear_regions, meco, ntk_cond, ntk_trace, nwot, params, plain,
               snip, swap, synflow, zen, zico)
