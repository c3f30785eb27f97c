/* libcarrier.so.1: the carrier's label and manifest library (a lab stand-in
 * of a parcel carrier's SDK): labels as ZPL, the day's manifest as a list. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <dirent.h>

static char account[64] = "unset";

const char *lp_version(void) { return "labelpress 2.4.1 (libcarrier 1.9)"; }

int lp_init(const char *conf)
{
    char line[256];
    FILE *f = fopen(conf, "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "account = %63s", account) == 1) break;
    fclose(f);
    return 0;
}

int lp_label(const char *order, const char *out)
{
    FILE *f = fopen(out, "w");
    if (!f) return -1;
    fprintf(f, "^XA^CF0,40^FO40,40^FDAccount %s^FS^FO40,100^FDOrder %s^FS^BY3^FO40,160^BCN,120,Y,N,N^FD%s%s^FS^XZ\n",
            account, order, account, order);
    fclose(f);
    return 0;
}

int lp_manifest(const char *labels, const char *out)
{
    DIR *d = opendir(labels);
    struct dirent *e;
    int n = 0;
    FILE *f;
    time_t t = time(NULL);
    if (!d) return -1;
    f = fopen(out, "w");
    if (!f) { closedir(d); return -1; }
    fprintf(f, "# manifest account %s %s", account, ctime(&t));
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".zpl")) { fprintf(f, "%s\n", e->d_name); n++; }
    closedir(d);
    fclose(f);
    return n;
}
