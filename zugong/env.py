"""Typed settings helpers: read environment variables and fail loudly on bad values."""

from __future__ import annotations

import os


class ConfigError(RuntimeError):
    """Raised when an environment variable holds a value the system cannot use."""


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable ``name``; raise ConfigError when unset and no default is given."""
    value = os.environ.get(name, default)
    if value is None:
        raise ConfigError(f"环境变量 {name} 未设置 (environment variable {name} is required)")
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return ``name`` read as a boolean (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    low = raw.strip().lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"环境变量 {name}={raw!r} 不是布尔值 (expected true/false)")


def env_list(name: str, default: list[str]) -> list[str]:
    """Return ``name`` split on commas, blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]
