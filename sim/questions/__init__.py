"""Dated yes/no questions over a run's outputs (rounds.csv rows and events): the file format and its checks,
the predicates, the two baselines, and the scores over replications (docs/cases/README.md)."""

from sim.questions.load import LoadedQuestions, load_questions
from sim.questions.score import Scores, score

__all__ = ["LoadedQuestions", "Scores", "load_questions", "score"]
