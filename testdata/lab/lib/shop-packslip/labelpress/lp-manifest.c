/* lp-manifest --sync | --status: the day's manifest of printed labels,
 * rewritten every minute by root's cron for the carrier's pick-up scanner */
#include <stdio.h>
#include <string.h>
#include <time.h>
const char *lp_version(void); int lp_init(const char *); int lp_manifest(const char *, const char *);
int main(int argc, char **argv)
{
    char out[128];
    time_t t = time(NULL);
    strftime(out, sizeof out, "/var/lib/labelpress/manifest-%Y%m%d.txt", gmtime(&t));
    if (argc > 1 && !strcmp(argv[1], "--status")) { printf("%s, manifest %s\n", lp_version(), out); return 0; }
    if (lp_init("/etc/labelpress/carrier.conf") != 0) { fprintf(stderr, "no carrier.conf\n"); return 1; }
    int n = lp_manifest("/var/www/html/labels", out);
    if (n < 0) { fprintf(stderr, "manifest failed\n"); return 1; }
    printf("%s: %d labels\n", out, n);
    return 0;
}
