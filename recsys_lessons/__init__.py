"""recsys_lessons: the helper package of the interactive textbook on
matrix factorization and learning to rank.

Each module holds what one or two chapters define:

=================  =======================================================
``data``           toy matrix, synthetic genre model, splits, MovieLens
``mf``             the MF objective (plain / weighted lambda), RMSE, MAE
``als``            Alternating Least Squares and the lesson's loop code
``implicit_als``   implicit-feedback ALS (Hu, Koren & Volinsky 2008)
``svd``            user-mean-centered truncated SVD
``bpr``            Bayesian Personalized Ranking
``lambdarank``     RankNet / LambdaRank gradients and training
``metrics``        DCG, NDCG, AP, MAP, precision, recall, hit rate, AUC
``ranking``        top-k lists from scores
``plots``          the book's figures
``widgets``        the book's sliders
=================  =======================================================
"""

__version__ = "0.1.0"
