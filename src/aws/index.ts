import type {AwsSettings} from './clients.js'
import type {Gateways, LazyService} from './gateways.js'

export interface Connection extends Gateways {
  /** Closes the clients' sockets so the process can exit promptly. */
  close(): void
}

/**
 * A gateway whose implementation (and SDK client) loads on its first call, or when `load` is
 * called. Every gateway method is async, so callers cannot tell the difference.
 */
function lazyGateway<T extends object>(make: () => Promise<T>): {gateway: T; load: () => Promise<T>} {
  let loaded: Promise<T> | undefined
  const load = () => (loaded ??= make())
  const gateway = new Proxy({} as T, {
    get(_target, property) {
      // Not a thenable: `await gateway` must not call into it.
      if (typeof property !== 'string' || property === 'then') return undefined
      return async (...args: unknown[]) => {
        const gateway = (await load()) as Record<string, (...a: unknown[]) => unknown>
        return gateway[property]!.apply(gateway, args)
      }
    },
  })
  return {gateway, load}
}

/**
 * Connects to AWS with the global flags' settings and returns the typed gateways. Everything that
 * loads the SDK is imported here, on first use, so commands stay quick to start and to reject
 * input, and a command that only talks to ELB never loads the EC2, IAM or ACM clients.
 */
export async function connect(settings: AwsSettings): Promise<Connection> {
  const {createClients, importInTurn} = await import('./clients.js')
  const clients = await createClients(settings)
  const {SdkElbGateway} = await import('./elb-gateway.js')
  const lazy: Record<LazyService, ReturnType<typeof lazyGateway<object>>> = {
    ec2: lazyGateway(() =>
      importInTurn(async () => new (await import('./ec2-gateway.js')).SdkEc2Gateway(await clients.ec2())),
    ),
    iam: lazyGateway(() =>
      importInTurn(async () => new (await import('./iam-gateway.js')).SdkIamGateway(await clients.iam())),
    ),
    acm: lazyGateway(() =>
      importInTurn(async () => new (await import('./acm-gateway.js')).SdkAcmGateway(await clients.acm())),
    ),
  }
  return {
    elb: new SdkElbGateway(clients.elb),
    ec2: lazy.ec2.gateway as Gateways['ec2'],
    iam: lazy.iam.gateway as Gateways['iam'],
    acm: lazy.acm.gateway as Gateways['acm'],
    region: clients.region,
    prepare: async (services) => {
      await Promise.all(services.map((s) => lazy[s].load()))
    },
    close: () => clients.destroy(),
  }
}

export type {AwsSettings} from './clients.js'
export {RequestLog, formatRequestRecord, type RequestRecord} from './request-log.js'
