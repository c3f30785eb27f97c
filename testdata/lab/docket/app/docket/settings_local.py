# deploy-time overrides (release 3.1.4, written by the release job)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "docket.harrowvale.lab"]
REMINDER_DAYS = 2
CLERKS_MAIL = "clerks@harrowvale.lab"
