// Validates every Kubernetes object under k8s/ against the Kubernetes (and KEDA) OpenAPI
// schemas shipped in npm packages (kubernetes-models, @kubernetes-models/keda): nothing is
// downloaded. Kustomization files are checked for the files they name. Prints a JSON report;
// exits 1 when anything is invalid.
// Usage: node tools/check-manifests.mjs [dir]   (npm run check:manifests)
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'k8s'));
const files = (function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.ya?ml$/.test(e.name) ? [p] : [];
  });
})(root);

/** The model module of an apiVersion, or null when no package describes it. */
function modulePath(apiVersion) {
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}`;
  if (apiVersion.startsWith('kustomize.config.k8s.io/')) return null;
  return `kubernetes-models/${apiVersion}`;
}

const validated = [];
const errors = [];
for (const file of files) {
  const rel = path.relative(root, file);
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  for (const doc of docs) {
    if (doc.errors.length) {
      errors.push({ file: rel, error: doc.errors.map((e) => e.message).join('; ') });
      continue;
    }
    const obj = doc.toJS();
    if (!obj) continue;
    const where = { file: rel, kind: obj.kind, name: obj.metadata?.name };
    if (!obj.apiVersion || !obj.kind) {
      errors.push({ ...where, error: 'apiVersion and kind are required' });
      continue;
    }
    if (obj.kind === 'Kustomization') {
      for (const r of obj.resources ?? []) {
        const target = path.resolve(path.dirname(file), r);
        const ok =
          fs.existsSync(target) &&
          (fs.statSync(target).isFile() || fs.existsSync(path.join(target, 'kustomization.yaml')));
        if (!ok) errors.push({ ...where, error: `resource ${r} does not exist` });
      }
      validated.push({ ...where, schema: 'kustomization (files named exist)' });
      continue;
    }
    const mod = modulePath(obj.apiVersion);
    let Model;
    try {
      Model = (await import(`${mod}/${obj.kind}`))[obj.kind];
    } catch {
      errors.push({ ...where, error: `no schema for ${obj.apiVersion} ${obj.kind}` });
      continue;
    }
    try {
      new Model(obj).validate();
      validated.push({ ...where, schema: `${mod}/${obj.kind}` });
    } catch (e) {
      errors.push({ ...where, error: e.message });
    }
  }
}
console.log(JSON.stringify({ validated, errors }, null, 2));
process.exit(errors.length ? 1 : 0);
