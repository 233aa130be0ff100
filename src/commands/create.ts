import {Flags} from '@oclif/core'

import {ElbxCommand} from '../base-command.js'
import {InvalidInputError, throwIfInterrupted} from '../errors.js'
import {loadBalancerNameFlag} from '../flags.js'
import {promptLoadBalancerName} from '../prompts/load-balancer-name.js'
import {describeAttributes} from '../steps/attributes.js'
import {createResult, createTasks, type CreateContext, type CreateResult} from '../steps/create.js'
import {Rollback, runWithRollback} from '../steps/rollback.js'
import {runTasks} from '../ui/tasks.js'
import {checkCreateFlags, completeCreateInput} from '../validate/create-input.js'
import {formatListener} from '../validate/listener.js'

/** Flags of `elbx create` (exported so the full workflow can extend the same set). */
export const createFlags = {
  name: loadBalancerNameFlag(),
  https: Flags.boolean({
    description: "The seed's listeners: HTTP 80 -> HTTP 80 and HTTPS 443 -> HTTP 80.",
  }),
  'backend-https': Flags.boolean({
    description:
      'With --https, the HTTPS listener sends HTTPS 443 to the instances (for back-end authentication).',
    dependsOn: ['https'],
  }),
  listener: Flags.string({
    char: 'l',
    multiple: true,
    description:
      'A listener, repeatable: https:443:http:80, or Protocol=https,LoadBalancerPort=443,InstanceProtocol=http,InstancePort=80[,SSLCertificateId=ARN].',
  }),
  certificate: Flags.string({
    description: 'ARN of an ACM certificate or IAM server certificate for the HTTPS/SSL listeners.',
    exclusive: ['certificate-file'],
  }),
  'certificate-file': Flags.string({
    description: 'PEM certificate to upload to IAM (checked locally first).',
    dependsOn: ['private-key-file'],
  }),
  'private-key-file': Flags.string({description: 'PEM private key of --certificate-file (never printed).'}),
  'chain-file': Flags.string({
    description: "PEM intermediate certificates, the server certificate's issuer first.",
    dependsOn: ['certificate-file'],
  }),
  'certificate-name': Flags.string({
    description: 'IAM name for the uploaded certificate (default: elbx-NAME-FINGERPRINT).',
    dependsOn: ['certificate-file'],
  }),
  subnets: Flags.string({
    multiple: true,
    delimiter: ',',
    description:
      'Subnets of one VPC, at most one per Availability Zone (default: the default VPC, one per zone).',
    exclusive: ['availability-zones'],
  }),
  'availability-zones': Flags.string({
    multiple: true,
    delimiter: ',',
    description: 'Availability Zones instead of subnets.',
  }),
  scheme: Flags.option({
    options: ['internet-facing', 'internal'] as const,
    default: 'internet-facing' as const,
    description: 'internet-facing, or internal (in a VPC only).',
  })(),
  'security-groups': Flags.string({
    multiple: true,
    delimiter: ',',
    description:
      'Security groups for the load balancer (default: elbx creates one open to the listener ports).',
  }),
  'ingress-cidr': Flags.string({
    multiple: true,
    description:
      'CIDR the created security group admits to the listener ports, repeatable (default 0.0.0.0/0).',
  }),
  'cross-zone': Flags.boolean({
    allowNo: true,
    description: 'Cross-zone load balancing (default on, as in the console).',
  }),
  'connection-draining': Flags.string({
    description: 'Connection draining timeout, 1-3600 seconds, or off (default 300).',
  }),
  'idle-timeout': Flags.string({description: 'Idle connection timeout, 1-3600 seconds (default 60).'}),
  tag: Flags.string({multiple: true, description: 'A tag, key=value, repeatable.'}),
  rollback: Flags.boolean({
    allowNo: true,
    default: true,
    description: 'On failure, delete what this run created (--no-rollback keeps it and prints what remains).',
  }),
}

export default class Create extends ElbxCommand<typeof Create> {
  static override summary =
    'Create a Classic Load Balancer with its listeners, certificate, security group, attributes and tags.'
  static override description =
    "Checks every flag and file before the first AWS request, then runs the seed's steps: network, certificate upload, security group, load balancer and listeners, attributes, tags. A rerun with the same flags changes nothing; a failure deletes what the run created."
  static override examples = [
    '<%= config.bin %> create --name my-loadbalancer --https --certificate-file cert.pem --private-key-file key.pem',
    '<%= config.bin %> create -n my-loadbalancer --https --certificate arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012 --subnets subnet-0a1b2c3d,subnet-4e5f6a7b',
    '<%= config.bin %> create -n api --listener tcp:5000:tcp:5000 --scheme internal --subnets subnet-0a1b2c3d',
  ]
  static override flags = createFlags

  public async run(): Promise<CreateResult> {
    const request = checkCreateFlags(this.flags)
    const name = request.name ?? (await this.askName())
    const input = completeCreateInput(request, name)

    const rollback = new Rollback()
    const ctx: CreateContext = {
      input,
      gateways: await this.aws(),
      rollback,
      signal: this.interrupt.signal,
    }
    await runWithRollback(
      rollback,
      async () => {
        await runTasks(this.ui, createTasks(), ctx, this.interrupt.signal)
        // Ctrl-C during the last request: undo like any other interruption.
        throwIfInterrupted(this.interrupt.signal)
      },
      {enabled: input.rollback, step: 'create', report: (lines) => lines.forEach((l) => this.ui.info(l))},
    )
    const result = createResult(ctx)
    this.printSummary(result)
    return result
  }

  private async askName(): Promise<string> {
    if (!this.ui.interactive) {
      throw new InvalidInputError(
        'Missing --name: the load balancer needs a name.',
        'Pass --name NAME (1-32 letters, digits and hyphens).',
      )
    }
    return promptLoadBalancerName(this.interrupt.signal)
  }

  private printSummary(r: CreateResult): void {
    const created = r.createdResources.length
      ? `created ${r.createdResources.map((c) => `${c.kind} ${c.id}`).join(', ')}`
      : 'already in place, nothing changed'
    this.log(r.dnsName)
    this.log('')
    this.log(`Load balancer ${r.name} (${r.scheme}), ${created}.`)
    for (const l of r.listeners)
      this.log(`  listener      ${formatListener(l)}${l.sslCertificateId ? `  ${l.sslCertificateId}` : ''}`)
    this.log(
      `  network       ${r.vpcId ?? 'default'}: ${r.subnets.length ? r.subnets.join(', ') : r.availabilityZones.join(', ')}`,
    )
    this.log(`  security      ${r.securityGroups.join(', ') || 'default'}`)
    this.log(`  attributes    ${describeAttributes(r.attributes)}`)
    if (r.tags.length) this.log(`  tags          ${r.tags.map((t) => `${t.key}=${t.value}`).join(', ')}`)
  }
}
