"""Generative learning with IQP circuits: IQPopt's `iqpopt.gen_qml` names."""
from .loss import mmd_loss_iqp, mmd_loss_iqp_value_and_grad
from .utils import median_heuristic, sigma_heuristic

__all__ = ["mmd_loss_iqp", "mmd_loss_iqp_value_and_grad", "median_heuristic", "sigma_heuristic"]
