"""Jianghua (讲话): official Chinese speeches as structured, searchable data."""

__version__ = "0.1.0"
