// `npm run build`: bundles src/ with its dependencies (oclif, the AWS SDK, listr2, chalk, the
// prompts) into dist/ with esbuild, after `tsc --noEmit` has type-checked it. Each command is an
// entry point at the path oclif's manifest names (dist/commands/<id>.js); code they share lands in
// dist/chunks/, and what loads on demand (the SDK clients, the prompts) stays in chunks of its own.
//
// Why bundle: a command's start-up is mostly module loading. Unbundled, `elbx create` resolves and
// reads about 400 files (the EC2 package's index alone loads over a thousand modules, about a
// second); bundled it reads a few dozen. docs/performance.md has the figures.
import {readFile, readdir, rm} from 'node:fs/promises'
import {join, relative} from 'node:path'

import * as esbuild from 'esbuild'

const OUT_DIR = 'dist'

/** Every .ts file under a directory of src/, as entry points. */
async function sources(dir) {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  // Dirent.parentPath arrived in Node.js 20.12; 20.9 to 20.11 call it path.
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
}

/**
 * The SDK clients' schema modules key their options with computed names (`{[_xN]: _TSa}`, where
 * `const _xN = "xmlName"`). esbuild cannot prove a computed key free of side effects, so it would
 * keep every schema of the service (a megabyte for EC2). Spelling the keys out lets it drop the
 * schemas of commands elbx never sends.
 */
const inlineSchemaKeys = {
  name: 'inline-schema-keys',
  setup(build) {
    build.onLoad(
      {filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/},
      async ({path}) => {
        const text = await readFile(path, 'utf8')
        const names = new Map()
        for (const [, name, value] of text.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm))
          names.set(name, value)
        const contents = text.replace(/\[(_\w+)\]:/g, (key, name) =>
          names.has(name) ? `${names.get(name)}:` : key,
        )
        return {contents, loader: 'js'}
      },
    )
  },
}

await rm(OUT_DIR, {recursive: true, force: true})

const result = await esbuild.build({
  entryPoints: [
    'src/main.ts',
    'src/help.ts',
    ...(await sources('src/commands')),
    ...(await sources('src/hooks')),
    // Named entry points (dist/aws/sdk/<client>.js) rather than hashed chunks: the benchmarks time them.
    ...(await sources('src/aws/sdk')),
    // Imported in-process by the benchmarks (bench/lib/wait-latency.js).
    'src/aws/index.ts',
    'src/steps/wait-for-in-service.ts',
  ],
  outdir: OUT_DIR,
  outbase: 'src',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The packages' ES module builds (dist-es) are the ones esbuild can tree-shake.
  mainFields: ['module', 'main'],
  minifySyntax: true,
  // For --verbose stack traces (bin/run.js turns source maps on only then): src/ paths and lines.
  sourcemap: 'linked',
  sourcesContent: false,
  // oclif and a few SDK dependencies are CommonJS and require() Node's built-ins and, for oclif,
  // plugin files found at run time.
  banner: {
    js: "import {createRequire as __elbxCreateRequire} from 'node:module'; const require = __elbxCreateRequire(import.meta.url);",
  },
  // oclif reads tsconfig.json with the TypeScript compiler only when running a plugin from source.
  external: ['typescript'],
  plugins: [inlineSchemaKeys],
  metafile: true,
  logLevel: 'warning',
})

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => !file.endsWith('.map'))
const total = outputs.reduce((sum, [, {bytes}]) => sum + bytes, 0)
console.error(`build: ${outputs.length} files, ${Math.round(total / 1024)} KiB in ${relative('.', OUT_DIR)}/`)
