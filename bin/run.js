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

// dist/main.js is oclif bundled with the commands (npm run build); see scripts/build.js.
const {execute} = await import('../dist/main.js')
await execute({dir: import.meta.url})
