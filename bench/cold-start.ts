/**
 * Cold start: each handler bundled exactly as the CDK app bundles it (lib/handler-function.ts → NodejsFunction:
 * esbuild --bundle --target=node24 --platform=node --format=cjs --minify --sourcemap --sources-content=false
 * --main-fields=module,main, AWS SDK bundled), its size, and the time to `require` it in a fresh `node` process
 * (module evaluation, what Lambda's INIT spends on our code), median of ≥ 11 runs — as CPU time, which other
 * load on the machine does not inflate (wall-clock time is recorded too). Two references built and
 * measured the same way in the same run: an empty handler, and the SDK floor — a bundle that builds a
 * DynamoDBDocumentClient and sends one command. Runs are interleaved across bundles so drift hits all alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { HANDLER_ACCESS } from '../lambdas/routes';
import { median, round } from './lib/stats';

const REPO = join(__dirname, '..');

export interface BundleFigure {
  bytes: number;
  /** CPU time (user + system) of the `require`, median: robust to other load on the machine. */
  importMsMedian: number;
  /** Wall-clock time of the same `require`s, median (equal to the CPU time on an idle machine). */
  importWallMsMedian: number;
  /** The same with NODE_OPTIONS=--enable-source-maps, as the CDK app deploys it (Node parses the map at load). */
  importMsMedianWithSourceMaps?: number;
  /** AWS SDK clients in the bundle, and whether the handler's access (lambdas/routes.ts) needs each. */
  clients: string[];
  unneededClients: string[];
  /** Largest packages in the bundle (KB of minified output), for the curious. */
  topPackages?: Record<string, number>;
}

export interface ColdStartResult {
  bundles: Record<string, BundleFigure>;
  emptyImportMsMedian: number;
  sdkFloorImportMsMedian: number;
  emptyImportWallMsMedian: number;
  sdkFloorImportWallMsMedian: number;
  emptyBytes: number;
  sdkFloorBytes: number;
  runs: number;
  sdkFloorWithSourceMapsMs?: number;
}

/** The CDK app's esbuild options (NodejsFunction with the bundling props of lib/handler-function.ts). */
const CDK_OPTIONS = {
  bundle: true,
  target: 'node24',
  platform: 'node',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  metafile: true,
} satisfies BuildOptions;

const FLOOR_SOURCE = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event: { id: string }) => (await doc.send(new GetCommand({ TableName: 't', Key: { pk: event.id, sk: 'x' } }))).Item;
`;
const EMPTY_SOURCE = `export const handler = async () => ({ statusCode: 200, body: '' });\n`;

const CLIENT_PACKAGES: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-secrets-manager': 'secrets-manager',
};

export async function measureColdStart(opts: { runs: number; handlers?: string[]; withSourceMaps: boolean }): Promise<ColdStartResult> {
  const out = join(tmpdir(), `scimlink-bench-bundles-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    // References live in the repo tree (so they resolve the same node_modules), in a scratch folder removed after.
    const refDir = join(REPO, 'bench', '.refs');
    mkdirSync(refDir, { recursive: true });
    writeFileSync(join(refDir, 'sdk-floor.ts'), FLOOR_SOURCE);
    writeFileSync(join(refDir, 'empty.ts'), EMPTY_SOURCE);
    const handlers = opts.handlers ?? Object.keys(HANDLER_ACCESS);
    const entries: Array<{ name: string; entry: string }> = [
      { name: '(empty handler)', entry: join(refDir, 'empty.ts') },
      { name: '(SDK floor)', entry: join(refDir, 'sdk-floor.ts') },
      ...handlers.map((h) => ({ name: h, entry: join(REPO, 'lambdas', `${h}.ts`) })),
    ];
    const built: Array<{ name: string; file: string; bytes: number; metafile: Metafile }> = [];
    try {
      for (const { name, entry } of entries) {
        const file = join(out, name.replace(/[^a-z0-9-]/gi, '_'), 'index.js');
        const result = await build({ ...CDK_OPTIONS, entryPoints: [entry], outfile: file, absWorkingDir: REPO });
        built.push({ name, file, bytes: statSync(file).size, metafile: result.metafile ?? { inputs: {}, outputs: {} } });
      }
    } finally {
      rmSync(refDir, { recursive: true, force: true });
    }

    const samples = new Map<string, number[]>(built.map((b) => [b.name, []]));
    const wallSamples = new Map<string, number[]>(built.map((b) => [b.name, []]));
    const mapSamples = new Map<string, number[]>(built.map((b) => [b.name, []]));
    for (let run = 0; run < opts.runs; run++) {
      for (const b of built) {
        const t = importMs(b.file, false);
        samples.get(b.name)?.push(t.cpu);
        wallSamples.get(b.name)?.push(t.wall);
        if (opts.withSourceMaps) mapSamples.get(b.name)?.push(importMs(b.file, true).cpu);
      }
    }
    const figure = (name: string) => round(median(samples.get(name) ?? []), 1);
    const wall = (name: string) => round(median(wallSamples.get(name) ?? []), 1);
    const bundles: Record<string, BundleFigure> = {};
    for (const b of built.slice(2)) {
      const packages = packagesOf(b.metafile);
      const clients = Object.entries(CLIENT_PACKAGES)
        .filter(([pkg]) => packages[pkg] !== undefined)
        .map(([, c]) => c);
      const access = HANDLER_ACCESS[b.name];
      const needed = new Set(['dynamodb', ...(access && access.secrets !== 'none' ? ['secrets-manager'] : [])]);
      bundles[b.name] = {
        bytes: b.bytes,
        importMsMedian: figure(b.name),
        importWallMsMedian: wall(b.name),
        ...(opts.withSourceMaps ? { importMsMedianWithSourceMaps: round(median(mapSamples.get(b.name) ?? []), 1) } : {}),
        clients,
        unneededClients: clients.filter((c) => !needed.has(c)),
        topPackages: Object.fromEntries(
          Object.entries(packages)
            .sort((x, y) => y[1] - x[1])
            .slice(0, 6)
            .map(([k, v]) => [k, round(v / 1024, 1)]),
        ),
      };
    }
    return {
      bundles,
      emptyImportMsMedian: figure('(empty handler)'),
      sdkFloorImportMsMedian: figure('(SDK floor)'),
      emptyImportWallMsMedian: wall('(empty handler)'),
      sdkFloorImportWallMsMedian: wall('(SDK floor)'),
      emptyBytes: built[0]?.bytes ?? 0,
      sdkFloorBytes: built[1]?.bytes ?? 0,
      runs: opts.runs,
      ...(opts.withSourceMaps ? { sdkFloorWithSourceMapsMs: round(median(mapSamples.get('(SDK floor)') ?? []), 1) } : {}),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * What `require(file)` takes in a fresh node process, measured inside it (process start-up excluded): CPU time
 * (user + system, all of the process's threads) and wall-clock time, in ms.
 */
function importMs(file: string, sourceMaps: boolean): { cpu: number; wall: number } {
  const script =
    `const c=process.cpuUsage(),t=process.hrtime.bigint();require(${JSON.stringify(file)});` +
    `const w=Number(process.hrtime.bigint()-t)/1e6,u=process.cpuUsage(c);process.stdout.write(JSON.stringify({cpu:(u.user+u.system)/1e3,wall:w}))`;
  const env = { ...process.env, NODE_OPTIONS: sourceMaps ? '--enable-source-maps' : '', AWS_REGION: 'eu-west-1' };
  const res = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`importing ${file} failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as { cpu: number; wall: number };
}

/** Bytes of minified output per npm package (or per project folder). */
function packagesOf(metafile: Metafile): Record<string, number> {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const out: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = m?.[1] ?? input.split('/').slice(0, 2).join('/');
    out[key] = (out[key] ?? 0) + bytesInOutput;
  }
  return out;
}

if (require.main === module) {
  void measureColdStart({ runs: Number(process.argv[2] ?? 11), withSourceMaps: true }).then((r) => console.log(JSON.stringify(r, null, 1)));
}
