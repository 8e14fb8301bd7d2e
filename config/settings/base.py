"""Settings shared by every profile. Everything an operator may change comes from the environment."""

from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY", "local-only-insecure-key-change-me-for-any-real-use")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "huey.contrib.djhuey",
    "community",
    "events",
    "messaging",
]

MIDDLEWARE = [
    "config.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "community.middleware.PolicyGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "community.middleware.DomainErrorPageMiddleware",
    "community.middleware.NullCharacterMiddleware",
]

# Security headers in every profile (config/security.py adds the CSP and the Permissions-Policy; Django the rest).
# Nothing loads from anywhere else: no trackers, fonts or scripts from other sites. 'self' covers the chat socket
# (ws:/wss: on the same host).
HN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HN_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    # Health checks: the pool tests each connection before handing it out (a cheap round trip), so connections a
    # PostgreSQL restart killed are dropped and replaced instead of failing the next requests (config/unavailable.py
    # answers 503 while the database is away; tests/reliability/test_faults_postgres.py).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            # how long a request waits for a connection before it is answered 503
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "here-and-now.sqlite3",
            # Keep each thread's connection open: opening a SQLite connection (and registering its functions) costs
            # more than most queries, and the socket's database work would otherwise pay it on every call.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 600),
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the busy
            # timeout instead of failing with "database is locked" half-way through a transaction.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer, background jobs ---------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
# Frames a channel may hold before it counts as fallen behind (each process's fan-out, messaging/fanout.py, has one
# channel for all the broadcasts its sockets want; on Redis the count is per process).
CHANNEL_CAPACITY = env_int("HN_CHANNEL_CAPACITY", 1000)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache with one connection pool per process, not one per socket or request (config/cache.py)
            "BACKEND": "config.cache.SharedPoolRedisCache",
            "LOCATION": REDIS_URL,
            # Two sites sharing one Redis database keep their cache and rate limits apart (HUEY_NAME does the same
            # for the job queue).
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", ""),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Like CACHE_KEY_PREFIX: two sites on one Redis database never hear each other's rooms.
            "CONFIG": {
                "hosts": [REDIS_URL],
                "capacity": CHANNEL_CAPACITY,
                "prefix": env_str("CHANNEL_LAYER_PREFIX", "asgi"),
            },
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("HUEY_NAME", "here-and-now"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
        "connection": {"url": REDIS_URL},
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Our in-memory layer: O(recipients) per broadcast, and a full queue is reported (the process's sockets close
    # with 4408 and catch up) rather than messages being dropped silently; see messaging/layers.py and fanout.py.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "messaging.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY},
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "here-and-now",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "community.User"
# Refuses suspended accounts (password sign-in and existing sessions): community/auth_backends.py.
AUTHENTICATION_BACKENDS = ["community.auth_backends.AccountBackend"]
LOGIN_URL = "community:login"
LOGIN_REDIRECT_URL = "community:home"
LOGOUT_REDIRECT_URL = "community:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Data exports (docs/privacy.md): a private folder, never served as media; only their owner downloads them.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("HN_EXPORT_ROOT", str(VAR_DIR / "exports")), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Here and Now <hello@here-and-now.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A notification email still queued this long after it was made had its job lost (a consumer killed mid-job): the
# sweep (community.tasks.resend_lost_notification_emails, every 10 minutes and at consumer start) sends it, once.
HN_EMAIL_RESEND_AFTER_MINUTES = env_int("HN_EMAIL_RESEND_AFTER_MINUTES", 5)

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so an anonymous API call is answered 401 with `WWW-Authenticate: Token`.
        "community.auth_backends.AccountTokenAuthentication",  # DRF's, refusing suspended accounts
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "community.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "community.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "community.api.errors.exception_handler",
    # JSON only: DRF's browsable pages rely on inline scripts that the site's Content-Security-Policy ('self') refuses.
    # /api/docs/ is the browsable reference (Swagger UI, its script served as a file, no inline code).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Here and Now API",
    "DESCRIPTION": 'The REST API of Here and Now. Errors always have the body {"code", "detail"}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets share the field name "category": name each one.
    "ENUM_NAME_OVERRIDES": {
        "EventCategoryEnum": "events.models.EventCategory",
        "CrisisCategoryEnum": "community.models_safety.CrisisCategory",
    },
}

# --- Product settings -----------------------------------------------------------------------
HN_INVITATION_DEFAULT_DAYS = env_int("HN_INVITATION_DEFAULT_DAYS", 14)
HN_AVATAR_MAX_BYTES = env_int("HN_AVATAR_MAX_BYTES", 5 * 1024 * 1024)
HN_AVATAR_MAX_PIXELS = env_int("HN_AVATAR_MAX_PIXELS", 40_000_000)
HN_AVATAR_SIZE = env_int("HN_AVATAR_SIZE", 512)
HN_LOGIN_ATTEMPTS_PER_15_MIN = env_int("HN_LOGIN_ATTEMPTS_PER_15_MIN", 10)
HN_CODE_ATTEMPTS_PER_15_MIN = env_int("HN_CODE_ATTEMPTS_PER_15_MIN", 20)

# Wellbeing (docs/metrics.md): individual SWEMWBS metric change treated as meaningful (Shah et al. 2018: 1-3 points;
# 3 is the conservative choice), and the fewest days between two gentle check-in invitations.
HN_SWEMWBS_MEANINGFUL_CHANGE = env_int("HN_SWEMWBS_MEANINGFUL_CHANGE", 3)
HN_CHECKIN_INVITE_DAYS = env_int("HN_CHECKIN_INVITE_DAYS", 28)
# Disclosure control (shared/reference/README.md): counts below this are shown as "c" outside the personal view, and
# means need this many people. Never below 5 (community.metrics.disclosure raises a lower value to 5).
HN_DISCLOSURE_THRESHOLD = env_int("HN_DISCLOSURE_THRESHOLD", 10)

# Events
HN_CHECK_IN_OPENS_MINUTES_BEFORE = env_int("HN_CHECK_IN_OPENS_MINUTES_BEFORE", 60)
HN_ATTENDANCE_EDIT_DAYS = env_int("HN_ATTENDANCE_EDIT_DAYS", 7)
HN_EVENT_CHANGE_NOTICE_MINUTES = env_int("HN_EVENT_CHANGE_NOTICE_MINUTES", 10)

# Chat
HN_EVENT_ROOM_OPENS_HOURS = env_int("HN_EVENT_ROOM_OPENS_HOURS", 48)
HN_MESSAGE_EDIT_MINUTES = env_int("HN_MESSAGE_EDIT_MINUTES", 15)
# Moderation (docs/moderation.md): pre-moderation of new members, reports that hide a message, escalation deadlines.
HN_NEW_MEMBER_HELD_MESSAGES = env_int("HN_NEW_MEMBER_HELD_MESSAGES", 3)
HN_NEW_MEMBER_LINK_DAYS = env_int("HN_NEW_MEMBER_LINK_DAYS", 30)
HN_REPORTS_TO_HIDE = env_int("HN_REPORTS_TO_HIDE", 3)
HN_REPORT_DEADLINE_HOURS = env_int("HN_REPORT_DEADLINE_HOURS", 24)
HN_SAFEGUARDING_DEADLINE_MINUTES = env_int("HN_SAFEGUARDING_DEADLINE_MINUTES", 60)
# The page where a moderator handles a safeguarding concern (the moderation queue's). A safeguarding alert links
# there; community names it here because it doesn't import messaging.
HN_SAFEGUARDING_CONCERN_PAGE = "messaging:moderation-concern"
HN_CHAT_BURST_MESSAGES = env_int("HN_CHAT_BURST_MESSAGES", 5)
HN_CHAT_BURST_SECONDS = env_int("HN_CHAT_BURST_SECONDS", 5)
HN_CHAT_MESSAGES_PER_MINUTE = env_int("HN_CHAT_MESSAGES_PER_MINUTE", 30)
HN_CHAT_REACTIONS_PER_MINUTE = env_int("HN_CHAT_REACTIONS_PER_MINUTE", 60)
HN_CHAT_IMAGE_MAX_BYTES = env_int("HN_CHAT_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
HN_CHAT_IMAGE_MAX_PIXELS = env_int("HN_CHAT_IMAGE_MAX_PIXELS", 40_000_000)
HN_CHAT_IMAGE_SIZE = env_int("HN_CHAT_IMAGE_SIZE", 1024)
HN_SOCKET_FRAMES_BURST = env_int("HN_SOCKET_FRAMES_BURST", 30)
HN_SOCKET_FRAMES_PER_SECOND = env_int("HN_SOCKET_FRAMES_PER_SECOND", 10)
HN_SOCKET_RATE_LIMIT_STRIKES = env_int("HN_SOCKET_RATE_LIMIT_STRIKES", 5)
# Database work for socket frames runs in a pool of threads (PostgreSQL), or one thread (SQLite: one writer at a time).
HN_SOCKET_DATABASE_IN_PARALLEL = env_bool(
    "HN_SOCKET_DATABASE_IN_PARALLEL", DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Privacy and data rights (docs/privacy.md). The apps that hold personal data, in the order erasure and retention
# walk them (messaging, then events, then community: later apps' rows point at earlier ones). Each has a
# `data_rights` package: `sections.py` (what we keep, for the export and the "what we keep" page), `erase.py` and
# `retention.py`. community never imports the others; it finds them here.
HN_DATA_RIGHTS_APPS = ["messaging", "events", "community"]
# How long a data export can be downloaded.
HN_EXPORT_LINK_DAYS = env_int("HN_EXPORT_LINK_DAYS", 7)
# Retention, in days (operator-configurable; a periodic job enforces them and logs each run).
HN_RETENTION_CHAT_DAYS = env_int("HN_RETENTION_CHAT_DAYS", 365)
HN_RETENTION_REVIEWED_CONTENT_DAYS = env_int("HN_RETENTION_REVIEWED_CONTENT_DAYS", 30)
HN_RETENTION_INVITATION_DAYS = env_int("HN_RETENTION_INVITATION_DAYS", 30)
HN_RETENTION_NOTIFICATION_DAYS = env_int("HN_RETENTION_NOTIFICATION_DAYS", 90)
# Safeguarding and moderation records, and the link from an erased account to them: 6 years after they close.
HN_RETENTION_SAFEGUARDING_DAYS = env_int("HN_RETENTION_SAFEGUARDING_DAYS", 6 * 365)

# Functions that add each app's demo data after community's people and groups (see `manage.py seed_demo`).
HN_DEMO_SEEDERS = ["events.demo.seed_demo_events"]

# The address people use to reach the site; used in emails.
HN_SITE_URL = env_str("HN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
