"""Loading YAML data files with errors that name the file and the field."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
KB_DIR = REPO_ROOT / "kb"


class DataError(ValueError):
    """A data file is missing, unreadable or breaks its schema."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        super().__init__(f"{path}: {field}: {problem}")
        self.path = str(path)
        self.field = field
        self.problem = problem


def load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise DataError(path, "(file)", "not found") from None
    except yaml.YAMLError as error:
        raise DataError(path, "(file)", f"not valid YAML: {error}") from None


def require(mapping: Any, key: str, kind: type | tuple[type, ...], path: Path | str, where: str) -> Any:
    """mapping[key], checked to be of `kind`; `where` is the dotted path used in the error."""
    field = f"{where}.{key}" if where else key
    if not isinstance(mapping, dict):
        raise DataError(path, where or "(top)", "must be a mapping")
    if key not in mapping:
        raise DataError(path, field, "is missing")
    value = mapping[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DataError(path, field, f"must be {expected}, got {type(value).__name__}")
    return value
