#!/usr/bin/env node
// The AWS SDK warns on every run under Node.js 20 that future SDK releases will need Node.js 22.
// elbx pins an SDK that supports Node.js 20 and states the supported versions in its README, so the
// warning would only clutter stderr, which carries elbx's own words.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
// chalk decides on colour when it is first imported: make NO_COLOR and --no-color win before that.
if (
  (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') ||
  process.argv.includes('--no-color')
) {
  process.env.FORCE_COLOR = '0'
}

// --verbose prints stack traces: point them at src/ (dist/ has source maps), at no cost otherwise.
if (process.argv.includes('--verbose')) process.setSourceMapsEnabled(true)

// dist/main.js is oclif bundled with the commands (npm run build); see scripts/build.js.
const main = new URL('../dist/main.js', import.meta.url)
let execute
try {
  ;({execute} = await import(main.href))
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(main.pathname)) throw error
  process.stderr.write(
    'Error: elbx is not built (no dist/main.js).\nHint: Run `npm ci && npm run build` first.\n',
  )
  process.exit(1)
}
await execute({dir: import.meta.url})
