"""Docket 3.1: Harrow & Vale LLP's case docket (court dates, filings, exhibits).

Secrets live in /srv/docket/conf/docket.ini (root:docket 640); deploy-time
overrides in settings_local.py (written by the release job, owned by docket).
"""
import configparser

_ini = configparser.ConfigParser()
_ini.read("/srv/docket/conf/docket.ini")

BASE_DIR = "/srv/docket/app"
SECRET_KEY = _ini.get("django", "secret_key", fallback="dev-only")
# left on since the migration to the new host ("the 500 page helps the clerks report bugs")
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "docket.harrowvale.lab"]

INSTALLED_APPS = ["docket"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "docket.urls"
WSGI_APPLICATION = "docket.wsgi.application"
TEMPLATES = []
DATABASES = {}
USE_TZ = True
TIME_ZONE = "Europe/London"

DATA_FILE = "/srv/docket/data/cases.json"
MEDIA_ROOT = "/srv/docket/media"
CACHE_DIR = "/var/lib/docket/cache"
EFILING_TOKEN = _ini.get("efiling", "token", fallback="")
SMTP_PASSWORD = _ini.get("mail", "password", fallback="")
CLERKS_MAIL = "clerks@harrowvale.lab"
REMINDER_DAYS = 2

try:
    from .settings_local import *  # noqa: F401,F403
except ImportError:
    pass
