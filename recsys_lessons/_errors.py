"""RMSE and MAE over observed ratings.

Shared by every model that predicts ratings.
"""

import numpy as np

from ._validation import check_clip, check_finite_result, check_ratings


class RatingErrors:
    """Adds ``rmse`` and ``mae`` to a model.

    The model must have ``shape`` and ``predict(rows, cols, clip)``.
    """

    def _errors(self, R, clip):
        M = check_ratings(R)
        clip = check_clip(clip)
        if M.shape != self.shape:
            raise ValueError(
                f"R must have shape {self.shape}, got {M.shape}"
            )
        rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
        return M.data - self.predict(rows, M.indices, clip)

    def rmse(self, R, clip=None):
        """RMSE over the observed entries of ``R``.

        Parameters
        ----------
        R : array or sparse matrix of the model's shape; 0 = unobserved
            Finite real ratings, at least one observed.
        clip : (low, high), optional
            Finite bounds with low < high; predictions are clipped to
            them first.

        Returns
        -------
        float
            Finite; a ``ValueError`` naming R if the squared errors
            overflow float64.
        """
        err = self._errors(R, clip)
        with np.errstate(over="ignore", invalid="ignore"):
            value = float(np.sqrt(np.mean(err * err)))
        return check_finite_result(value, "the RMSE", "the values of R")

    def mae(self, R, clip=None):
        """MAE over the observed entries of ``R``.

        Parameters
        ----------
        R : array or sparse matrix of the model's shape; 0 = unobserved
            Finite real ratings, at least one observed.
        clip : (low, high), optional
            Finite bounds with low < high; predictions are clipped to
            them first.

        Returns
        -------
        float
        """
        err = self._errors(R, clip)
        with np.errstate(over="ignore", invalid="ignore"):
            value = float(np.mean(np.abs(err)))
        return check_finite_result(value, "the MAE", "the values of R")
