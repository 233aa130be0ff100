// `npm run moto [-- --port N] [-- --unpatched]`: the local AWS elbx's tests and demo use, in the
// foreground, so a person can point elbx at it by hand. The first line of stdout is its endpoint
// URL; moto's request log goes to stderr. Ctrl-C stops it.
import {parseArgs} from 'node:util'

import {startMoto} from '../lib/moto.js'

const usage = 'Usage: npm run moto [-- --port N] [-- --unpatched]'

async function main() {
  let values
  try {
    ;({values} = parseArgs({
      options: {
        port: {type: 'string', short: 'p'},
        unpatched: {type: 'boolean'},
        help: {type: 'boolean', short: 'h'},
      },
    }))
  } catch (error) {
    process.stderr.write(`${error.message}\n${usage}\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(
      `${usage}\n\nStarts moto_server with elbx's fidelity patches on 127.0.0.1 (a free port unless --port)\n` +
        'and prints its endpoint URL first. --unpatched (or ELBX_MOTO_UNPATCHED=1) runs moto as it is\n' +
        'and lists where it then differs from AWS. README.md, "A local AWS", says more.\n',
    )
    return 0
  }
  const port = values.port === undefined ? undefined : Number(values.port)
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    process.stderr.write(`--port must be a TCP port from 1 to 65535, not "${values.port}".\n${usage}\n`)
    return 2
  }
  let moto
  try {
    moto = await startMoto({port, ...(values.unpatched ? {unpatched: true} : {}), stderr: 'inherit'})
  } catch (error) {
    process.stderr.write(`${error.message}\n`)
    return 1
  }
  process.stdout.write(`${moto.endpoint}\n`)
  process.stderr.write(
    `moto is ${moto.patched ? "patched by elbx's scripts/moto/elbx_patches.py" : 'UNPATCHED'}. Point elbx at it with\n` +
      `  AWS_ENDPOINT_URL=${moto.endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 elbx ...\n` +
      'Ctrl-C stops it.\n',
  )
  const stop = () => void moto.stop()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const code = await new Promise((resolve) => moto.process.once('exit', (c) => resolve(c ?? 0)))
  return code
}

main().then((code) => {
  process.exitCode = code
})
