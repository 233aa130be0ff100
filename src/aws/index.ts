import type {AwsSettings} from './clients.js'
import type {Gateways} from './gateways.js'

export interface Connection extends Gateways {
  /** Closes the clients' sockets so the process can exit promptly. */
  close(): void
}

/**
 * Connects to AWS with the global flags' settings and returns the typed gateways. Everything that
 * loads the SDK is imported here, on first use, so commands stay quick to start and to reject input.
 */
export async function connect(settings: AwsSettings): Promise<Connection> {
  // One after the other: module loading is CPU-bound anyway, and jest's ESM loader mishandles
  // concurrent dynamic imports of shared modules.
  const {createClients} = await import('./clients.js')
  const elb = await import('./elb-gateway.js')
  const ec2 = await import('./ec2-gateway.js')
  const iam = await import('./iam-gateway.js')
  const acm = await import('./acm-gateway.js')
  const clients = await createClients(settings)
  return {
    elb: new elb.SdkElbGateway(clients.elb),
    ec2: new ec2.SdkEc2Gateway(clients.ec2),
    iam: new iam.SdkIamGateway(clients.iam),
    acm: new acm.SdkAcmGateway(clients.acm),
    region: clients.region,
    close: () => clients.destroy(),
  }
}

export type {AwsSettings} from './clients.js'
export {RequestLog, formatRequestRecord, type RequestRecord} from './request-log.js'
