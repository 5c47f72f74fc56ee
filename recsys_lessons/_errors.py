"""RMSE and MAE over observed ratings.

Shared by every model that predicts ratings.
"""

import numpy as np

from ._validation import check_ratings


class RatingErrors:
    """Adds ``rmse`` and ``mae`` to a model.

    The model must have ``shape`` and ``predict(rows, cols, clip)``.
    """

    def _errors(self, R, clip):
        M = check_ratings(R)
        if M.shape != self.shape:
            raise ValueError(
                f"R must have shape {self.shape}, got {M.shape}"
            )
        rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
        return M.data - self.predict(rows, M.indices, clip)

    def rmse(self, R, clip=None):
        """RMSE over the observed entries of ``R``.

        ``clip=(low, high)`` clips predictions first.
        """
        err = self._errors(R, clip)
        return float(np.sqrt(np.mean(err * err)))

    def mae(self, R, clip=None):
        """MAE over the observed entries of ``R``.

        ``clip=(low, high)`` clips predictions first.
        """
        return float(np.mean(np.abs(self._errors(R, clip))))
