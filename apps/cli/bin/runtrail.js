#!/usr/bin/env node
'use strict';
// The `runtrail` command npm links into node_modules/.bin. The code is TypeScript compiled
// by the root `npm run build` into dist/; this shim only finds it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('runtrail: not built yet; run npm run build (or npm start) first\n');
  process.exit(1);
}
require(main);
