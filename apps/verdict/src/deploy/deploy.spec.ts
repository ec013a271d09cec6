import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES } from '@verdict/config';
import { MESSAGES } from '@verdict/contracts';
import { apiRoutes } from '@verdict/orchestrator';
import { startHealthServer } from '@verdict/platform';

// No Docker engine or cluster here: these tests check what can be checked without one, so a
// manifest that names a missing file, variable, image, port or route fails here, not at deploy.
const ROOT = path.resolve(__dirname, '../../../..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML

function k8sObjects(dir: string): (Obj & { file: string })[] {
  const out: (Obj & { file: string })[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...k8sObjects(rel));
    else if (e.name.endsWith('.yaml'))
      for (const d of parseAllDocuments(read(rel))) if (d.toJS()) out.push({ ...d.toJS(), file: rel });
  }
  return out;
}

const APPS = fs
  .readdirSync(path.join(ROOT, 'apps'))
  .filter((a) => fs.existsSync(path.join(ROOT, 'apps', a, 'src/main.ts')));
/** The app a container command runs, checked to be one the image builds. */
function appOf(args: string[]): string {
  const m = /^dist\/apps\/([\w-]+)\/main\.js$/.exec(args[0] ?? '');
  if (!m) throw new Error(`command ${JSON.stringify(args)} does not run dist/apps/<app>/main.js`);
  expect(APPS).toContain(m[1]);
  return m[1];
}
const pinned = (image: string) => /^[\w./-]+:[\w.-]+$/.test(image) && !image.endsWith(':latest');

describe('deployment files', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as Obj; // compose resolves <<: merge keys
  const objects = k8sObjects('k8s');
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  it('every Kubernetes object validates against the Kubernetes and KEDA schemas (from npm, offline)', () => {
    const out = spawnSync(process.execPath, ['tools/check-manifests.mjs'], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(out.stdout) as {
      validated: { kind: string; name: string }[];
      errors: unknown[];
    };
    expect(report.errors).toEqual([]);
    expect(out.status).toBe(0);
    const names = report.validated.map((v) => `${v.kind}/${v.name}`);
    for (const app of ['orchestrator', 'ingestion', 'reporter', 'notifier', 'worker'])
      expect(names).toEqual(
        expect.arrayContaining([`Deployment/${app}`, `Service/${app}`, `PodDisruptionBudget/${app}`]),
      );
    expect(names).toEqual(
      expect.arrayContaining([
        'ScaledObject/worker',
        'CronJob/retention-cleanup',
        'ConfigMap/verdict-config',
        'Namespace/verdict',
      ]),
    );
  });

  it('the schema check fails on a broken manifest, naming it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-k8s-'));
    fs.writeFileSync(
      path.join(dir, 'bad.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: bad }\nspec: { replicas: two, selector: {}, template: {} }\n',
    );
    const out = spawnSync(process.execPath, ['tools/check-manifests.mjs', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out.status).toBe(1);
    expect(JSON.parse(out.stdout).errors[0]).toMatchObject({ kind: 'Deployment', name: 'bad' });
  });

  it('every variable the apps read is set in docker-compose.yml, .env.example and the ConfigMap/Secret', () => {
    const composeEnv = Object.keys(compose['x-verdict-env']);
    expect(composeEnv.sort()).toEqual([...CONFIG_VARIABLES].sort());
    for (const s of ['orchestrator', 'ingestion', 'reporter', 'notifier', 'mock-server'])
      expect(Object.keys(compose.services[s].environment).sort()).toEqual([...CONFIG_VARIABLES].sort());
    // Workers also tell the tests they run where the stub manager's mocks are.
    expect(Object.keys(compose.services.worker.environment).sort()).toEqual(
      [...CONFIG_VARIABLES, 'VERDICT_MOCK_URL'].sort(),
    );

    const example = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(CONFIG_VARIABLES.filter((v) => !example.has(v))).toEqual([]);

    const configMap = Object.keys(
      byKind('ConfigMap').find((c) => c.metadata.name === 'verdict-config')!.data,
    );
    const dev = objects.find((o) => o.kind === 'Kustomization' && o.file.includes('overlays/dev'))!;
    const secret = (dev.secretGenerator[0].literals as string[]).map((l) => l.split('=')[0]);
    const worker = byKind('Deployment').find((d) => d.metadata.name === 'worker')!;
    const podEnv = (worker.spec.template.spec.containers[0].env as { name: string }[]).map((e) => e.name);
    const k8sSet = new Set([...configMap, ...secret, ...podEnv]);
    expect(CONFIG_VARIABLES.filter((v) => !k8sSet.has(v))).toEqual([]);
    // And nothing there that no app reads (a misspelt name would be silently ignored).
    expect([...configMap, ...secret].filter((v) => !CONFIG_VARIABLES.includes(v))).toEqual([]);
    expect(configMap.filter((v) => secret.includes(v))).toEqual([]);
  });

  it('compose: services exist, start in order of health, mount files that exist, run apps the image builds', () => {
    const services = compose.services as Record<string, Obj>;
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries(
        (s.depends_on ?? {}) as Record<string, { condition: string }>,
      )) {
        expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
        if (cond.condition === 'service_healthy')
          expect({ dep, health: Boolean(services[dep].healthcheck) }).toEqual({ dep, health: true });
      }
      for (const v of (s.volumes ?? []) as string[]) {
        const host = v.split(':')[0];
        if (host.startsWith('.'))
          expect({ name, host, exists: fs.existsSync(path.join(ROOT, host)) }).toEqual({
            name,
            host,
            exists: true,
          });
      }
      if (s.build) {
        expect(s.image).toMatch(/^verdict:/);
        if (s.profiles) continue; // the CLI: node dist/apps/verdict/main.js <args>
        appOf(s.command);
        expect(s.healthcheck.test.join(' ')).toContain('/readyz');
      } else
        expect({ name, image: s.image, pinned: pinned(s.image) }).toEqual({
          name,
          image: s.image,
          pinned: true,
        });
    }
    for (const infra of ['postgres', 'rabbitmq', 'redis', 'mongodb', 'influxdb', 'grafana', 'mailpit'])
      expect(services[infra]?.healthcheck).toBeDefined();
    expect(services.orchestrator.depends_on['rabbitmq-definitions']).toEqual({
      condition: 'service_completed_successfully',
    });
  });

  it('k8s: images, commands, ports and probe paths name things that exist and answer', async () => {
    const configMap = byKind('ConfigMap').find((c) => c.metadata.name === 'verdict-config')!.data;
    const workloads = [
      ...byKind('Deployment').map((d) => d.spec.template.spec),
      ...byKind('CronJob').map((c) => c.spec.jobTemplate.spec.template.spec),
    ];
    const probed = new Set<string>();
    for (const pod of workloads) {
      for (const c of pod.containers as Obj[]) {
        if (c.image === 'verdict') {
          const app = appOf(c.args);
          if (app !== 'verdict')
            expect(c.ports).toEqual([{ name: 'http', containerPort: Number(configMap.PORT) }]);
          expect(pod.securityContext.runAsNonRoot).toBe(true);
        } else expect({ image: c.image, pinned: pinned(c.image) }).toEqual({ image: c.image, pinned: true });
        for (const probe of [c.readinessProbe, c.livenessProbe].filter(Boolean))
          if (probe.httpGet) {
            expect(probe.httpGet.port).toBe('http');
            probed.add(probe.httpGet.path);
          }
      }
    }
    expect([...probed].sort()).toEqual(['/healthz', '/readyz']);
    // The probe paths are the health server's: start one and ask.
    const server = await startHealthServer(
      [{ name: 'x', adapter: 'y', check: async () => undefined }],
      '127.0.0.1',
      0,
    );
    const { port } = server.address() as { port: number };
    for (const p of probed) expect((await fetch(`http://127.0.0.1:${port}${p}`)).status).toBe(200);
    server.close();
    // Each Service selects a Deployment and targets a port it names.
    for (const svc of byKind('Service').filter((s) => !s.file.includes('servers.yaml'))) {
      const dep = byKind('Deployment').find(
        (d) => d.metadata.name === svc.spec.selector['app.kubernetes.io/name'],
      )!;
      expect(dep.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
      const names = (dep.spec.template.spec.containers[0].ports as { name: string }[]).map((p) => p.name);
      expect(names).toContain(svc.spec.ports[0].targetPort);
    }
  });

  it('worker autoscaling polls an orchestrator route that exists, for a field it answers', () => {
    const scaled = byKind('ScaledObject')[0];
    expect(scaled.spec.scaleTargetRef.name).toBe('worker');
    const trigger = scaled.spec.triggers[0];
    const url = new URL(trigger.metadata.url);
    expect(url.hostname.split('.')[0]).toBe('orchestrator');
    expect(byKind('Service').some((s) => s.metadata.name === 'orchestrator')).toBe(true);
    const routes = apiRoutes({
      db: undefined as never,
      queue: undefined as never,
      docstore: undefined as never,
      log: undefined as never,
      access: undefined as never,
    });
    const route = routes.find(
      (r) =>
        r.method === 'get' && new RegExp(`^/api/v1${r.path.replace(/:\w+/g, '[^/]+')}$`).test(url.pathname),
    );
    expect(route?.path).toBe('/pools/:poolName/scaling');
    expect(Object.keys((route!.response as unknown as { shape: object }).shape)).toContain(
      trigger.metadata.valueLocation,
    );
  });

  it('the Dockerfile copies files that exist, builds every app, and runs as a non-root user', () => {
    const docker = read('Dockerfile');
    for (const m of docker.matchAll(/^COPY (?!--from)(.+) \S+$/gm))
      for (const src of m[1].split(' '))
        expect({ src, exists: fs.existsSync(path.join(ROOT, src)) }).toEqual({ src, exists: true });
    for (const a of fs.readdirSync(path.join(ROOT, 'apps')).concat(fs.readdirSync(path.join(ROOT, 'libs'))))
      if (
        fs.existsSync(path.join(ROOT, 'apps', a, 'package.json')) ||
        fs.existsSync(path.join(ROOT, 'libs', a, 'package.json'))
      )
        expect(docker).toMatch(new RegExp(`COPY (apps|libs)/${a}/package.json`));
    const built = /for app in ([\w -]+); do/.exec(docker)![1].split(' ');
    expect(built.sort()).toEqual([...APPS].sort());
    const final = docker.slice(docker.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER node$/m);
    expect(docker).toContain('npm prune --omit=dev');
  });

  it('RabbitMQ definitions declare every exchange the messages use; Grafana panels query what ingestion writes', () => {
    const defs = JSON.parse(read('infra/rabbitmq/definitions.json')) as { exchanges: { name: string }[] };
    const declared = defs.exchanges.map((e) => e.name);
    for (const spec of Object.values(MESSAGES)) expect(declared).toContain(spec.exchange);

    const datasources = parse(read('infra/grafana/provisioning/datasources/influxdb.yaml'))
      .datasources as Obj[];
    // Every measurement a panel reads is written by one of these, with the field the panel reads.
    const writers = [
      'apps/ingestion/src/on-result-batch/on-result-batch.handler.ts',
      'apps/orchestrator/src/fleet/offline-sweeper.ts',
      'apps/notifier/src/notifier.ts',
      'apps/mock-server/src/journal.ts',
    ].map((f) => ({ f, src: read(f) }));
    const queried = new Set<string>();
    for (const f of fs.readdirSync(path.join(ROOT, 'infra/grafana/dashboards'))) {
      const dash = JSON.parse(read(`infra/grafana/dashboards/${f}`)) as { panels: Obj[] };
      for (const panel of dash.panels) {
        expect(datasources.map((d) => d.uid)).toContain(panel.datasource.uid);
        for (const t of panel.targets) {
          const [, measurement, field] = /_measurement == "(\w+)" and r\._field == "(\w+)"/.exec(t.query)!;
          const writer = writers.find((w) => w.src.includes(`measurement: '${measurement}'`));
          expect({ measurement, writer: writer?.f }).toEqual({ measurement, writer: expect.any(String) });
          expect({ measurement, field, written: new RegExp(`\\b${field}:`).test(writer!.src) }).toEqual({
            measurement,
            field,
            written: true,
          });
          queried.add(`${measurement}.${field}`);
          for (const [, cols] of t.query.matchAll(/group\(columns: \[([^\]]*)\]\)/g))
            for (const tag of [...cols.matchAll(/"(\w+)"/g)].map((m) => m[1]))
              expect({ measurement, tag, written: new RegExp(`\\b${tag}:`).test(writer!.src) }).toEqual({
                measurement,
                tag,
                written: true,
              });
        }
      }
    }
    // What the issue asks the dashboards to show.
    for (const m of [
      'execution_summary.pass_rate',
      'execution_summary.duration_ms',
      'execution_summary.flaky',
      'test_execution.duration',
      'fleet.queued',
      'fleet.online',
      'notification_delivery.success',
      'mock_requests.count',
    ])
      expect(queried).toContain(m);
  });
});
