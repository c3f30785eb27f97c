/* LAB STUB (scenario-kb-sqlconsole). lib/kb-sqlconsole-setup.sh compiles
 * this with cc before a capture (the binary is never committed) and installs
 * it in /usr/local/sbin under the names iptables, nft, setenforce and
 * aa-teardown, ahead of /usr/sbin on root's PATH (sudo's secure_path); it
 * removes them after. Why a stub: the real iptables -F / nft flush ruleset
 * would flush this shared machine's firewall, and SELinux/AppArmor are not
 * present. A binary, not a #! script, so the exec looks like the real
 * tool's (argv[0] = the tool's name, no interpreter in front). It only
 * appends its argv to /var/log/lab-stubs.log and exits 0. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    FILE *f = fopen("/var/log/lab-stubs.log", "a");
    if (f) {
        time_t t = time(NULL);
        char ts[32];
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
        fprintf(f, "%s uid=%d LAB STUB", ts, (int)getuid());
        for (int i = 0; i < argc; i++) fprintf(f, " %s", argv[i]);
        fputc('\n', f);
        fclose(f);
    }
    return 0;
}
