"""sepsislab: the models, bedside formulas and figure helpers of the septic shock course."""

__version__ = "0.1.0"
