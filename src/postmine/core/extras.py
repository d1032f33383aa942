"""Optional dependencies, imported where needed through one helper that names the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "require"]

#: Module -> the extra of postmine that installs it.
EXTRAS = {
    "psycopg": "postgres",
    "fastapi": "server",
    "uvicorn": "server",
    "httpx": "server",
    "geopandas": "geo",
    "pyogrio": "geo",
    "rasterio": "geo",
}


def require(module: str) -> ModuleType:
    """Import ``module`` or raise ImportError saying which extra of postmine installs it.

    Raises
    ------
    ImportError
        If the module is not installed; the message names ``pip install 'postmine[extra]'``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = EXTRAS.get(module.split(".")[0], "dev")
        raise ImportError(
            f"{module} is needed for this feature: pip install 'postmine[{extra}]'"
        ) from exc
