"""The version of nevcalc, in a module of its own so that any module can read it
without importing the package's other modules (``pyproject.toml`` holds the same
string; a test asserts that they agree)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
