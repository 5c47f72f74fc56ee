"""recsys_lessons: the helper package of the interactive textbook on
matrix factorization and learning to rank.

Each module holds what one or two chapters define:

=================  =======================================================
``data``           toy matrix, synthetic genre model, splits, MovieLens
``mf``             the MF objective (plain / weighted lambda), RMSE, MAE
``als``            Alternating Least Squares and the lesson's loop code
``implicit_als``   implicit-feedback ALS (Hu, Koren & Volinsky 2008)
``svd``            user-mean-centered truncated SVD
``baselines``      global mean, bias model (Chapters 3 and 7)
``bpr``            Bayesian Personalized Ranking
``sampling``       negatives for implicit feedback (Chapters 4-5)
``lambdarank``     RankNet / LambdaRank gradients and training
``metrics``        DCG, NDCG, AP, MAP, precision, recall, hit rate, AUC
``ranking``        top-k lists from scores
``exercises``      auto-checked exercises: inputs and checkers
``plots``          the book's figures
``figures``        a figure's text alternative and data, shown with it
``widgets``        the book's sliders (live, in Jupyter)
``explorers``      figures with controls that need no kernel
``tryit``          each chapter's Try it figure, defined once
``progress``       progress bars for long loops (silent in builds)
=================  =======================================================

Private modules (``_validation``, ``_rating_model``, ``_extras``) hold the
shared argument checks, the rating models' common methods and the optional
imports. ``tests/test_contracts.py`` checks that the table names every
public module.
"""

__version__ = "0.1.0"
