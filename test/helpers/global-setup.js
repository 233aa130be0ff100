// One moto_server per jest worker, so that resetting moto between test files never wipes the
// state of a file that runs at the same time in the other worker.
import {startMoto} from '../../scripts/lib/moto.js'

export default async function globalSetup(globalConfig) {
  const workers = Math.max(1, globalConfig.maxWorkers)
  const servers = await Promise.all(Array.from({length: workers}, () => startMoto()))
  globalThis.__ELBX_MOTO__ = servers
  process.env.ELBX_TEST_MOTO_ENDPOINTS = servers.map((s) => s.endpoint).join(',')
}
