/**
 * The console's "Create Load Balancer" wizard for a terminal: asks for what the flags left out,
 * in the seed's order, then shows a review to confirm. Prompts draw on stderr; never without a TTY.
 */
import {existsSync} from 'node:fs'

import type {Gateways} from '../aws/gateways.js'
import {InterruptedError, InvalidInputError} from '../errors.js'
import type {Listener, Subnet} from '../model.js'
import {PREDEFINED_SSL_POLICIES, RECOMMENDED_SSL_POLICY} from '../policy/predefined-ssl-policies.js'
import type {Ui} from '../ui/output.js'
import {parseHealthCheckTarget} from '../validate/health-check.js'
import {formatListener, isSecure, parseListener, seedListeners} from '../validate/listener.js'
import {inquirer} from './inquirer.js'
import {promptForInstances} from './instances.js'
import {promptLoadBalancerName} from './load-balancer-name.js'

/** The create flags the wizard may fill in (a subset of the command's flags, as oclif parses them). */
export interface WizardFlags {
  name?: string
  https?: boolean
  'backend-https'?: boolean
  listener?: string[]
  certificate?: string
  'certificate-file'?: string
  'private-key-file'?: string
  'chain-file'?: string
  subnets?: string[]
  'availability-zones'?: string[]
  'ssl-policy'?: string
  'ssl-protocols'?: string
  'ssl-ciphers'?: string
  'backend-auth-cert'?: string[]
  'health-check'?: string
  instances?: string[]
}

export interface MissingFlag {
  flag: string
  why: string
}

/** The listeners the flags ask for, as far as they parse (bad ones are reported by validation later). */
function requestedListeners(flags: WizardFlags): Listener[] {
  const listeners: Listener[] = flags.https
    ? seedListeners({backendHttps: Boolean(flags['backend-https'])})
    : []
  for (const raw of flags.listener ?? []) {
    try {
      listeners.push(parseListener(raw))
    } catch {
      // validation names the bad listener with its rule
    }
  }
  return listeners
}

/** What create cannot run without: a name, a listener, and a certificate for HTTPS/SSL listeners. */
export function missingRequiredFlags(flags: WizardFlags): MissingFlag[] {
  const missing: MissingFlag[] = []
  if (flags.name === undefined) missing.push({flag: '--name', why: 'the load balancer needs a name'})
  const listeners = requestedListeners(flags)
  if (!flags.https && !(flags.listener ?? []).length) {
    missing.push({flag: '--https (or --listener)', why: 'no listener was given'})
  }
  const needsCertificate = listeners.filter((l) => isSecure(l.protocol) && !l.sslCertificateId)
  if (needsCertificate.length && flags.certificate === undefined && flags['certificate-file'] === undefined) {
    missing.push({
      flag: '--certificate (or --certificate-file and --private-key-file)',
      why: `listener ${needsCertificate.map(formatListener).join(' and ')} needs a certificate`,
    })
  }
  return missing
}

export interface WizardContext {
  gateways: Gateways
  ui: Ui
  signal?: AbortSignal
}

const fileProblem = (path: string) => (existsSync(path.trim()) ? true : `No such file: ${path.trim()}`)

/** Runs the wizard and returns the flags completed with the answers; the review must be confirmed. */
export async function runCreateWizard<F extends WizardFlags>(flags: F, ctx: WizardContext): Promise<F> {
  const {confirm, input, select} = await inquirer()
  const context = {output: process.stderr, ...(ctx.signal ? {signal: ctx.signal} : {})}
  const answers: WizardFlags = {...flags}
  ctx.ui.info(
    ctx.ui.colors.bold('Create a Classic Load Balancer') +
      ' (Ctrl-C to stop; nothing is created before the review)',
  )

  answers.name ??= await promptLoadBalancerName(ctx.signal)

  if (!answers.https && !(answers.listener ?? []).length) {
    const kind = await select(
      {
        message: 'Listeners',
        choices: [
          {
            value: 'https',
            name: "HTTP 80 -> 80 and HTTPS 443 -> HTTP 80 (the guide's; TLS ends at the load balancer)",
          },
          {
            value: 'backend-https',
            name: 'HTTP 80 -> 80 and HTTPS 443 -> HTTPS 443 (encrypted to the instances; allows back-end authentication)',
          },
          {value: 'http', name: 'HTTP 80 -> 80 only'},
        ],
      },
      context,
    )
    if (kind === 'http') answers.listener = ['http:80:http:80']
    else {
      answers.https = true
      answers['backend-https'] = kind === 'backend-https'
    }
  }
  const listeners = requestedListeners(answers)
  const secure = listeners.some((l) => isSecure(l.protocol))

  if (secure && answers.certificate === undefined && answers['certificate-file'] === undefined) {
    await askCertificate(answers, ctx, context)
  }

  if (!answers.subnets?.length && !answers['availability-zones']?.length) {
    answers.subnets = await askSubnets(ctx, context)
  }

  if (secure && !answers['ssl-policy'] && !answers['ssl-protocols'] && !answers['ssl-ciphers']) {
    answers['ssl-policy'] = await select(
      {
        message: 'SSL security policy',
        default: RECOMMENDED_SSL_POLICY,
        choices: PREDEFINED_SSL_POLICIES.map((p) => ({
          value: p.name,
          name: p.name === RECOMMENDED_SSL_POLICY ? `${p.name} (recommended: TLS 1.2 only)` : p.name,
        })),
      },
      context,
    )
  }

  const secureBackend = listeners.find((l) => isSecure(l.instanceProtocol))
  if (secureBackend && !(answers['backend-auth-cert'] ?? []).length) {
    const enable = await confirm(
      {
        message: `Enable back-end authentication on instance port ${secureBackend.instancePort}?`,
        default: false,
      },
      context,
    )
    if (enable) {
      const path = await input(
        {message: 'Certificate (or public key) file the instances present', validate: fileProblem},
        context,
      )
      answers['backend-auth-cert'] = [path.trim()]
    }
  }

  if (answers['health-check'] === undefined) {
    const first = listeners[0]
    const suggested = first
      ? isSecure(first.instanceProtocol) || first.instanceProtocol === 'HTTP'
        ? `${first.instanceProtocol}:${first.instancePort}/`
        : `${first.instanceProtocol}:${first.instancePort}`
      : 'HTTP:80/'
    answers['health-check'] = (
      await input(
        {
          message: 'Health check target (the instances must answer 200 there)',
          default: suggested,
          validate: (value) => {
            try {
              parseHealthCheckTarget(value)
              return true
            } catch (error) {
              return (error as Error).message
            }
          },
        },
        context,
      )
    ).trim()
  }

  if (!(answers.instances ?? []).length) {
    const vpcId = await vpcOf(answers, ctx)
    const candidates = vpcId ? await ctx.gateways.ec2.listInstances({vpcId, states: ['running']}) : []
    if (candidates.length) {
      answers.instances = await promptForInstances(candidates, {
        loadBalancerName: answers.name,
        registered: [],
        ...(ctx.signal ? {signal: ctx.signal} : {}),
      })
    } else {
      ctx.ui.info(
        `No running instances in ${vpcId ?? 'that network'}; register them later with \`elbx register\`.`,
      )
    }
  }

  ctx.ui.info('')
  ctx.ui.info(ctx.ui.colors.bold('Review'))
  for (const line of reviewLines(answers)) ctx.ui.info(`  ${line}`)
  const go = await confirm({message: 'Create the load balancer?', default: true}, context)
  if (!go) throw new InterruptedError('Cancelled at the review: nothing was created.')
  return {...flags, ...answers}
}

async function askCertificate(
  answers: WizardFlags,
  ctx: WizardContext,
  context: {output: NodeJS.WritableStream; signal?: AbortSignal},
): Promise<void> {
  const {input, select} = await inquirer()
  const [acm, iam] = await Promise.all([
    ctx.gateways.acm.listCertificates(),
    ctx.gateways.iam.listServerCertificates(),
  ])
  const choice = await select(
    {
      message: 'Certificate for the HTTPS listener',
      choices: [
        ...acm.map((c) => ({
          value: c.arn,
          name: `ACM  ${c.domainName ?? c.arn}${c.status ? ` (${c.status})` : ''}`,
        })),
        ...iam.map((c) => ({
          value: c.arn,
          name: `IAM  ${c.name}${c.expiration ? ` (expires ${c.expiration.slice(0, 10)})` : ''}`,
        })),
        {value: 'upload', name: 'Upload certificate files to IAM'},
      ],
    },
    context,
  )
  if (choice !== 'upload') {
    answers.certificate = choice
    return
  }
  answers['certificate-file'] = (
    await input({message: 'Certificate file (PEM)', validate: fileProblem}, context)
  ).trim()
  answers['private-key-file'] = (
    await input({message: 'Private key file (PEM; never printed)', validate: fileProblem}, context)
  ).trim()
  const chain = (
    await input(
      {
        message: 'Certificate chain file (PEM; empty for none)',
        validate: (v) => (v.trim() ? fileProblem(v) : true),
      },
      context,
    )
  ).trim()
  if (chain) answers['chain-file'] = chain
}

/** Subnets listed with their zones, grouped by VPC; the default VPC's are ticked. One VPC, one per zone. */
async function askSubnets(
  ctx: WizardContext,
  context: {output: NodeJS.WritableStream; signal?: AbortSignal},
): Promise<string[]> {
  const {checkbox} = await inquirer()
  const [subnets, defaults] = await Promise.all([
    ctx.gateways.ec2.describeSubnets({}),
    ctx.gateways.ec2.describeVpcs({isDefault: true}),
  ])
  if (subnets.length === 0)
    throw new InvalidInputError('The region has no subnets: create a VPC with subnets first.')
  const defaultVpc = defaults[0]?.vpcId
  const sorted = [...subnets].sort(
    (a, b) => a.vpcId.localeCompare(b.vpcId) || a.availabilityZone.localeCompare(b.availabilityZone),
  )
  return checkbox(
    {
      message: 'Subnets (one VPC, at most one per Availability Zone; two or more zones for availability)',
      choices: sorted.map((s) => ({
        value: s.subnetId,
        name: `${s.subnetId}  ${s.availabilityZone.padEnd(12)}  ${s.vpcId}${s.vpcId === defaultVpc ? ' (default VPC)' : ''}${s.cidrBlock ? `  ${s.cidrBlock}` : ''}`,
        checked: s.vpcId === defaultVpc && s.defaultForAz,
      })),
      pageSize: 15,
      validate: (chosen) =>
        subnetChoiceProblem(chosen.map((c) => subnets.find((s) => s.subnetId === c.value)!)) ?? true,
    },
    context,
  )
}

/** Why a set of subnets cannot be a load balancer's, or undefined. */
export function subnetChoiceProblem(chosen: Subnet[]): string | undefined {
  if (chosen.length === 0) return 'Choose at least one subnet.'
  if (new Set(chosen.map((s) => s.vpcId)).size > 1) return 'Choose subnets of one VPC.'
  const zones = chosen.map((s) => s.availabilityZone)
  const twice = zones.find((z, i) => zones.indexOf(z) !== i)
  return twice
    ? `Two subnets in ${twice}: a load balancer takes at most one subnet per Availability Zone.`
    : undefined
}

async function vpcOf(answers: WizardFlags, ctx: WizardContext): Promise<string | undefined> {
  if (answers.subnets?.length) {
    const [first] = await ctx.gateways.ec2.describeSubnets({subnetIds: [answers.subnets[0]!]})
    return first?.vpcId
  }
  return (await ctx.gateways.ec2.describeVpcs({isDefault: true}))[0]?.vpcId
}

/** The console's Review page, as lines. */
function reviewLines(a: WizardFlags): string[] {
  const listeners = requestedListeners(a)
  return [
    `name            ${a.name}`,
    ...listeners.map(
      (l) => `listener        ${l.protocol} ${l.loadBalancerPort} -> ${l.instanceProtocol} ${l.instancePort}`,
    ),
    ...(a.certificate ? [`certificate     ${a.certificate}`] : []),
    ...(a['certificate-file']
      ? [`certificate     upload ${a['certificate-file']} (key ${a['private-key-file']})`]
      : []),
    `subnets         ${a.subnets?.join(', ') ?? a['availability-zones']?.join(', ') ?? 'default VPC'}`,
    ...(a['ssl-policy'] ? [`ssl policy      ${a['ssl-policy']}`] : []),
    ...((a['backend-auth-cert'] ?? []).length
      ? [`backend auth    ${a['backend-auth-cert']!.join(', ')}`]
      : []),
    ...(a['health-check'] ? [`health check    ${a['health-check']}`] : []),
    `instances       ${(a.instances ?? []).join(', ') || 'none'}`,
    'attributes      cross-zone on, connection draining 300 s, idle timeout 60 s (unless flags say otherwise)',
  ]
}
