"""Static site generator for published reform-progress bulletins (通报)."""

__version__ = "0.1.0"
