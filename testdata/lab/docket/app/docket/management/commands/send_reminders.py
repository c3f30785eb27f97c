"""manage.py send_reminders: mail the clerks about the hearings of the
next REMINDER_DAYS days (root's cron, every minute)."""
import datetime
import json
import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "mail the clerks about upcoming hearings"

    def handle(self, *args, **opts):
        with open(settings.DATA_FILE) as f:
            cases = json.load(f)
        now = datetime.datetime.utcnow()
        due = [c for c in cases if c.get("remind")]
        for c in due[:1]:
            msg = "To: %s\nSubject: Hearing reminder: %s\n\n%s (%s) is heard %s.\n" % (
                settings.CLERKS_MAIL, c["no"], c["title"], c["court"], c["hearing"])
            subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg, text=True)
        self.stdout.write("%s reminders: %d due within %d days" % (now.strftime("%H:%M:%S"), len(due), settings.REMINDER_DAYS))
