// Bundles one app into dist/apps/<app>/main.js: Verdict's own libs are bundled in, npm
// dependencies stay external (installed with `npm ci --omit=dev`), and the files the libs
// read at run time (SQL migrations, Redis Lua scripts) are copied beside the bundle.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const app = process.argv[2];
if (!app) throw new Error('usage: node tools/build-app.mjs <app>');
const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outdir = path.join(root, 'dist/apps', app);

await build({
  entryPoints: [path.join(root, 'apps', app, 'src/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: path.join(outdir, 'main.js'),
  external: Object.keys(pkg.dependencies ?? {}),
  sourcemap: true,
  logLevel: 'warning',
});
fs.cpSync(path.join(root, 'libs/db/migrations'), path.join(outdir, 'migrations'), { recursive: true });
fs.mkdirSync(path.join(outdir, 'redis-commands'), { recursive: true });
for (const f of fs.readdirSync(path.join(root, 'libs/queue/src/redis/commands'))) {
  fs.copyFileSync(
    path.join(root, 'libs/queue/src/redis/commands', f),
    path.join(outdir, 'redis-commands', f),
  );
}
// node:test runs Verdict's reporter from a file, so it ships beside the bundle too.
fs.copyFileSync(
  path.join(root, 'libs/report-formats/src/node-test/verdict-reporter.mjs'),
  path.join(outdir, 'verdict-reporter.mjs'),
);
console.log(`built dist/apps/${app}/main.js`);
