"""manage.py publish_causelist: the cause list as static pages (cron.d, as docket)."""
from django.core.management.base import BaseCommand

from docket.views_day import write_causelist


class Command(BaseCommand):
    help = "publish the cause list under /static/causelist/"

    def handle(self, *args, **opts):
        self.stdout.write("published %d hearings" % write_causelist())
