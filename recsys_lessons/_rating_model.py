"""What every rating model shares: a checked ``predict``, RMSE and MAE.

Used by the ALS, residual-ALS, bias and SVD models.
"""

import numpy as np

from ._validation import (
    check_clip,
    check_finite_result,
    check_index_pairs,
    check_ratings,
)


class RatingModel:
    """Adds ``predict``, ``rmse`` and ``mae`` to a model.

    The model has a ``shape`` (m, n) and ``_predict(rows, cols)``, which
    computes its predictions for index arrays already checked against that
    shape; its class docstring says what it predicts.
    """

    def predict(self, rows, cols, clip=None):
        """Predicted ratings for the index pairs ``(rows[t], cols[t])``.

        Parameters
        ----------
        rows : 1-D array of int, each in [0, m)
            No negative index wraps around; floats are refused.
        cols : 1-D array of int, each in [0, n), as long as ``rows``
        clip : (low, high), optional
            Finite bounds with low < high; predictions are clipped to
            them (e.g. to the rating scale).

        Returns
        -------
        ndarray, shape (len(rows),)
        """
        clip = check_clip(clip)
        rows, cols = check_index_pairs(rows, cols, self.shape)
        pred = self._predict(rows, cols)
        return pred if clip is None else np.clip(pred, *clip)

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
