import {resolve} from 'node:path'

import {Flags, type Interfaces} from '@oclif/core'

import {DryRunRecorder} from '../aws/dry-run.js'
import {ElbxCommand} from '../base-command.js'
import {ConfirmationDeclinedError, ElbxError, InvalidInputError, throwIfInterrupted} from '../errors.js'
import {certificateFlags, loadBalancerNameFlag, waitFlags} from '../flags.js'
import {backendAuthFlags} from '../flags/backend-auth.js'
import {healthCheckFlags} from '../flags/health-check.js'
import {sslPolicyFlags} from '../flags/ssl-policy.js'
import {
  WAIT_MODES,
  type HealthCheck,
  type InstanceHealth,
  type Listener,
  type Scheme,
  type Tag,
} from '../model.js'
import {sslPolicySpecWarnings} from '../policy/predefined-ssl-policies.js'
import {missingRequiredFlags, runCreateWizard} from '../prompts/create-wizard.js'
import {describeAttributes} from '../steps/attributes.js'
import {
  answered,
  applyTasks,
  dnsNameOf,
  observeTask,
  startApply,
  watchTasks,
  type CreateRun,
} from '../steps/engine/create-flow.js'
import {checkDesired, desiredFromCreate} from '../steps/engine/desired.js'
import {specFromDesired} from '../steps/engine/spec.js'
import {
  planEntry,
  recordPlan,
  restoreRequests,
  type PlanEntry,
  type RecordedRequest,
} from '../steps/engine/render.js'
import {Rollback, runWithRollback} from '../steps/rollback.js'
import {DEFAULT_SSL_POLICY} from '../steps/ssl-policy.js'
import {verificationFailure, type VerifyReport} from '../steps/verify/index.js'
import {confirmAction} from '../prompts/confirm.js'
import type {DesiredAttributes} from '../validate/attributes.js'
import {toAwsCliCommand} from '../ui/aws-cli-command.js'
import {dryRunCommands} from '../ui/plan.js'
import {renderChecklist} from '../ui/checklist.js'
import {instanceLine} from '../ui/instance-progress.js'
import {runTasks} from '../ui/tasks.js'
import {
  checkCreateFlags,
  checkCreateInputRegion,
  checkGivenCreateValues,
  completeCreateInput,
} from '../validate/create-input.js'
import {checkFilePath} from '../validate/file-path.js'
import {formatListener} from '../validate/listener.js'
import {writeSpec} from './export.js'
import {checkGivenWorkflowValues, checkWorkflowFlags} from '../validate/workflow-input.js'

/** Flags of `elbx create` (exported so the full workflow can extend the same set). */
export const createFlags = {
  name: loadBalancerNameFlag(),
  https: Flags.boolean({
    description: "The AWS guide's listeners: HTTP 80 -> HTTP 80 and HTTPS 443 -> HTTP 80.",
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
  ...certificateFlags(),
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

const SSL = 'SSL POLICY'
const BACKEND = 'BACK-END AUTHENTICATION'
const HEALTH = 'HEALTH CHECK'
const INSTANCES = 'INSTANCES'
const RUN = 'RUN'

/** The rest of the AWS guide's workflow: SSL policy, back-end authentication, health check, instances, verify. */
export const workflowFlags = {
  ...sslPolicyFlags({helpGroup: SSL, defaultPolicy: DEFAULT_SSL_POLICY}),
  ...backendAuthFlags({
    helpGroup: BACKEND,
    description:
      'Certificate (or public key) the instances present, repeatable; needs an HTTPS/SSL instance protocol (--backend-https).',
  }),
  ...healthCheckFlags({helpGroup: HEALTH}),
  instances: Flags.string({
    char: 'i',
    multiple: true,
    helpGroup: INSTANCES,
    description: 'EC2 instances to register, comma-separated or repeated.',
  }),
  wait: Flags.option({
    options: WAIT_MODES,
    helpGroup: INSTANCES,
    description: 'Wait until any instance is InService (default with --instances), all of them, or none.',
  })(),
  'wait-timeout': waitFlags()['wait-timeout'],
  verify: Flags.boolean({
    helpGroup: RUN,
    description: 'Verify the load balancer at the end (as `elbx verify`; exit 4 when a check fails).',
  }),
  'connect-to': Flags.string({
    helpGroup: RUN,
    multiple: true,
    description: 'With --verify: HOST1:PORT1:HOST2:PORT2, as in curl and `elbx verify`.',
  }),
  insecure: Flags.boolean({
    helpGroup: RUN,
    description: 'With --verify: do not fail on an untrusted certificate chain.',
  }),
  'dry-run': Flags.boolean({
    helpGroup: RUN,
    description:
      'Check everything and print the plan as the aws CLI commands that would carry it out; change nothing.',
  }),
  'export-spec': Flags.string({
    helpGroup: RUN,
    description:
      'With --dry-run: also write the spec create would apply to this file (YAML, or JSON for .json), for `elbx apply -f`.',
    dependsOn: ['dry-run'],
  }),
}

/** `--json` result of `elbx create`: the load balancer, then what the later steps did. */
export interface CreateWorkflowResult {
  name: string
  dnsName: string
  scheme: Scheme
  vpcId: string | null
  subnets: string[]
  availabilityZones: string[]
  securityGroups: string[]
  listeners: Listener[]
  attributes: DesiredAttributes
  tags: Tag[]
  /** What this run created (empty on a rerun that changed nothing). */
  createdResources: {kind: string; id: string}[]
  sslPolicies: {
    loadBalancerPort: number
    policyName: string
    status: string
    reference?: string
    default: boolean
  }[]
  backendAuthentication: {
    instancePort: number
    policyName: string
    publicKeyPolicies: string[]
    status: string
  }[]
  healthCheck: HealthCheck | null
  instances: InstanceHealth[]
  registered: string[]
  warnings: string[]
  /** What this run sent: each action of the plan (empty on a rerun that changed nothing). */
  plan: PlanEntry[]
  verification?: VerifyReport
}

/** `--json` result of `elbx create --dry-run`. */
export interface CreatePlanResult {
  dryRun: true
  plan: RecordedRequest[]
}

const createCommandFlags = {...createFlags, ...workflowFlags}
type CreateFlags = Interfaces.InferredFlags<(typeof ElbxCommand)['baseFlags'] & typeof createCommandFlags>

export default class Create extends ElbxCommand<typeof Create> {
  static override summary =
    "Create a Classic Load Balancer with an HTTPS listener and run the AWS guide's whole workflow: certificate, security group, listeners, SSL policy, back-end authentication, health check, attributes, tags, instances, wait, verify."
  static override description = `Checks every flag and file before the first AWS request, then runs the steps in the AWS guide's order. Each step is also a command of its own (policy ssl, policy backend-auth, health, register, verify). A rerun with the same flags changes nothing and reports each step as unchanged. A failure (or Ctrl-C) deletes what the run created, in reverse order, unless --no-rollback; a failed --verify keeps the load balancer and exits 4.

With an HTTPS or SSL listener and no SSL policy flags, elbx attaches ${DEFAULT_SSL_POLICY} explicitly: the guide recommends the latest predefined policy.

In a terminal, anything required that is missing is asked for (name, listeners, certificate, subnets, SSL policy, back-end authentication, health check, instances), then a review to confirm. Without one, missing values are exit 2, listing every missing flag. See docs/create.md.`
  static override examples = [
    '<%= config.bin %> create --name my-loadbalancer --https --certificate-file cert.pem --private-key-file key.pem --health-check HTTP:80/ping --instances i-4f8cf126,i-0bb7ca62',
    '<%= config.bin %> create -n my-loadbalancer --https --backend-https --certificate arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012 --backend-auth-cert instance.pem --ssl-policy ELBSecurityPolicy-TLS-1-2-2017-01 --instances i-4f8cf126 --wait all --verify',
    '<%= config.bin %> create -n my-loadbalancer --https --certificate ARN --availability-zones us-west-2a --dry-run',
    '<%= config.bin %> create -n api --listener tcp:5000:tcp:5000 --scheme internal --subnets subnet-0a1b2c3d',
  ]
  static override flags = createCommandFlags

  public async run(): Promise<CreateWorkflowResult | CreatePlanResult> {
    const flags = await this.completeFlags()
    const request = checkCreateFlags(flags)
    const input = completeCreateInput(request, need(request.name ?? flags.name, '--name'))
    const workflow = checkWorkflowFlags(flags, input.listeners)
    // Before anything is uploaded: a weak certificate is the user's call, but browsers will refuse it.
    if (input.certificate?.kind === 'upload')
      for (const w of input.certificate.checked.warnings ?? []) this.ui.warn(w)
    for (const key of workflow.backendAuth) if (key.note) this.ui.warn(key.note)
    if (workflow.ssl.spec) for (const w of sslPolicySpecWarnings(workflow.ssl.spec)) this.ui.warn(w)

    const dryRun = flags['dry-run'] ? new DryRunRecorder() : undefined
    const gateways = await this.aws(dryRun ? {dryRun} : {})
    // The Region is known now, before any request: an ACM certificate must be of it.
    checkCreateInputRegion(input, gateways.region)
    const desired = checkDesired(desiredFromCreate(input, workflow))
    const rollback = new Rollback()
    const run: CreateRun = {
      desired,
      gateways,
      rollback,
      outputs: new Map(),
      signal: this.interrupt.signal,
      waitFor: workflow.wait,
      ...(workflow.verify ? {verify: workflow.verify} : {}),
    }
    // Every read, before any write: what AWS refuses is found here, with nothing changed.
    await runTasks(this.ui, [observeTask], run, this.interrupt.signal)
    const plan = need(run.plan, 'the plan')
    if (dryRun) {
      const requests = await recordPlan(plan.actions, desired, gateways, dryRun)
      if (flags['export-spec']) this.exportSpec(flags['export-spec'], run, flags)
      return this.printPlan(requests, flags, gateways.region)
    }
    if (plan.outcome.existing && plan.actions.length) await this.confirmChanges(run)
    try {
      await runWithRollback(
        rollback,
        async () => {
          startApply(run)
          try {
            await runTasks(this.ui, applyTasks(), run, this.interrupt.signal)
          } finally {
            // Requests in flight finish first, so the rollback sees everything they created.
            await run.applying?.catch(() => {})
          }
          await run.applying
          // Ctrl-C during the last request: undo like any other interruption.
          throwIfInterrupted(this.interrupt.signal)
        },
        {enabled: input.rollback, step: 'create', report: (lines) => lines.forEach((l) => this.ui.info(l))},
      )
    } catch (error) {
      this.reportChangesInPlace(run)
      throw error
    }
    for (const w of plan.outcome.warnings) this.ui.warn(w)
    const result = this.workflowResult(run)
    try {
      await runTasks(this.ui, watchTasks(), run, this.interrupt.signal)
    } catch (error) {
      // Waiting only watches: the load balancer is complete, so it stays, with the way to go on.
      throw this.keptAfterWait(error, result)
    }
    if (run.wait) result.instances = run.wait.states
    this.printSummary(result)
    if (run.verification) {
      result.verification = run.verification
      this.log('')
      this.log(renderChecklist(run.verification, {table: false, colors: this.ui.colors}))
      // The load balancer is as asked; what failed is traffic. Keep it and say what to fix.
      if (!run.verification.passed) {
        this.resultDespiteFailure = result
        throw verificationFailure(run.verification)
      }
    }
    return result
  }

  /**
   * A change to a load balancer that exists is shown first, and made only once confirmed: in a
   * terminal by asking, in scripts with --yes. Without either nothing changes (as destroy does).
   */
  private async confirmChanges(run: CreateRun): Promise<void> {
    const plan = need(run.plan, 'the plan')
    const lines = [
      `Load balancer ${run.desired.name} exists in ${run.gateways.region}; create changes it in place:`,
    ]
    for (const a of plan.actions)
      lines.push(
        `  ${a.call.operation} ${a.target}: ${a.why}${a.interruptsTraffic ? ' (INTERRUPTS TRAFFIC)' : ''}`,
      )
    if (this.flags.yes) {
      this.ui.info(lines.join('\n'))
      return
    }
    if (!this.ui.interactive) {
      throw new InvalidInputError(
        `Refusing to change the existing load balancer ${run.desired.name} without confirmation: there is no terminal to ask in. Nothing was changed.`,
        'Pass --yes to apply the changes (--dry-run prints them as aws CLI commands).',
        {plan: plan.actions.map(planEntry)},
      )
    }
    this.ui.info(lines.join('\n'))
    if (!(await confirmAction(`Change ${run.desired.name}?`, this.interrupt.signal)))
      throw new ConfirmationDeclinedError('Not confirmed: nothing was changed.')
  }

  /** After a failure: the changes already made in place, and the aws CLI commands that put the previous values back. */
  private reportChangesInPlace(run: CreateRun): void {
    const changed = run.applied?.changedInPlace ?? []
    if (changed.length === 0) return
    const restore = restoreRequests(changed)
    this.ui.info('Changed in place before the failure (not rolled back); to put the previous values back:')
    for (const request of restore)
      this.ui.info(`  ${toAwsCliCommand(request)} --region ${run.gateways.region}`)
  }

  /** A wait that timed out or was interrupted: the error, with each instance's state and how to resume. */
  private keptAfterWait(error: unknown, result: CreateWorkflowResult): unknown {
    if (!(error instanceof ElbxError) || !['Wait for InService'].includes(String(error.details?.step)))
      return error
    const instances = (error.details?.instances as InstanceHealth[] | undefined) ?? []
    for (const i of instances) this.ui.info(`  ${instanceLine(i)}`)
    const resume = `elbx register --name ${result.name} --instances ${result.registered.length ? result.registered.join(',') : '...'} --wait ${this.flags.wait ?? 'any'}`
    this.ui.info(
      `Load balancer ${result.name} is kept (${result.dnsName}). Resume the wait with \`${resume}\`, or see the states with \`elbx health --name ${result.name}\`.`,
    )
    this.resultDespiteFailure = result
    return new ElbxError(error.message, error.exitCode, error.hint, {...error.details, kept: true, resume})
  }

  /**
   * Fills what is missing: in a terminal (without --yes) by asking, as the console's wizard does;
   * otherwise one error listing every missing flag.
   */
  private async completeFlags(): Promise<CreateFlags> {
    // A bad value is news before a missing one (and before any prompt).
    checkGivenCreateValues(this.flags)
    const missing = missingRequiredFlags(this.flags)
    // Nothing missing: run() checks the workflow flags, files included, once.
    if (missing.length === 0) return this.flags
    checkGivenWorkflowValues(this.flags)
    if (!this.ui.interactive) {
      throw new InvalidInputError(
        `Missing ${missing.map((m) => m.flag).join(', ')}: ${missing.map((m) => m.why).join('; ')}.`,
        'Example: elbx create --name my-lb --https --certificate-file cert.pem --private-key-file key.pem (in a terminal, elbx asks for what is missing).',
        {missing: missing.map((m) => m.flag)},
      )
    }
    const gateways = await this.aws()
    return runCreateWizard(this.flags, {gateways, ui: this.ui, signal: this.interrupt.signal})
  }

  /** --export-spec: the desired state as a spec file, the certificate by its files' paths. */
  private exportSpec(path: string, run: CreateRun, flags: CreateFlags): void {
    const files = flags['certificate-file'] && flags['private-key-file']
    writeSpec(
      checkFilePath('--export-spec', path),
      specFromDesired(run.desired, {
        ...(files
          ? {
              certificateFiles: {
                certificateFile: resolve(flags['certificate-file']!),
                privateKeyFile: resolve(flags['private-key-file']!),
                ...(flags['chain-file'] ? {chainFile: resolve(flags['chain-file'])} : {}),
              },
            }
          : {}),
        ...(run.plan?.outcome.healthCheck ? {healthCheck: run.plan.outcome.healthCheck.healthCheck} : {}),
      }),
    )
    this.ui.info(`Wrote the spec to ${path} (\`elbx apply -f ${path}\` applies it).`)
  }

  private printPlan(requests: RecordedRequest[], flags: CreateFlags, region: string): CreatePlanResult {
    const {requests: plan, commands} = dryRunCommands(requests, {
      region,
      endpointUrl: flags['endpoint-url'],
      files: flags,
    })
    this.log('# The plan: these aws CLI commands, in this order, carry out the create (nothing was changed).')
    for (const command of commands) this.log(command)
    if (plan.length === 0) this.log('# Nothing to do: everything is in place already.')
    return {dryRun: true, plan}
  }

  private workflowResult(run: CreateRun): CreateWorkflowResult {
    const observed = need(run.observed, 'what exists')
    const outcome = need(run.plan, 'the plan').outcome
    return {
      name: run.desired.name,
      dnsName: dnsNameOf(run),
      scheme: run.desired.scheme,
      vpcId: observed.loadBalancer?.vpcId ?? observed.network.vpcId ?? null,
      subnets: observed.network.subnets,
      availabilityZones: observed.network.availabilityZones,
      securityGroups: outcome.securityGroups.map((g) => answered(g, run)),
      listeners: outcome.listeners.map((l) =>
        l.sslCertificateId ? {...l, sslCertificateId: answered(l.sslCertificateId, run)} : l,
      ),
      attributes: run.desired.attributes,
      tags: outcome.tags,
      createdResources: run.rollback.created.map((r) => ({kind: r.kind, id: r.id})),
      sslPolicies: outcome.sslPolicies.map((p) => ({
        loadBalancerPort: p.loadBalancerPort,
        policyName: p.policyName,
        status: p.status,
        ...(p.spec.kind === 'predefined' ? {reference: p.spec.name} : {}),
        default: p.isDefault,
      })),
      backendAuthentication: outcome.backendAuthentication,
      healthCheck: outcome.healthCheck?.healthCheck ?? null,
      instances: run.desired.instances.map((instanceId) => ({instanceId, state: 'Unknown' as const})),
      registered: outcome.registered,
      warnings: outcome.warnings,
      plan: need(run.plan, 'the plan').actions.map(planEntry),
    }
  }

  private printSummary(r: CreateWorkflowResult): void {
    const created = r.createdResources.length
      ? `created ${r.createdResources.map((c) => `${c.kind} ${c.id}`).join(', ')}`
      : 'already in place, nothing changed'
    this.log(r.dnsName)
    this.log('')
    this.log(`Load balancer ${r.name} (${r.scheme}), ${created}.`)
    for (const l of r.listeners)
      this.log(`  listener      ${formatListener(l)}${l.sslCertificateId ? `  ${l.sslCertificateId}` : ''}`)
    for (const p of r.sslPolicies)
      this.log(
        `  ssl policy    ${p.loadBalancerPort}: ${p.policyName}${p.reference ? ` (${p.reference})` : ''}`,
      )
    for (const b of r.backendAuthentication)
      this.log(`  backend auth  ${b.instancePort}: ${b.policyName} (${b.publicKeyPolicies.length} key(s))`)
    if (r.healthCheck) this.log(`  health check  ${r.healthCheck.target} every ${r.healthCheck.interval} s`)
    this.log(
      `  network       ${r.vpcId ?? 'default'}: ${r.subnets.length ? r.subnets.join(', ') : r.availabilityZones.join(', ')}`,
    )
    this.log(`  security      ${r.securityGroups.join(', ') || 'default'}`)
    this.log(`  attributes    ${describeAttributes(r.attributes)}`)
    if (r.tags.length) this.log(`  tags          ${r.tags.map((t) => `${t.key}=${t.value}`).join(', ')}`)
    for (const i of r.instances) this.log(`  instance      ${instanceLine(i)}`)
  }
}

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new InvalidInputError(`Missing ${what}.`)
  return value
}
