"""sendplan: a local area's SEND improvement plan kept as code."""

__version__ = "0.1.0"
