"""The real settings plus a no-op view, so the benchmark compares Confide with the same server doing nothing."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web.urls"
