"""numcheck: find the numbers in news copy and flag the ones that cannot all be true."""

__version__ = "0.1.0"
