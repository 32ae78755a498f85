from django.core.management.base import BaseCommand

from awards.pdf import warm_font_cache


class Command(BaseCommand):
    help = "Build the cached CJK base fonts for PDFs once, so the first document renders fast."

    def handle(self, *args, **options):
        warm_font_cache()
        self.stdout.write("ok")
