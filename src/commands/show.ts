import {ElbxCommand, LOAD_BALANCER, type Needs} from '../base-command.js'
import {loadBalancerNameFlag} from '../flags.js'
import {showLoadBalancer, type ShowResult} from '../steps/show.js'
import {stdoutStyle} from '../ui/output.js'
import {renderShow} from '../ui/show.js'

export type {ShowResult}

export default class Show extends ElbxCommand<typeof Show> {
  static override summary = 'Show everything about one load balancer at a glance.'

  static override description = `Reads the load balancer and everything around it, changing nothing: DNS name, scheme, VPC and subnets; its security groups and their inbound rules for the listener ports; each listener with its certificate (IAM or ACM; subject, names, issuer, days to expiry, key and SHA-256 fingerprint, read from the certificate itself) and its policies resolved to what they enable (reference policy, protocols, ciphers, server order; AWS's default ELBSecurityPolicy-2016-08 named as such when the listener has none), and cookie stickiness; back-end authentication per instance port with each public key's fingerprint, and proxy protocol; the health check; each instance's health with its reason; attributes; tags.

In a terminal the result is laid out in sections with a listener table; in a pipe it is one fact per line ("listeners: 443 expires: 29 days (2027-01-01)"). --json prints the document described in docs/show.md. Warnings (a certificate that expires within 30 days, TLS 1.0 enabled, a listener port no security group admits) go to stderr.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb',
    '<%= config.bin %> <%= command.id %> --name my-lb --json',
    "<%= config.bin %> <%= command.id %> --name my-lb | grep 'expires'",
  ]

  static override flags = {
    name: loadBalancerNameFlag(),
  }

  static override needs: Needs = {flags: {name: LOAD_BALANCER}, example: '--name my-lb'}

  public async run(): Promise<ShowResult> {
    const loadBalancerName = await this.loadBalancerName()
    const result = await showLoadBalancer(await this.aws(), loadBalancerName)
    for (const w of result.warnings) this.ui.warn(w)
    this.log(
      renderShow(result, {
        ...stdoutStyle(this.flags.color),
        ...(process.stdout.columns ? {width: process.stdout.columns} : {}),
      }),
    )
    return result
  }
}
