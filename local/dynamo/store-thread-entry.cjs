// The store thread's entry point (local/dynamo/threaded.ts): plain CommonJS, so that it loads the same under
// `npm start` (tsx) and under jest, which transforms only the modules it loads itself, not a worker's.
require('tsx/cjs/api').register();
require('./store-thread.ts');
