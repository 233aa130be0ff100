#!/usr/bin/env node
// Development entry: runs the compiled commands without the manifest check being stale-sensitive.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
if (
  (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') ||
  process.argv.includes('--no-color')
) {
  process.env.FORCE_COLOR = '0'
}

import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
