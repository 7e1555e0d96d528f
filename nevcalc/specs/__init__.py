"""Spec files: schema, loading and validation, and the frozen spec objects."""

from nevcalc.specs.model import Provenance, Spec, Table
from nevcalc.specs.schema import FIELDS, KINDS, PROVENANCE_KINDS, Field

__all__ = ["FIELDS", "KINDS", "PROVENANCE_KINDS", "Field", "Provenance", "Spec", "Table"]
