#!/usr/bin/env node
// `scimlink` in a checkout (package.json "bin", `npx scimlink`): runs the TypeScript CLI through tsx, no build
// step. The installable tool is the esbuild bundle of the same entry (npm run pack:cli, cli/build.ts).
'use strict';
require('tsx/cjs/api').register();
require('./entry.ts');
