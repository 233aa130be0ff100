/**
 * A plan as people read it: before confirming, one line per request with what it acts on and
 * why; for --dry-run, the aws CLI commands that carry it out, runnable as printed (the ARN of a
 * certificate an earlier line uploads is looked up when the line runs; the certificate files are
 * named, never their contents).
 */
import {resolve} from 'node:path'

import {DRY_RUN_SECURITY_GROUP_ID, dryRunCertificateArn, type PlannedRequest} from '../aws/dry-run.js'
import type {Action} from '../steps/engine/plan.js'
import {toAwsCliCommand} from './aws-cli-command.js'

/** "  SetLoadBalancerListenerSSLCertificate listener 443 of web: swap ... (INTERRUPTS TRAFFIC)" */
export function planLines(actions: Action[]): string[] {
  return actions.map(
    (a) => `  ${a.call.operation} ${a.target}: ${a.why}${a.interruptsTraffic ? ' (INTERRUPTS TRAFFIC)' : ''}`,
  )
}

/** The files an upload names, as the user gave them. */
export interface CertificateFileFlags {
  'certificate-file'?: string | undefined
  'private-key-file'?: string | undefined
  'chain-file'?: string | undefined
}

/** IAM's parameters point at the user's files, so the command runs as printed and shows no key. */
function withCertificateFiles<T extends PlannedRequest>(request: T, files: CertificateFileFlags): T {
  if (request.operation !== 'UploadServerCertificate') return request
  const file = (path: string | undefined) => (path ? `file://${resolve(path)}` : undefined)
  return {
    ...request,
    parameters: {
      ...request.parameters,
      CertificateBody: file(files['certificate-file']),
      PrivateKey: file(files['private-key-file']),
      ...(files['chain-file'] ? {CertificateChain: file(files['chain-file'])} : {}),
    },
  }
}

/**
 * Shell lookups for what a dry run could only make up: the ARN of the certificate and the ID of the
 * security group earlier lines create, so each line runs as printed.
 */
function placeholderLookups(requests: PlannedRequest[], target: string): [string, string][] {
  const lookups: [string, string][] = []
  for (const {operation, parameters} of requests) {
    if (operation === 'UploadServerCertificate') {
      const name = String(parameters.ServerCertificateName)
      lookups.push([
        dryRunCertificateArn(name),
        `"$(aws iam get-server-certificate --server-certificate-name ${name} --query ServerCertificate.ServerCertificateMetadata.Arn --output text ${target})"`,
      ])
    }
    if (operation === 'CreateSecurityGroup')
      lookups.push([
        DRY_RUN_SECURITY_GROUP_ID,
        `"$(aws ec2 describe-security-groups --filters Name=group-name,Values=${String(parameters.GroupName)} Name=vpc-id,Values=${String(parameters.VpcId)} --query 'SecurityGroups[0].GroupId' --output text ${target})"`,
      ])
  }
  return lookups
}

/** The plan's requests as aws CLI commands for this Region (and profile, and endpoint), in order. */
export function dryRunCommands<T extends PlannedRequest>(
  requests: T[],
  options: {
    region: string
    /** A named profile the commands must run as (an audit of several accounts). */
    profile?: string | undefined
    endpointUrl?: string | undefined
    files?: CertificateFileFlags
  },
): {requests: T[]; commands: string[]} {
  const target = [
    `--region ${options.region}`,
    ...(options.profile ? [`--profile ${options.profile}`] : []),
    ...(options.endpointUrl ? [`--endpoint-url ${options.endpointUrl}`] : []),
  ].join(' ')
  const shown = requests.map((r) => withCertificateFiles(r, options.files ?? {}))
  const lookups = placeholderLookups(shown, target)
  const commands = shown.map((r) => {
    let command = `${toAwsCliCommand(r)} ${target}`
    for (const [placeholder, lookup] of lookups) command = command.split(placeholder).join(lookup)
    return command
  })
  return {requests: shown, commands}
}
