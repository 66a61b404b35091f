/**
 * The CLI's I/O, injected so tests run the whole program in-process. Its own module: main.ts, the check and
 * verify all take it, and none of them needs to import another for it.
 */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}
