#!/usr/bin/env node
'use strict';
/**
 * Makes `npm start` / `npm test` work on a fresh clone: runs `npm ci` when
 * node_modules does not match package-lock.json, then records that it does.
 * `npm ci` installs exactly what the lock file says and never rewrites it: a
 * changed lock file is a developer's act (`npm install <pkg>`), not a side
 * effect of starting the system.
 *
 * The stamp `node_modules/.deps-stamp` holds a hash of package-lock.json and of
 * the Node ABI/platform (native modules are built for those). When it matches,
 * this exits at once (no npm, no dependencies). SKIP_ENSURE_DEPS=1 skips.
 *
 * Usage: node scripts/ensure-deps.js [project dir]   (default: the parent of scripts/)
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

function stampValue(lockFile) {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(lockFile));
  hash.update(`\0${process.versions.modules}\0${process.platform}\0${process.arch}`);
  return hash.digest('hex');
}

function main() {
  if (process.env.SKIP_ENSURE_DEPS === '1') return 0;
  const root = path.resolve(process.argv[2] || path.join(__dirname, '..'));
  const lockFile = path.join(root, 'package-lock.json');
  const stampFile = path.join(root, 'node_modules', '.deps-stamp');
  if (!fs.existsSync(lockFile)) {
    console.error(`ensure-deps: ${lockFile} is missing; run "npm install" to create it`);
    return 1;
  }
  const wanted = stampValue(lockFile);
  let current = '';
  try {
    current = fs.readFileSync(stampFile, 'utf8').trim();
  } catch {
    // no stamp: never installed by us
  }
  if (current === wanted) return 0;

  console.error(`ensure-deps: ${current ? 'package-lock.json changed' : 'dependencies not installed'}, running npm ci`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Inside an npm script, npm_execpath is the npm that runs us: use the same one.
  const viaNode = process.env.npm_execpath && /\.(c?js)$/.test(process.env.npm_execpath);
  const cmd = viaNode ? process.execPath : npm;
  const installArgs = ['ci', '--no-audit', '--no-fund'];
  const args = viaNode ? [process.env.npm_execpath, ...installArgs] : installArgs;
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && !viaNode });
  if (result.error) {
    console.error(`ensure-deps: could not run npm ci: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0) {
    console.error(`ensure-deps: npm ci failed (${result.signal ? `signal ${result.signal}` : `exit ${result.status}`})`);
    return result.status || 1;
  }
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, `${stampValue(lockFile)}\n`);
  return 0;
}

process.exitCode = main();
