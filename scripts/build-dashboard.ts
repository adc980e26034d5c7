import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'esbuild';
import { MANIFEST_FILE, defaultDashboardAssetsDir, type DashboardManifest } from '../src/dashboard/dashboard-assets';

const ROOT = path.resolve(__dirname, '..');

export interface DashboardBuild {
  outDir: string;
  manifest: DashboardManifest;
  /** Bytes of each entry file as built and as brotli sends it. */
  sizes: Record<string, { raw: number; brotli: number; gzip: number }>;
}

/**
 * Bundles `dashboard/src` into `dist/dashboard` (or `outDir`): one script and one stylesheet with content-hashed
 * names, each also written brotli- and gzip-compressed so the server sends them small without compressing per
 * request, and a manifest naming them. Everything the page loads comes from here: no CDN, works offline.
 */
export async function buildDashboard(outDir = defaultDashboardAssetsDir()): Promise<DashboardBuild> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { app: 'dashboard/src/main.tsx', style: 'dashboard/src/styles/app.css' },
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: 'dashboard/tsconfig.json',
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.relative(outDir, path.resolve(ROOT, file)));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (!script || !style) throw new Error(`the dashboard build wrote no script or stylesheet: ${outputs.join(', ')}`);
  const manifest: DashboardManifest = { script, style };
  const sizes: DashboardBuild['sizes'] = {};
  for (const file of [script, style]) {
    const bytes = fs.readFileSync(path.join(outDir, file));
    const brotli = zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    const gzip = zlib.gzipSync(bytes, { level: 9 });
    fs.writeFileSync(path.join(outDir, `${file}.br`), brotli);
    fs.writeFileSync(path.join(outDir, `${file}.gz`), gzip);
    sizes[file] = { raw: bytes.length, brotli: brotli.length, gzip: gzip.length };
  }
  fs.writeFileSync(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { outDir, manifest, sizes };
}

if (require.main === module) {
  buildDashboard().then(
    ({ outDir, sizes }) => {
      const lines = Object.entries(sizes).map(
        ([file, size]) => `  ${file}  ${size.raw} B, ${size.brotli} B brotli, ${size.gzip} B gzip`,
      );
      console.log(`dashboard built into ${path.relative(ROOT, outDir)}\n${lines.join('\n')}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
