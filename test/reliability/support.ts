/**
 * What the reliability tests that run elbx through the fault proxy share: a seeded network, the
 * proxy in front of this worker's moto, and the create command line they start from.
 */
import {appendFileSync, mkdirSync} from 'node:fs'
import {dirname, join} from 'node:path'

import type {CertificatePair} from '../helpers/certs.js'
import {startFaultProxy, type FaultProxy, type FaultProxyOptions} from '../helpers/fault-proxy.js'
import {motoEndpoint, seedNetwork, type SeededNetwork} from '../helpers/moto.js'

export interface FaultProxyWorld {
  /** The proxy between elbx and moto; no rules and nothing seen at the start of each test. */
  readonly proxy: FaultProxy
  readonly net: SeededNetwork
  /** runCli options that send elbx through the proxy, with `extra` in its environment. */
  through(extra?: Record<string, string>): {env: Record<string, string>}
}

/**
 * Seeds the network and starts the proxy before the file's tests, closes the proxy after them,
 * and clears its rules and the requests it saw before each test. Call it at the top of a test file.
 */
export function useFaultProxy(options: {instances: number} & FaultProxyOptions): FaultProxyWorld {
  let proxy: FaultProxy | undefined
  let net: SeededNetwork | undefined
  beforeAll(async () => {
    net = await seedNetwork({instances: options.instances})
    const {instances: _instances, ...proxyOptions} = options
    proxy = await startFaultProxy(motoEndpoint(), proxyOptions)
  })
  afterAll(async () => {
    await proxy?.close()
  })
  beforeEach(() => {
    world.proxy.clear()
    world.proxy.seen.length = 0
  })
  const world: FaultProxyWorld = {
    get proxy() {
      if (!proxy) throw new Error('useFaultProxy: the proxy starts in beforeAll')
      return proxy
    },
    get net() {
      if (!net) throw new Error('useFaultProxy: the network is seeded in beforeAll')
      return net
    },
    through: (extra = {}) => ({env: {AWS_ENDPOINT_URL: world.proxy.endpoint, ...extra}}),
  }
  return world
}

/** The seeded subnets as --subnets takes them. */
export const subnetList = (net: SeededNetwork): string => net.subnets.map((s) => s.subnetId).join(',')

/** create with an HTTPS listener (or `listeners`) on the certificate files, in the seeded subnets. */
export const createArgs = (
  name: string,
  pair: CertificatePair,
  net: SeededNetwork,
  listeners: string[] = ['--https'],
): string[] => [
  'create',
  '-n',
  name,
  ...listeners,
  '--certificate-file',
  pair.certFile,
  '--private-key-file',
  pair.keyFile,
  '--subnets',
  subnetList(net),
]

/** Where reliability tests write the figures docs/reliability.md quotes (not the console: jest's output stays quiet). */
export const FIGURES_FILE = join(process.cwd(), '.test-reports', 'reliability-figures.txt')

/** Appends one line of figures, with the time and the test it came from, to FIGURES_FILE. */
export function reportFigures(line: string): void {
  mkdirSync(dirname(FIGURES_FILE), {recursive: true})
  const test = expect.getState().currentTestName ?? ''
  appendFileSync(FIGURES_FILE, `${new Date().toISOString()} ${test}: ${line}\n`)
}
