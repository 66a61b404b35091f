#!/usr/bin/env node
// `scimlink` executable (package.json "bin"): runs the TypeScript CLI through tsx, no build step, like npm start.
'use strict';
// Dev machines run Node 20; the AWS SDK's "Node 22 required soon" notice would pollute every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
const { main } = require('./main.ts');

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (e) => {
    process.stderr.write(`scimlink: internal error: ${e && e.message ? e.message : String(e)}\n`);
    exit(1);
  },
);

// Exit only once stdout and stderr are flushed: process.exit() right after a write can truncate piped output,
// and waiting for the event loop to drain could linger on idle keep-alive sockets.
function exit(code) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
