"""The real settings plus a no-op view, so the benchmark compares Confide with the same server doing nothing."""

from config.settings import *  # noqa: F403

if PRODUCTION:  # noqa: F405
    raise RuntimeError("bench.web.settings adds benchmark-only views: never run it with CONFIDE_ENV=production")

ROOT_URLCONF = "bench.web.urls"
