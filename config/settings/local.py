"""Local development: safe defaults, nothing needs configuring."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
