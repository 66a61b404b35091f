/** The bundled executable's entry (cli/build.ts): what bin.cjs does in a checkout, without tsx. */
import { main } from './main';

// Lambda's SDK notice about Node 22 is noise in a CLI's output on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

main(process.argv.slice(2)).then(exit, (e: unknown) => {
  process.stderr.write(`scimlink: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  exit(1);
});

/** Exit once stdout and stderr are flushed (process.exit right after a write can truncate piped output). */
function exit(code: number) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
