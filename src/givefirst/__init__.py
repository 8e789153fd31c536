"""givefirst: a give-first networking companion."""

__version__ = "0.1.0"
