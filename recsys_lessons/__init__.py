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
``sampling``       negatives and candidate lists for implicit feedback
``evaluation``     held-out AUC and NDCG of a factor model (Chapters 4-5)
``lambdarank``     RankNet / LambdaRank gradients and training
``metrics``        DCG, NDCG, AP, MAP, precision, recall, hit rate, AUC
``ranking``        top-k lists from scores
``exercises``      auto-checked exercises: inputs and checkers
``plots``          the book's figures
``figures``        a figure's text alternative and data, shown with it
``prose``          numbers recorded for the prose ({glue:text} roles)
``widgets``        the book's sliders (live, in Jupyter)
``explorers``      figures with controls that need no kernel
``tryit``          each chapter's Try it figure, defined once
``progress``       progress bars for long loops (silent in builds)
=================  =======================================================

Private modules hold what the public ones share: ``_validation`` the
argument checks, ``_rating_model`` the rating models' ``predict``/``rmse``,
``_ranking_model`` the ranking models' ``scores``/``recommend``,
``_deprecation`` the old names kept for one release,
``_numbered_figure`` the captioned, numbered figure both book plugins
make, ``_extras`` the optional imports. ``tests/test_contracts.py``
checks that the table names every public module.
"""

__version__ = "0.2.0"
