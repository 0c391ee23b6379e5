"""The settings' former import path, kept for code and scripts that use it: see `runtime.settings`."""

from runtime.settings import ENV_FILE_VARIABLE, Settings, env_file, get_settings

__all__ = ["ENV_FILE_VARIABLE", "Settings", "env_file", "get_settings"]
