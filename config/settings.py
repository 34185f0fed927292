"""Confide's one settings file, read from the environment (see docs/configuration.md).

SQLite is the default database so that a single-clinician practice or a demo runs with no server to manage; a
group practice runs on PostgreSQL by setting DATABASE_URL (and VAULT_DATABASE_URL for the vault's own database).
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

import dj_database_url

from confide.lib.dates import STYLES as DATE_STYLES
from confide.lib.env import ConfigurationError, env
from confide.lib.private_files import make_sqlite_private, write_once

BASE_DIR = Path(__file__).resolve().parent.parent

CONFIDE_ENV = env.str("CONFIDE_ENV", "development")
if CONFIDE_ENV not in {"development", "production"}:
    raise ConfigurationError(f"CONFIDE_ENV must be development or production, not {CONFIDE_ENV!r}")
PRODUCTION = CONFIDE_ENV == "production"
DEBUG = env.bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ConfigurationError("DEBUG must be off in production: error pages would show clinical data")

DATA_DIR = Path(env.str("CONFIDE_DATA_DIR", str(BASE_DIR / "var")))


def _dev_secret(name: str) -> str:
    """Development only: a random secret kept in the data directory (mode 0600), made on first use.

    Never committed (.gitignore), so every checkout has its own session and audit keys.
    """
    path = DATA_DIR / f"{name}.dev-secret"
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_once(path, secrets.token_urlsafe(48))
    return path.read_text().strip()


def _required_secret(name: str) -> str:
    value = env.secret(name)
    if value:
        if PRODUCTION and (len(value) < 32 or "insecure" in value or "change" in value.lower()):
            raise ConfigurationError(f"{name} is too short or a placeholder; use at least 32 random characters")
        return value
    if PRODUCTION:
        raise ConfigurationError(f"{name} (or {name}_FILE) must be set in production")
    return _dev_secret(name.lower())


def _bounded(name: str, default: int, *, low: int, high: int) -> int:
    """An integer setting that guards sign-in; production refuses values no practice means (0 minutes of idleness,
    a token that outlives a staff change by a year)."""
    value = env.int(name, default)
    if PRODUCTION and not low <= value <= high:
        raise ConfigurationError(f"{name} must be between {low} and {high} in production, not {value}")
    return value


SECRET_KEY = _required_secret("SECRET_KEY")
# The audit chain's HMAC key lives outside the database, so a database writer cannot forge the chain.
AUDIT_HMAC_KEY = _required_secret("AUDIT_HMAC_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must name the host(s) Confide is served on")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "confide.audit",
    "confide.people",
    "confide.clients",
    "confide.sessions",
    "confide.plans",
    "confide.notes",
    "confide.vault",
    "confide.drafts",
    "confide.disclosures",
    "confide.amendments",
    "confide.measures",
    "confide.summaries",
    "confide.web",
    "confide.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "confide.access.routes.DeclaredVerbMiddleware",
    "confide.web.guards.DomainErrorMiddleware",
    "confide.people.middleware.IdleSignOutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "confide.web.context.confide",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'confide.sqlite3'}"), conn_max_age=60, conn_health_checks=True
    ),
    # The vault's own database: psychotherapy notes are kept apart from the chart (45 CFR 164.501).
    "vault": dj_database_url.parse(
        env.str("VAULT_DATABASE_URL", f"sqlite:///{DATA_DIR / 'vault.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    ),
}
# Connections persist for a minute on both engines: opening one costs about a millisecond of CPU (SQLite runs the
# pragmas below and Django registers its SQL functions on every new connection), as much as a whole no-op request.
for _db in DATABASES.values():
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        _db.setdefault("OPTIONS", {})
        # synchronous=FULL: WAL with NORMAL may lose the last acknowledged commits on power loss (docs/operations.md).
        _db["OPTIONS"].update(
            {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"}
        )
        make_sqlite_private(str(_db["NAME"]))  # SQLite itself would create it readable by every account
# An optional PostgreSQL streaming replica of the main database, read only by the reads that opt in and may lag
# (confide/lib/replica.py, docs/operations.md "A streaming replica"). Tests point it at the test database (MIRROR).
REPLICA_DATABASE_URL = env.str("REPLICA_DATABASE_URL", "")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(REPLICA_DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    if DATABASES["default"]["ENGINE"] != DATABASES["replica"]["ENGINE"] or "postgresql" not in str(
        DATABASES["replica"]["ENGINE"]
    ):
        raise ConfigurationError("REPLICA_DATABASE_URL is a PostgreSQL streaming replica of a PostgreSQL DATABASE_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# The replica's router first: it answers only for opted-in reads, and leaves the rest to the vault's router.
DATABASE_ROUTERS = ["confide.lib.replica.ReplicaRouter", "confide.vault.router.VaultRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "web:sign_in"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True
# One date style for every page and form (confide/lib/dates.py): us (12/04/2026, 3:05 PM), day_first, iso.
DATE_STYLE = env.str("DATE_STYLE", "us")
if DATE_STYLE not in DATE_STYLES:
    raise ConfigurationError(f"DATE_STYLE must be one of {', '.join(DATE_STYLES)}, not {DATE_STYLE!r}")
FORMAT_MODULE_PATH = ["confide.web.formats"]  # Django's named formats answer from DATE_STYLE

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when serving from the apps
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production (collected by `confide serve`); plain files in development and tests.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Tests and `runserver` serve straight from the apps; `confide serve` collects static files first.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = False

# --- Sign-in and sessions -------------------------------------------------------------------------------------------
# Idle sign-out after 15 minutes: clinic workstations are shared and charts are left open between clients.
IDLE_TIMEOUT_MINUTES = _bounded("IDLE_TIMEOUT_MINUTES", 15, low=1, high=60)
# The page warns this long before idle sign-out and offers "Stay signed in" (confide/web/static/web/js/confide.js).
IDLE_WARNING_SECONDS = env.int("IDLE_WARNING_SECONDS", 60)
SESSION_COOKIE_AGE = 12 * 60 * 60  # a working day at most, even when active
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
API_TOKEN_TTL_HOURS = _bounded("API_TOKEN_TTL_HOURS", 8, low=1, high=24)
# Five failures per username + address, then a 15-minute cool-off: slows guessing without letting anyone lock a
# colleague out for good (never IP-only, which punishes a whole clinic behind one NAT). Past the same threshold a
# username (from any address) and an address (for any username, at four times the threshold) slow down: each
# further failure doubles the wait, capped at LOCKOUT_MINUTES (confide/people/throttle.py).
LOCKOUT_THRESHOLD = _bounded("LOCKOUT_THRESHOLD", 5, low=3, high=20)
LOCKOUT_MINUTES = _bounded("LOCKOUT_MINUTES", 15, low=1, high=24 * 60)
# The reverse proxies in front of Confide (addresses or networks). Only a request whose peer is one of them has its
# client address read from X-Forwarded-For (confide/lib/http.py); empty means the peer is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ConfigurationError(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network") from _error
# New accounts by invitation only: an administrator cannot set someone's first password (and so cannot sign in as
# them). Production requires it unless turned off on purpose.
REQUIRE_INVITATIONS = env.bool("REQUIRE_INVITATIONS", default=PRODUCTION)
INVITATION_HOURS = env.int("INVITATION_HOURS", 72)
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", ["admin", "clinician", "biller", "front_desk"])
# A misspelt role would silently spare that role its second factor (confide.people.models.Role has the names).
_unknown_roles = set(MFA_REQUIRED_ROLES) - {"admin", "clinician", "biller", "front_desk"}
if _unknown_roles:
    raise ConfigurationError(f"MFA_REQUIRED_ROLES names no such role: {', '.join(sorted(_unknown_roles))}")
# No second factor for anyone is for a benchmark or a closed lab; production asks for it in so many words.
ALLOW_NO_MFA = env.bool("ALLOW_NO_MFA", default=False)
if PRODUCTION and not MFA_REQUIRED_ROLES and not ALLOW_NO_MFA:
    raise ConfigurationError("MFA_REQUIRED_ROLES is empty: no one would need a second factor. Set ALLOW_NO_MFA=true")
# Demo mode relaxes MFA for the seeded practice and says so on every page. Never in production.
DEMO_MODE = env.bool("CONFIDE_DEMO", default=False)
if PRODUCTION and DEMO_MODE:
    raise ConfigurationError("CONFIDE_DEMO cannot be on in production")
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", "Confide")

# --- Clinical policy --------------------------------------------------------------------------------------------------
# Notes signed more than 72 hours after the session are late entries: the common payer/practice expectation.
NOTE_LATE_ENTRY_HOURS = env.int("NOTE_LATE_ENTRY_HOURS", 72)
BREAK_GLASS_MINUTES = env.int("BREAK_GLASS_MINUTES", 240)
# Clinicians (usernames) a psychotherapy note may be granted to for supervised training, besides the author's own
# supervisor (docs/vault.md, "Grants").
VAULT_TRAINING_SUPERVISORS = env.list("VAULT_TRAINING_SUPERVISORS", [])
PRACTICE_NAME = env.str("PRACTICE_NAME", "Confide Practice")
# A clinician's .ics calendar feed names no client unless the practice turns this on: calendar apps sync to phones
# and cloud accounts outside the practice's control (docs/calendar.md).
CALENDAR_FEED_CLIENT_NAMES = env.bool("CALENDAR_FEED_CLIENT_NAMES", default=False)
# One draft from a transcript reads at most this many words of speech, for at most this long (confide/drafting/
# limits.py): a two-hour session is about 20,000 words; past either bound the answer is 422, not a stuck worker.
DRAFT_MAX_WORDS = env.int("DRAFT_MAX_WORDS", 30_000)
DRAFT_MAX_SECONDS = env.int("DRAFT_MAX_SECONDS", 15)
# Release of information (docs/disclosures.md). A client's records request is answered within 30 days, once extended
# by 30 (164.524(b)(2)); the accounting reaches back 6 years (164.528(a)). States may require less time.
ACCESS_REQUEST_DAYS = env.int("ACCESS_REQUEST_DAYS", 30)
ACCESS_REQUEST_EXTENSION_DAYS = env.int("ACCESS_REQUEST_EXTENSION_DAYS", 30)
ACCOUNTING_YEARS = env.int("ACCOUNTING_YEARS", 6)
# A request to amend a note is acted on within 60 days of receipt, once extended by 30 (164.526(b)(2)).
AMENDMENT_DAYS = env.int("AMENDMENT_DAYS", 60)
AMENDMENT_EXTENSION_DAYS = env.int("AMENDMENT_EXTENSION_DAYS", 30)
# A one-time link for a client to answer a measure (PHQ-9, GAD-7, PCL-5) works this long, and once.
MEASURE_LINK_HOURS = env.int("MEASURE_LINK_HOURS", 48)
# A periodic progress summary is due this many days after the month or quarter it covers ends.
SUMMARY_DUE_DAYS = env.int("SUMMARY_DUE_DAYS", 14)
# The scanned signed authorization form: a PDF or an image up to this size.
AUTHORIZATION_DOCUMENT_MAX_BYTES = env.int("AUTHORIZATION_DOCUMENT_MAX_BYTES", 10_000_000)

# --- The vault (docs/vault.md) -------------------------------------------------------------------------------------
# Argon2id cost for password-wrapped vault keys; the parameters are stored with each wrapped key, so this can change.
VAULT_KDF_PROFILE = env.str("VAULT_KDF_PROFILE", "interactive")
if PRODUCTION and VAULT_KDF_PROFILE == "test":
    raise ConfigurationError("VAULT_KDF_PROFILE=test is for the test suite only")
# Only the public half of the practice recovery key is on the server; `confide vault init` writes it here.
VAULT_RECOVERY_PUBLIC_KEY_FILE = env.str("VAULT_RECOVERY_PUBLIC_KEY_FILE", str(DATA_DIR / "vault-recovery.pub"))
# Retention, the APA default where state law sets none: 7 years after last service for adults, 3 years after
# majority for minors, whichever is later. State law may be stricter: these are policy, not code.
VAULT_RETENTION_ADULT_YEARS = env.int("VAULT_RETENTION_ADULT_YEARS", 7)
VAULT_RETENTION_MINOR_YEARS = env.int("VAULT_RETENTION_MINOR_YEARS", 3)
AGE_OF_MAJORITY = env.int("AGE_OF_MAJORITY", 18)
# The official record's retention (confide/ops/retention.py, docs/operations.md): the APA's guideline where state law
# sets none, 7 years after last service for adults; for minors 3 years after majority, but never less than 7 years.
RETENTION_ADULT_YEARS = env.int("RETENTION_ADULT_YEARS", 7)
RETENTION_MINOR_YEARS_AFTER_MAJORITY = env.int("RETENTION_MINOR_YEARS_AFTER_MAJORITY", 3)

# --- Audit (docs/audit.md) --------------------------------------------------------------------------------------------
# The newest entry's (seq, MAC) is also written here, outside the database, so cutting off the tail is detected.
# Belongs off the data volume in production: an anchor beside the database is deleted with its tail (docs/audit.md).
AUDIT_ANCHOR_FILE = env.str("AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit-anchor.json"))

# --- Security headers -------------------------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=PRODUCTION) else None
)
SECURE_HSTS_SECONDS = 63072000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION

# --- Logging: never session content. Request bodies are not logged; errors are logged without locals. -----------------
LOG_LEVEL = env.str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's request logger would repeat request paths with query strings; keep it at warnings.
        "django.request": {"level": "ERROR"},
    },
}
