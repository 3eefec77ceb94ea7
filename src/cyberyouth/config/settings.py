"""Settings. Everything deployment-specific comes from the environment (see README)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# var/ holds the SQLite database, uploads and generated documents.
VAR_DIR = Path(os.environ.get("CYBERYOUTH_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
# The key that signs sessions, the public form's tokens and keys the hash of reporters' addresses.
# From the environment, else from the data folder (`make run` and `cyberyouth demo` write a random
# one there once: `cyberyouth secret-key`); without either, DEBUG off, the system does not start.
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"Chưa đặt SECRET_KEY (khóa bí mật), hệ thống không khởi động. Đặt biến môi trường SECRET_KEY bằng "
            f"một chuỗi ngẫu nhiên dài (python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), hoặc chạy "
            f"`cyberyouth secret-key` một lần để lưu một khóa ngẫu nhiên vào {SECRET_KEY_FILE}.")
    SECRET_KEY = "dev-only-insecure-key-DEBUG-is-on"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
CSRF_FAILURE_VIEW = "cyberyouth.web.views.csrf_failure"  # a Vietnamese page, not Django's English one

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # so that /api/docs serves Swagger UI from ninja's own static files, not from a CDN
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "cyberyouth.audit",
    "cyberyouth.background",
    "cyberyouth.orgs",
    "cyberyouth.plans",
    "cyberyouth.channels",
    "cyberyouth.students",
    "cyberyouth.training",  # before indicators: the demo's yearly reports read its records
    "cyberyouth.indicators",
    "cyberyouth.monitoring",
    "cyberyouth.reports",
    "cyberyouth.notifications",
    "cyberyouth.workdays",
    "cyberyouth.helpline",
    "cyberyouth.campaigns",
    "cyberyouth.dialogues",
    "cyberyouth.library",
    "cyberyouth.budget",
    "cyberyouth.teams",  # after students, training, campaigns: its members and posts are theirs
    "cyberyouth.contests",
    "cyberyouth.surveys",
    "cyberyouth.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cyberyouth.web.middleware.SecureCookiesMiddleware",  # before the cookie setters: runs after them
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cyberyouth.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cyberyouth.web.accounts.ForcePasswordChangeMiddleware",
    "cyberyouth.web.middleware.InputBoundaryMiddleware",  # NUL and other control characters: refused
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cyberyouth.web.middleware.DomainErrorMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cyberyouth.config.urls"
WSGI_APPLICATION = "cyberyouth.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cyberyouth.web.context.navigation",
                "cyberyouth.notifications.context.bell",
            ],
        },
    },
]

# Database: SQLite (WAL) under var/ by default; PostgreSQL through DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'cyberyouth.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker write while the web process reads; IMMEDIATE avoids
        # "database is locked" upgrades inside write transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
if os.environ.get("CYBERYOUTH_TEST_DB_NAME"):  # parallel test runs on one PostgreSQL server
    DATABASES["default"]["TEST"] = {"NAME": os.environ["CYBERYOUTH_TEST_DB_NAME"]}
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default, today: a typed address without a scheme is https
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: 5 failures from one address, or for one user name, lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
# Counted per address (by the proxy rule, TRUSTED_PROXIES) and per user name: a password spray
# from one address and a guessing run at one account are both stopped, and a throttled attempt is
# refused before any password is hashed (AxesStandaloneBackend comes first).
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "cyberyouth.lib.client.client_address"
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions expire after 8 hours of work and when the browser closes.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE or int(os.environ.get("TRUSTED_PROXIES", "0")) > 0:
    # Behind our TLS proxy, which sets X-Forwarded-Proto (and redirects http → https): a request
    # that came over HTTPS is known as such, and web.middleware.SecureCookiesMiddleware marks
    # every cookie Secure on it even when SECURE_COOKIES is not set.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SESSION_COOKIE_SECURE:
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = _env_bool("HSTS_PRELOAD", False)
# How many reverse proxies (nginx, a load balancer) stand in front of the application. 0: the
# client's address is the connection's; N: the address the outermost of our N proxies saw, read from
# X-Forwarded-For, which each of them must append to (nginx: proxy_add_x_forwarded_for).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# Content-Security-Policy (django-csp): scripts only from our own origin — no inline script, no
# eval, no CDN; styles allow inline (pages carry small style blocks); nothing may frame the site.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs"],  # the API explorer brings its own scripts
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = ["security.W008"]  # the proxy redirects to https, not Django

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The UI font (DejaVu Sans, full Vietnamese coverage) comes from matplotlib's package data:
# served from our own origin, never from a CDN, and not copied into the repository.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("fonts", Path(__import__("matplotlib").get_data_path()) / "fonts" / "ttf"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# The authority's Ed25519 key that signs evidence packages (private, 0600) and every public key it
# has used (see docs/operations.md). Keep it out of backups that leave the authority.
SIGNING_KEY_DIR = Path(os.environ.get("SIGNING_KEY_DIR", VAR_DIR / "keys"))
MEDIA_URL = "media/"

# E-mail (report reminders). With EMAIL_HOST set, SMTP; without, each message is written as
# a file under var/mail/, so a site with no mail server still keeps what would have gone out.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chuong-trinh-311@localhost")
# The address people open the site at (links in e-mails sent by commands; pages use the request's).
SITE_URL = os.environ.get("SITE_URL", "")

# How long a public report's name and contact are kept (days); then they are cleared.
REPORTER_CONTACT_DAYS = int(os.environ.get("REPORTER_CONTACT_DAYS", "365"))
# Days a closed helpline case keeps its words and the child's details (then de-identified).
HELPLINE_KEEP_DAYS = int(os.environ.get("HELPLINE_KEEP_DAYS", "365"))
# Students: named data is de-identified this many days after a student left; indicator 4 counts a
# school as teaching safe use when every class had at least this many lessons in the school year.
STUDENT_RETENTION_DAYS = int(os.environ.get("STUDENT_RETENTION_DAYS", "365"))
STUDENTS_SAFETY_LESSONS_PER_CLASS = int(os.environ.get("STUDENTS_SAFETY_LESSONS_PER_CLASS", "1"))

# Evidence uploads: what a focal point may attach to a progress report.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
EVIDENCE_ALLOWED_TYPES = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png")  # content checked: cyberyouth.uploads
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker beats every few seconds; a task whose worker is silent this long is put back in the
# queue, and after TASK_MAX_ATTEMPTS claims marked failed with a message (cyberyouth.background).
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "60"))
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
