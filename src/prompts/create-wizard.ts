/**
 * The console's "Create Load Balancer" wizard for a terminal: asks for what the flags left out,
 * in the seed's order, then shows a review to confirm. Prompts draw on stderr; never without a TTY.
 */
import type {Gateways} from '../aws/gateways.js'
import {ConfirmationDeclinedError, InvalidInputError} from '../errors.js'
import type {Listener, Subnet} from '../model.js'
import {PREDEFINED_SSL_POLICIES, RECOMMENDED_SSL_POLICY} from '../policy/predefined-ssl-policies.js'
import {checkCertificateFiles} from '../pem/certificate.js'
import {publicKeyFromFile} from '../pem/public-key.js'
import type {Ui} from '../ui/output.js'
import {checkCreateFlags, type CreateFlagValues} from '../validate/create-input.js'
import {parseHealthCheckTarget} from '../validate/health-check.js'
import {formatListener, isSecure, parseListener, seedListeners} from '../validate/listener.js'
import {checkWorkflowFlags, type WorkflowFlagValues} from '../validate/workflow-input.js'
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
  /** The clock certificates are checked against (tests fix it). */
  now?: Date
}

type PromptContext = {output: NodeJS.WritableStream; signal?: AbortSignal}

/** True when `text` names the flag (`--certificate` is not named by `--certificate-file`). */
const names = (text: string, flag: string) => new RegExp(`${flag}(?![\\w-])`).test(text)

/**
 * A prompt validator's answer from one of the checks the flags get: true when it passes, the
 * message (and hint) otherwise. With `flag`, only a refusal about that flag counts: the
 * certificate question runs the certificate-and-key check before the key is known.
 */
function problemOf(check: () => unknown, flag?: string): true | string {
  try {
    check()
    return true
  } catch (error) {
    if (!(error instanceof InvalidInputError)) return (error as Error).message
    if (flag && !error.message.startsWith(`${flag} `) && !error.message.startsWith(`${flag}:`)) return true
    return error.hint ? `${error.message} ${error.hint}` : error.message
  }
}

/** One question of the wizard: what it fills in, when it is needed, and how it asks. */
interface Question {
  /** The flags its answer sets; cleared when the question is asked again. */
  flags: readonly (keyof WizardFlags)[]
  /** Whether it is needed, given the flags and the answers so far (false once one of its flags is set). */
  needed(answers: WizardFlags): boolean
  ask(answers: WizardFlags): Promise<void>
}

/** The wizard's questions in the seed's order; each answer is checked as it is given. */
function questions(ctx: WizardContext, context: PromptContext): Question[] {
  const now = ctx.now ?? new Date()
  const listenersOf = (a: WizardFlags) => requestedListeners(a)
  const secure = (a: WizardFlags) => listenersOf(a).some((l) => isSecure(l.protocol))
  return [
    {
      flags: ['name'],
      needed: (a) => a.name === undefined,
      ask: async (a) => {
        a.name = await promptLoadBalancerName(ctx.signal)
      },
    },
    {
      flags: ['https', 'backend-https', 'listener'],
      needed: (a) => !a.https && !(a.listener ?? []).length,
      ask: async (a) => {
        const {select} = await inquirer()
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
        if (kind === 'http') a.listener = ['http:80:http:80']
        else {
          a.https = true
          a['backend-https'] = kind === 'backend-https'
        }
      },
    },
    {
      flags: ['certificate', 'certificate-file', 'private-key-file', 'chain-file'],
      needed: (a) => secure(a) && a.certificate === undefined && a['certificate-file'] === undefined,
      ask: (a) => askCertificate(a, ctx, context, now),
    },
    {
      flags: ['subnets'],
      needed: (a) => !a.subnets?.length && !a['availability-zones']?.length,
      ask: async (a) => {
        a.subnets = await askSubnets(ctx, context)
      },
    },
    {
      flags: ['ssl-policy'],
      needed: (a) => secure(a) && !a['ssl-policy'] && !a['ssl-protocols'] && !a['ssl-ciphers'],
      ask: async (a) => {
        const {select} = await inquirer()
        a['ssl-policy'] = await select(
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
      },
    },
    {
      flags: ['backend-auth-cert'],
      needed: (a) =>
        listenersOf(a).some((l) => isSecure(l.instanceProtocol)) && !(a['backend-auth-cert'] ?? []).length,
      ask: async (a) => {
        const {confirm, input} = await inquirer()
        const port = listenersOf(a).find((l) => isSecure(l.instanceProtocol))!.instancePort
        const enable = await confirm(
          {message: `Enable back-end authentication on instance port ${port}?`, default: false},
          context,
        )
        if (!enable) return
        const path = await input(
          {
            message: 'Certificate (or public key) file the instances present',
            validate: (v) => problemOf(() => publicKeyFromFile('--backend-auth-cert', v.trim())),
          },
          context,
        )
        a['backend-auth-cert'] = [path.trim()]
      },
    },
    {
      flags: ['health-check'],
      needed: (a) => a['health-check'] === undefined,
      ask: async (a) => {
        const {input} = await inquirer()
        const first = listenersOf(a)[0]
        const suggested = first
          ? isSecure(first.instanceProtocol) || first.instanceProtocol === 'HTTP'
            ? `${first.instanceProtocol}:${first.instancePort}/`
            : `${first.instanceProtocol}:${first.instancePort}`
          : 'HTTP:80/'
        const target = await input(
          {
            message: 'Health check target (the instances must answer 200 there)',
            default: suggested,
            validate: (value) => problemOf(() => parseHealthCheckTarget(value)),
          },
          context,
        )
        a['health-check'] = target.trim()
      },
    },
    {
      flags: ['instances'],
      needed: (a) => !(a.instances ?? []).length,
      ask: async (a) => {
        const vpcId = await vpcOf(a, ctx)
        const candidates = vpcId ? await ctx.gateways.ec2.listInstances({vpcId, states: ['running']}) : []
        if (candidates.length) {
          a.instances = await promptForInstances(candidates, {
            loadBalancerName: a.name!,
            registered: [],
            ...(ctx.signal ? {signal: ctx.signal} : {}),
          })
        } else {
          ctx.ui.info(
            `No running instances in ${vpcId ?? 'that network'}; register them later with \`elbx register\`.`,
          )
        }
      },
    },
  ]
}

/** The flags of the create command that the wizard's full check reads. */
type CheckedFlags = WizardFlags & CreateFlagValues & WorkflowFlagValues

/**
 * Runs the wizard and returns the flags completed with the answers; the review must be confirmed.
 * Each answer is checked as it is given; after the review every flag and answer is checked
 * together as `create` checks its flags, and a refusal that names an answer asks that question
 * again (the others are kept) instead of ending the run.
 */
export async function runCreateWizard<F extends CheckedFlags>(flags: F, ctx: WizardContext): Promise<F> {
  const {confirm} = await inquirer()
  const context: PromptContext = {output: process.stderr, ...(ctx.signal ? {signal: ctx.signal} : {})}
  const answers: WizardFlags = {...flags}
  const all = questions(ctx, context)
  const asked = new Set<Question>()
  ctx.ui.info(
    ctx.ui.colors.bold('Create a Classic Load Balancer') +
      ' (Ctrl-C to stop; nothing is created before the review)',
  )
  for (;;) {
    for (const q of all) {
      if (asked.has(q) || !q.needed(answers)) continue
      await q.ask(answers)
      asked.add(q)
      forgetUnneededAnswers(all, asked, answers)
    }
    ctx.ui.info('')
    ctx.ui.info(ctx.ui.colors.bold('Review'))
    for (const line of reviewLines(answers)) ctx.ui.info(`  ${line}`)
    const go = await confirm({message: 'Create the load balancer?', default: true}, context)
    if (!go) throw new ConfirmationDeclinedError('Cancelled at the review: nothing was created.')
    const completed = {...flags, ...answers}
    const refusal = fullCheckRefusal(completed, ctx.now)
    if (!refusal) return completed
    const culprit = all.find((q) => asked.has(q) && q.flags.some((f) => names(refusal.text, `--${f}`)))
    // Nothing the wizard asked is to blame (a flag given on the command line): exit 2 as without it.
    if (!culprit) throw refusal.error
    ctx.ui.warn(refusal.text)
    ctx.ui.info('Asking again:')
    for (const f of culprit.flags) delete answers[f]
    asked.delete(culprit)
  }
}

/** An asked question whose answer is no longer needed (e.g. a certificate after "HTTP only") is forgotten. */
function forgetUnneededAnswers(all: Question[], asked: Set<Question>, answers: WizardFlags): void {
  for (const q of all) {
    if (!asked.has(q)) continue
    const without: WizardFlags = {...answers}
    for (const f of q.flags) delete without[f]
    if (q.needed(without)) continue
    for (const f of q.flags) delete answers[f]
    asked.delete(q)
  }
}

/** Every flag and answer checked together, as `create` will check them; the refusal, if any. */
function fullCheckRefusal(
  flags: CheckedFlags,
  now: Date | undefined,
): {error: InvalidInputError; text: string} | undefined {
  try {
    const request = checkCreateFlags(flags, now)
    checkWorkflowFlags(flags, request.listeners)
    return undefined
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error
    return {error, text: error.hint ? `${error.message} ${error.hint}` : error.message}
  }
}

async function askCertificate(
  answers: WizardFlags,
  ctx: WizardContext,
  context: PromptContext,
  now: Date,
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
  // The same check as --certificate-file, --private-key-file and --chain-file, one file at a
  // time: a private key given as the certificate is refused here, not after the review.
  const files = (certificateFile: string, privateKeyFile: string, chainFile?: string) => () =>
    checkCertificateFiles({certificateFile, privateKeyFile, ...(chainFile ? {chainFile} : {})}, now)
  const cert = (
    await input(
      {
        message: 'Certificate file (PEM)',
        validate: (v) => problemOf(files(v.trim(), v.trim()), '--certificate-file'),
      },
      context,
    )
  ).trim()
  const key = (
    await input(
      {
        message: 'Private key file (PEM; never printed)',
        validate: (v) => problemOf(files(cert, v.trim()), '--private-key-file'),
      },
      context,
    )
  ).trim()
  const chain = (
    await input(
      {
        message: 'Certificate chain file (PEM; empty for none)',
        validate: (v) => (v.trim() ? problemOf(files(cert, key, v.trim()), '--chain-file') : true),
      },
      context,
    )
  ).trim()
  answers['certificate-file'] = cert
  answers['private-key-file'] = key
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
