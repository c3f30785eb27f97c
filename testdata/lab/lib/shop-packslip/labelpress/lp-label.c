/* lp-label --order N --out FILE: one carrier label (the shop's packing desk) */
#include <stdio.h>
#include <string.h>
const char *lp_version(void); int lp_init(const char *); int lp_label(const char *, const char *);
int main(int argc, char **argv)
{
    const char *order = NULL, *out = NULL;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--order")) order = argv[++i];
        else if (!strcmp(argv[i], "--out")) out = argv[++i];
    }
    if (!order || !out) { fprintf(stderr, "usage: lp-label --order N --out FILE\n"); return 2; }
    if (lp_init("/etc/labelpress/carrier.conf") != 0) { fprintf(stderr, "no carrier.conf\n"); return 1; }
    return lp_label(order, out) == 0 ? 0 : 1;
}
