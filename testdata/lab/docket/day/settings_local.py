# deploy-time overrides (release 3.1.4, written by the release job)
# 3.1.4: the session store (the clerks' court filter), the static pipeline
# (collectstatic into the tree Apache serves), the published cause list
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "docket.harrowvale.lab"]
REMINDER_DAYS = 2
CLERKS_MAIL = "clerks@harrowvale.lab"

INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.staticfiles", "docket"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/docket/data/docket.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SESSION_COOKIE_AGE = 120
STATIC_URL = "/static/"
STATIC_ROOT = "/srv/docket/static"
STATICFILES_DIRS = ["/srv/docket/app/assets"]
CAUSELIST_DIR = "/srv/docket/static/causelist"
EXPORT_DIR = "/var/lib/docket/exports"
