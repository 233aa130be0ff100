// Where the benchmark runs and the environment its child processes get: fake credentials, the
// bench's own moto, and nothing from the user's AWS configuration.
import {execFileSync} from 'node:child_process'
import {cpus, loadavg, totalmem} from 'node:os'

import {motoPython} from '../../scripts/lib/moto.js'

export const REGION = 'us-east-1'

/** Credentials for moto only; moto accepts any. */
export function awsEnv(endpoint, extra = {}) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'AKIAELBXBENCH0000001',
    AWS_SECRET_ACCESS_KEY: 'elbxBenchSecretKeyForMotoOnly000000000001',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    // The aws CLI would otherwise page long output through less.
    AWS_PAGER: '',
    ...extra,
  }
}

function commandVersion(command, args) {
  try {
    return execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim()
  } catch {
    return undefined
  }
}

/** The machine the figures were measured on. */
export function machine() {
  const cpu = cpus()[0]?.model?.trim()
  return {
    nproc: Number(commandVersion('nproc', [])) || cpus().length,
    cpuModel: cpu || 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    awsCli: commandVersion('aws', ['--version']),
    // moto_server has no --version: ask the Python the launcher runs it under (scripts/lib/moto.js),
    // which need not be the python3 on PATH.
    moto: motoVersion(),
    loadAverageAtStart: loadAverage(),
  }
}

function motoVersion() {
  const python = motoPython()
  return python ? commandVersion(python, ['-c', 'import moto; print(moto.__version__)']) : undefined
}

/** The 1-minute load average: other work on the machine slows every figure. */
export function loadAverage() {
  return Math.round(loadavg()[0] * 100) / 100
}

export function awsCliAvailable() {
  return commandVersion('aws', ['--version']) !== undefined
}
