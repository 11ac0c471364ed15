"""Settings for the visits browser: one module, driven by environment variables.

Local development needs no configuration at all (SQLite, DEBUG on). Production
sets DJANGO_DEBUG=0 and must then provide DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS, or start-up fails loudly.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    """Return the environment variable `name` read as a boolean."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    """Return the comma-separated environment variable `name` as a list."""
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "visits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.QueryStringLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections in production (runserver ignores them), checked
        # before reuse so a restarted PostgreSQL costs no failed request.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL compiles a query whose estimated cost passes jit_above_cost, and for
    # the exports' per-row subqueries that took 0.8 s of a 1.2 s query over the 7,500 real visits (EXPLAIN
    # ANALYZE, "JIT: ... Total 804 ms"); the pages' queries are short and never gain from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Facet and summary counts and detail pages' lists are cached, keyed by the
# data's version token (visits.caching), so a write invalidates them everywhere.
# By default each process keeps its own; DJANGO_CACHE_URL=redis://host:6379/0
# shares them, so the first request after a write computes them once for all
# workers instead of once in each.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"DJANGO_CACHE_URL must be a redis://, rediss:// or unix:// URL, not {CACHE_URL!r}.")
CACHES = {
    "default": (
        {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "visits",
            # A Redis that does not answer within a second is treated as down.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses logins from locked-out users and addresses.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin login throttling: 5 failures for one username from one address lock
# that pair out for 15 minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind a proxy every request comes from the proxy's address, and the client's is in X-Forwarded-For:
# django-ipware reads it there, only when the deployment says a proxy sets it (a client can send any
# X-Forwarded-For it likes when nothing in front strips it). DJANGO_PROXY_COUNT proxies in front: the
# first writes the client's address, each later one adds the one before it, and the last is REMOTE_ADDR,
# so the header holds the client and PROXY_COUNT - 1 proxies. ipware's strict check then refuses a header
# with entries a client prepended: such a request counts as coming from the proxy, never from an
# address the client chose.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1")) - 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Security headers. SecurityMiddleware also sends X-Content-Type-Options:
# nosniff, Referrer-Policy: same-origin and Cross-Origin-Opener-Policy:
# same-origin by default.
X_FRAME_OPTIONS = "DENY"
# A load balancer's health check speaks plain HTTP to the app: answer it, never redirect it to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A strict Content-Security-Policy: our pages have no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

if not DEBUG:
    # Production runs behind a TLS-terminating proxy (see README, "Deploying").
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# What one annotated article may hold (visits.loading.limits): hostile or broken files are refused
# with the limit named, instead of exhausting memory or the database. Raise one with its variable.
LOADER_LIMITS = {
    "text_bytes": int(os.environ.get("LOADER_MAX_TEXT_BYTES", str(2 * 1024 * 1024))),
    "yaml_bytes": int(os.environ.get("LOADER_MAX_YAML_BYTES", str(2 * 1024 * 1024))),
    "yaml_nodes": int(os.environ.get("LOADER_MAX_YAML_NODES", "100000")),
    "yaml_depth": int(os.environ.get("LOADER_MAX_YAML_DEPTH", "40")),
    "statements": int(os.environ.get("LOADER_MAX_STATEMENTS", "2000")),
    "meetings": int(os.environ.get("LOADER_MAX_MEETINGS", "500")),
    "mentions": int(os.environ.get("LOADER_MAX_MENTIONS", "20000")),
}

# Who is who in the imported records (visits.identity): applied by every import_hsg.
# Where the New article page writes each reviewed article's NAME.txt and NAME.yaml (the files stay the source).
ANNOTATIONS_DIR = Path(os.environ.get("ANNOTATIONS_DIR", BASE_DIR / "annotations"))
IDENTITY_JUDGEMENTS = Path(os.environ.get("IDENTITY_JUDGEMENTS", BASE_DIR / "fixtures" / "identity_judgements.yaml"))

# Query strings: Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters (answered 400 by
# visits.middleware); a list filter takes at most this many values of one parameter.
MAX_VALUES_PER_FILTER = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# States that no longer exist, for the Office of the Historian's records, and common English names
# where django-countries' differ (visits/hsg/countries.py explains both; a test keeps them equal).
# ISO 3166-3 former codes where ISO never reused them, else user-assigned X* codes.
COUNTRIES_OVERRIDE = {
    "SU": "Soviet Union",
    "YU": "Yugoslavia",
    "DD": "German Democratic Republic",
    "AN": "Netherlands Antilles",
    "XC": "Czechoslovakia",
    "XS": "Serbia and Montenegro",
    "XH": "Hawaii (Kingdom and Republic)",
    "XK": "Kosovo",
    "RH": "Rhodesia",
    "NR": "Nauru",
    "BS": "Bahamas",
    "US": "United States",
    "FK": "Falkland Islands",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
}

# On PostgreSQL the visit list's counts, totals and pages come from bitmaps of visit ids held by each
# process (visits.bitmaps); DJANGO_VISIT_BITMAPS=0 answers them with SQL, as on SQLite.
VISIT_BITMAPS = env_bool("DJANGO_VISIT_BITMAPS", True)
