import {Flags} from '@oclif/core'

import {LOAD_BALANCER, required, type Needs} from '../../base-command.js'
import {dryRunFlag} from '../../change-command.js'
import {InvalidInputError} from '../../errors.js'
import {certificateFlags, loadBalancerNameFlag} from '../../flags.js'
import {ListenerCommand, type ListenerChangeResult} from '../../listener-command.js'
import {defaultCertificateName} from '../../steps/certificate.js'
import {DEFAULT_SSL_POLICY} from '../../steps/ssl-policy.js'
import {checkCertificateArn, checkCertificateRegion} from '../../validate/certificate-arn.js'
import {certificateSource, type CertificateSource} from '../../validate/create-input.js'
import {LISTENER_SYNTAX, checkListeners, isSecure, parseListener} from '../../validate/listener.js'

export default class ListenerAdd extends ListenerCommand<typeof ListenerAdd> {
  static override summary =
    'Add a listener to an existing load balancer (or replace one whose protocols or instance port change), keeping the other listeners and their policies.'

  static override description = `Each --listener is created with CreateLoadBalancerListeners; the other listeners, and their policies, are left exactly as they are. A new HTTPS or SSL listener gets elbx's default SSL negotiation policy (${DEFAULT_SSL_POLICY}): without one, AWS attaches ELBSecurityPolicy-2016-08, which enables TLS 1.0. Its certificate comes from SSLCertificateId in the listener, --certificate, or files uploaded to IAM.

A listener whose port exists with other protocols or another instance port cannot be changed in place: it is deleted and created again, which interrupts its traffic (the plan says so), and it keeps the policies that fit its new protocol. The port is opened in the security group elbx made for the load balancer (from the sources that group admits already); a group elbx did not make is never changed, but a missing rule there is reported. The plan is shown first and applied once confirmed (--yes without a terminal). A rerun changes nothing. See docs/listener.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --listener https:8443:http:8080 --certificate arn:aws:iam::123456789012:server-certificate/my-cert',
    '<%= config.bin %> <%= command.id %> --name my-lb --listener tcp:5000:tcp:5000 --yes',
    '<%= config.bin %> <%= command.id %> --name my-lb --listener https:8443:http:8080 --certificate-file cert.pem --private-key-file key.pem --dry-run',
  ]

  static override needs: Needs = {
    flags: {name: LOAD_BALANCER, listener: required('which listener to add')},
    example: '--name my-lb --listener https:8443:http:8080 --certificate ARN',
  }

  static override flags = {
    name: loadBalancerNameFlag(),
    listener: Flags.string({
      char: 'l',
      multiple: true,
      description:
        'A listener, repeatable: https:8443:http:8080, or Protocol=https,LoadBalancerPort=8443,InstanceProtocol=http,InstancePort=8080[,SSLCertificateId=ARN].',
    }),
    ...certificateFlags(),
    'dry-run': dryRunFlag(),
  }

  public async run(): Promise<ListenerChangeResult> {
    // Everything the user typed is checked before the first request.
    const listeners = (this.flags.listener ?? []).map((l) => parseListener(l))
    for (const l of listeners)
      if (l.sslCertificateId) checkCertificateArn(l.sslCertificateId, '--listener SSLCertificateId')
    const certificate = certificateSource(this.flags, new Date())
    checkListeners(listeners, {certificateGiven: certificate !== undefined})
    if (certificate && !listeners.some((l) => isSecure(l.protocol) && !l.sslCertificateId))
      throw new InvalidInputError(
        'A certificate was given but no HTTPS or SSL listener uses it.',
        `Add an https or ssl --listener, or drop the certificate flags. ${LISTENER_SYNTAX}`,
      )
    if (certificate?.kind === 'upload') for (const w of certificate.checked.warnings ?? []) this.ui.warn(w)
    const loadBalancerName = await this.loadBalancerName()
    const source: CertificateSource | undefined =
      certificate?.kind === 'upload'
        ? {
            kind: 'upload',
            checked: certificate.checked,
            name:
              certificate.name ?? defaultCertificateName(loadBalancerName, certificate.checked.fingerprint),
          }
        : certificate
    return this.change(
      {kind: 'add', loadBalancerName, listeners, ...(source ? {certificate: source} : {})},
      this.flags['dry-run'],
      (region) => {
        // The Region is known once connected, before any request: an ACM certificate must be of it.
        if (source?.kind === 'arn') checkCertificateRegion(source.arn, region)
        for (const l of listeners)
          if (l.sslCertificateId)
            checkCertificateRegion(l.sslCertificateId, region, '--listener SSLCertificateId')
      },
    )
  }
}
