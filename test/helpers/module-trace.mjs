// `node --import ./test/helpers/module-trace.mjs`: appends the URL of every ES module the process
// loads to the file named by ELBX_MODULE_TRACE, one per line (test/e2e/start-up.test.ts).
import {register} from 'node:module'

if (process.env.ELBX_MODULE_TRACE) {
  register('./module-trace-hooks.mjs', import.meta.url, {data: process.env.ELBX_MODULE_TRACE})
}
