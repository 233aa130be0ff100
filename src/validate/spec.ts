/**
 * Reads a spec file (YAML or JSON: YAML 1.2 reads both) and checks it whole before any request:
 * first against the JSON Schema (types, unknown fields, enums, ID forms), then by the same rules
 * as create's flags (listener pairs, certificates, SSL policies, tags, health check). Every error
 * names the file, the line and the field (`lb.yaml:12: listeners[1].protocol ...`), exit 2.
 */
import {dirname, isAbsolute, resolve} from 'node:path'

import {Ajv, type ErrorObject} from 'ajv'
import {LineCounter, isMap, isNode, parseDocument, stringify, type Document} from 'yaml'

import {InvalidInputError} from '../errors.js'
import type {HealthCheck, Listener, Tag} from '../model.js'
import {checkCertificateFiles} from '../pem/certificate.js'
import {readInputFile} from '../pem/pem-file.js'
import {publicKeyFromFile, publicKeyFromPem} from '../pem/public-key.js'
import {SERVER_CERTIFICATE_NAME} from '../steps/certificate.js'
import type {DesiredAttributes} from './attributes.js'
import {checkCertificateArn} from './certificate-arn.js'
import {closestNames} from './closest-names.js'
import type {CertificateSource} from './create-input.js'
import {checkTimeoutBelowInterval, parseHealthCheckTarget} from './health-check.js'
import {checkListeners, isSecure, listenerProblem} from './listener.js'
import {checkLoadBalancerName} from './load-balancer-name.js'
import {checkScheme, type NetworkRequest} from './network.js'
import {SPEC_SCHEMA, type LoadBalancerSpec, type LoadBalancerSpecList} from './spec-schema.js'
import {
  checkPredefinedPolicyName,
  parseCiphers,
  parseProtocols,
  type ParsedSslPolicyFlags,
} from './ssl-policy.js'
import {parseTags} from './tags.js'

export type SslPolicy = NonNullable<ParsedSslPolicyFlags['spec']>

/** A spec, checked: every value in elbx's domain terms, files read, keys as AWS's PublicKey attributes. */
export interface CheckedSpec {
  name: string
  scheme: LoadBalancerSpec['scheme'] & string
  network: NetworkRequest
  securityGroups: string[]
  listeners: Listener[]
  /** The upload's name is final once known (default elbx-NAME-FINGERPRINT). */
  certificate?: CertificateSource | (CertificateSource & {kind: 'upload'; name?: string})
  /** Per HTTPS/SSL listener port: the policy the spec names (undefined: elbx's default). */
  sslPolicies: {loadBalancerPort: number; spec?: SslPolicy}[]
  backendAuthentication: {instancePort: number; publicKeys: string[]}[]
  healthCheck: Partial<HealthCheck>
  /** Only what the spec gives: the rest stays as it is. */
  attributes: Partial<DesiredAttributes>
  /** undefined: the spec has no tags section (tags stay as they are, even with --prune). */
  tags?: Tag[]
  /** undefined: no instances section. */
  instances?: string[]
  /** The certificate files to upload, as paths (a dry run names them, never their contents). */
  certificateFiles?: {certificateFile: string; privateKeyFile: string; chainFile?: string}
  /** Which sections the spec has (absent ones are left alone). */
  has: {healthCheck: boolean; attributes: boolean; backendAuthentication: boolean}
}

/** A path into the document: ['listeners', 0, 'protocol']. */
type Path = (string | number)[]

/** listeners[0].protocol */
export function fieldName(path: Path): string {
  return (
    path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)'
  )
}

// Compiled on the first spec read, so commands that only write specs (create --export-spec) never pay for it.
let compiled: ReturnType<Ajv['compile']> | undefined
const schemaValidator = () =>
  (compiled ??= new Ajv({allErrors: true, verbose: true, strict: false}).compile(SPEC_SCHEMA))

/** A parsed spec file with what it takes to point at a line. */
class SpecSource {
  readonly lines = new LineCounter()
  readonly doc: Document
  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, {lineCounter: this.lines, prettyErrors: false, uniqueKeys: true})
  }

  /** The line of the value at the path (of its key, for a key), or of its nearest parent that exists. */
  lineOf(path: Path, key = false): number {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true)
      if (key && n === path.length && n > 0) {
        const parent = n === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, n - 1), true)
        if (isMap(parent)) {
          const pair = parent.items.find(
            (p) => isNode(p.key) && String((p.key as {value?: unknown}).value) === String(path[n - 1]),
          )
          if (pair && isNode(pair.key) && pair.key.range) return this.lines.linePos(pair.key.range[0]).line
        }
      }
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line
    }
    return 1
  }

  error(path: Path, message: string, hint?: string, key = false): InvalidInputError {
    const where = `${this.file}:${this.lineOf(path, key)}`
    return new InvalidInputError(`${where}: ${fieldName(path)} ${message}`, hint, {
      file: this.file,
      line: this.lineOf(path, key),
      field: fieldName(path),
    })
  }

  /** Runs a check written for flags; its InvalidInputError is re-said at the field's line. */
  at<T>(path: Path, check: () => T): T {
    try {
      return check()
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error
      const where = `${this.file}:${this.lineOf(path)}`
      throw new InvalidInputError(`${where}: ${fieldName(path)}: ${error.message}`, error.hint, {
        ...error.details,
        file: this.file,
        line: this.lineOf(path),
        field: fieldName(path),
      })
    }
  }
}

const SPEC_HINT = 'docs/spec.md describes the format; schema/load-balancer.schema.json is its JSON Schema.'

const pathOf = (instancePath: string): Path =>
  instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p))

const article = (type: string) =>
  ({integer: 'an integer', object: 'a mapping (key: value)', array: 'a list', boolean: 'true or false'})[
    type
  ] ?? `a ${type}`

/** One schema error in words, with the path of the field it is about. */
function describeSchemaError(e: ErrorObject): {path: Path; message: string; key?: boolean} {
  const path = pathOf(e.instancePath)
  const params = e.params as Record<string, unknown>
  const got = e.data === undefined ? '' : ` (got ${JSON.stringify(e.data)})`
  const description = (e.parentSchema as {description?: string} | undefined)?.description
  switch (e.keyword) {
    case 'required':
      return {path: [...path, String(params.missingProperty)], message: 'is missing.'}
    case 'additionalProperties': {
      const name = String(params.additionalProperty)
      const known = Object.keys((e.parentSchema as {properties?: object}).properties ?? {})
      const close = closestNames(name, known, 1)
      return {
        path: [...path, name],
        key: true,
        message: `is not a field here${close.length ? `: did you mean ${close[0]}?` : ''} Fields: ${known.join(', ')}.`,
      }
    }
    case 'type':
      return {path, message: `must be ${article(String(params.type))}${got}.`}
    case 'enum':
      return {path, message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}${got}.`}
    case 'const':
      return {path, message: `must be ${JSON.stringify(params.allowedValue)}${got}.`}
    case 'pattern':
      return {path, message: `must be ${description ?? `of the form ${String(params.pattern)}`}${got}.`}
    case 'minimum':
    case 'maximum':
      return {
        path,
        message: `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}${got}.`,
      }
    case 'minItems':
      return {path, message: `needs at least ${String(params.limit)} item(s).`}
    case 'maxItems':
      return {path, message: `has more than ${String(params.limit)} items.`}
    case 'minLength':
      return {
        path,
        message: params.limit === 1 ? 'is empty.' : `needs at least ${String(params.limit)} characters.`,
      }
    case 'maxLength':
      return {path, message: `has more than ${String(params.limit)} characters.`}
    case 'maxProperties':
      return {path, message: `has more than ${String(params.limit)} entries.`}
    case 'uniqueItems':
      return {path: [...path, Number(params.i)], message: `repeats item ${Number(params.j) + 1}.`}
    case 'propertyNames':
      return {path: [...path, String(params.propertyName)], key: true, message: 'is not an allowed key.'}
    default:
      return {path, message: `${e.message ?? 'is not valid'}.`}
  }
}

/** The base directory files in the spec are relative to. */
const fileIn = (baseDir: string, path: string) => (isAbsolute(path) ? path : resolve(baseDir, path))

/**
 * Parses and checks one spec file's text: one load balancer or a list of them (`export --all`).
 * `file` names it in messages; relative paths in it are read from `baseDir` (the file's folder).
 */
export function parseSpecs(
  text: string,
  file: string,
  options: {baseDir?: string; now?: Date} = {},
): {specs: LoadBalancerSpec[]; checked: CheckedSpec[]} {
  const source = new SpecSource(file, text)
  const problem = source.doc.errors[0]
  if (problem) {
    const line = source.lines.linePos(problem.pos[0]).line
    throw new InvalidInputError(
      `${file}:${line}: not valid YAML or JSON: ${problem.message.split('\n')[0]}`,
      SPEC_HINT,
      {file, line},
    )
  }
  const data: unknown = source.doc.toJS()
  const validateSchema = schemaValidator()
  if (!validateSchema(data)) {
    const errors = (validateSchema.errors ?? []).filter((e) => e.keyword !== 'if').map(describeSchemaError)
    const first = errors[0]!
    const more =
      errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''
    const error = source.error(first.path, `${first.message}${more}`, SPEC_HINT, first.key)
    throw new InvalidInputError(error.message, error.hint, {
      ...error.details,
      problems: errors.map(
        (e) => `${file}:${source.lineOf(e.path, e.key)}: ${fieldName(e.path)} ${e.message}`,
      ),
    })
  }
  const top = data as LoadBalancerSpec | {version: string; loadBalancers: Omit<LoadBalancerSpec, 'version'>[]}
  const specs: LoadBalancerSpec[] =
    'loadBalancers' in top
      ? top.loadBalancers.map((lb) => ({version: top.version, ...lb}) as LoadBalancerSpec)
      : [top]
  const baseDir = options.baseDir ?? dirname(file)
  const checked = specs.map((spec, i) =>
    checkSpec(spec, source, 'loadBalancers' in top ? ['loadBalancers', i] : [], baseDir, options.now),
  )
  const names = new Set<string>()
  checked.forEach((c, i) => {
    if (names.has(c.name)) throw source.error(['loadBalancers', i, 'name'], `"${c.name}" is named twice.`)
    names.add(c.name)
  })
  return {specs, checked}
}

/** The rules of create's flags, applied to a spec the schema accepted. */
function checkSpec(
  spec: LoadBalancerSpec,
  source: SpecSource,
  at: Path,
  baseDir: string,
  now: Date = new Date(),
): CheckedSpec {
  const p = (...rest: Path): Path => [...at, ...rest]
  const name = source.at(p('name'), () => checkLoadBalancerName(spec.name))
  if (spec.subnets?.length && spec.availabilityZones?.length)
    throw source.error(
      p('availabilityZones'),
      'cannot be given with subnets: a load balancer is in one or the other.',
    )
  const network: NetworkRequest = {
    ...(spec.subnets?.length ? {subnets: spec.subnets} : {}),
    ...(spec.availabilityZones?.length ? {availabilityZones: spec.availabilityZones} : {}),
  }
  const scheme = source.at(p('scheme'), () => checkScheme(spec.scheme ?? 'internet-facing', network))

  let certificate: CheckedSpec['certificate']
  let certificateFiles: CheckedSpec['certificateFiles']
  if (typeof spec.certificate === 'string') {
    const arn = spec.certificate
    certificate = {
      kind: 'arn',
      arn: source.at(p('certificate'), () => checkCertificateArn(arn, 'certificate')),
    }
  } else if (spec.certificate) {
    const files = spec.certificate
    if (files.name !== undefined && !SERVER_CERTIFICATE_NAME.test(files.name))
      throw source.error(p('certificate', 'name'), `"${files.name}" is not an IAM server certificate name.`)
    const paths = {
      certificateFile: fileIn(baseDir, files.certificateFile),
      privateKeyFile: fileIn(baseDir, files.privateKeyFile),
      ...(files.chainFile ? {chainFile: fileIn(baseDir, files.chainFile)} : {}),
    }
    certificateFiles = paths
    const checked = source.at(p('certificate'), () => checkCertificateFiles(paths, now))
    certificate = {
      kind: 'upload',
      checked,
      ...(files.name ? {name: files.name} : {}),
    } as CheckedSpec['certificate']
  }

  const listeners: Listener[] = spec.listeners.map((l, i) => {
    const listener: Listener = {
      protocol: l.protocol,
      loadBalancerPort: l.loadBalancerPort,
      instanceProtocol: l.instanceProtocol,
      instancePort: l.instancePort,
      ...(l.certificate
        ? {
            sslCertificateId: source.at(p('listeners', i, 'certificate'), () =>
              checkCertificateArn(l.certificate!, 'certificate'),
            ),
          }
        : {}),
    }
    const problem = listenerProblem(listener)
    if (problem) throw source.error(p('listeners', i), `is refused: ${problem}`)
    if (l.sslPolicy !== undefined && !isSecure(l.protocol))
      throw source.error(
        p('listeners', i, 'sslPolicy'),
        `applies to HTTPS and SSL listeners only; this one is ${l.protocol}.`,
      )
    return listener
  })
  source.at(p('listeners'), () => checkListeners(listeners, {certificateGiven: certificate !== undefined}))
  if (certificate && !listeners.some((l) => isSecure(l.protocol) && !l.sslCertificateId))
    throw source.error(
      p('certificate'),
      'is given but no HTTPS or SSL listener uses it (each names its own certificate, or none is secure).',
    )

  const sslPolicies = spec.listeners.flatMap((l, i) => {
    if (!isSecure(l.protocol)) return []
    const field = p('listeners', i, 'sslPolicy')
    const policy = l.sslPolicy
    let checked: SslPolicy | undefined
    if (typeof policy === 'string')
      checked = {
        kind: 'predefined',
        name: source.at(field, () => checkPredefinedPolicyName('sslPolicy', policy)),
      }
    else if (policy)
      checked = {
        kind: 'custom',
        protocols: source.at([...field, 'protocols'], () => parseProtocols('protocols', policy.protocols)),
        ciphers: source.at([...field, 'ciphers'], () => parseCiphers('ciphers', policy.ciphers)),
        serverOrder: policy.serverOrder ?? true,
      }
    return [{loadBalancerPort: l.loadBalancerPort, ...(checked ? {spec: checked} : {})}]
  })

  const backendAuthentication = (spec.backendAuthentication ?? []).map((b, i) => {
    const field = p('backendAuthentication', i)
    const keys = [
      ...(b.publicKeys ?? []).map(
        (pem, k) =>
          source.at([...field, 'publicKeys', k], () => publicKeyFromPem('publicKey', pem)).publicKey,
      ),
      ...(b.publicKeyFiles ?? []).map(
        (path, k) =>
          source.at([...field, 'publicKeyFiles', k], () =>
            publicKeyFromFile('publicKeyFile', fileIn(baseDir, path)),
          ).publicKey,
      ),
    ]
    if (keys.length === 0) throw source.error(field, 'needs publicKeys or publicKeyFiles (at least one key).')
    if (!listeners.some((l) => l.instancePort === b.instancePort && isSecure(l.instanceProtocol)))
      throw source.error(
        [...field, 'instancePort'],
        `is ${b.instancePort}, but no listener sends HTTPS or SSL to that instance port.`,
        'Back-end authentication needs a listener whose instanceProtocol is HTTPS or SSL on that port.',
      )
    if (spec.backendAuthentication!.findIndex((o) => o.instancePort === b.instancePort) !== i)
      throw source.error([...field, 'instancePort'], `${b.instancePort} is listed twice.`)
    return {instancePort: b.instancePort, publicKeys: [...new Set(keys)]}
  })

  const hc = spec.healthCheck ?? {}
  const healthCheck: Partial<HealthCheck> = {
    ...(hc.target !== undefined
      ? {
          target: source.at(p('healthCheck', 'target'), () => {
            const t = parseHealthCheckTarget(hc.target!)
            return `${t.protocol}:${t.port}${t.path ?? ''}`
          }),
        }
      : {}),
    ...(hc.interval !== undefined ? {interval: hc.interval} : {}),
    ...(hc.timeout !== undefined ? {timeout: hc.timeout} : {}),
    ...(hc.healthyThreshold !== undefined ? {healthyThreshold: hc.healthyThreshold} : {}),
    ...(hc.unhealthyThreshold !== undefined ? {unhealthyThreshold: hc.unhealthyThreshold} : {}),
  }
  if (hc.timeout !== undefined && hc.interval !== undefined)
    source.at(p('healthCheck', 'timeout'), () =>
      checkTimeoutBelowInterval(
        hc.timeout!,
        hc.interval!,
        {timeout: true, interval: true},
        {
          interval: 'healthCheck.interval',
          timeout: 'healthCheck.timeout',
          healthyThreshold: 'healthCheck.healthyThreshold',
          unhealthyThreshold: 'healthCheck.unhealthyThreshold',
        },
      ),
    )

  const a = spec.attributes ?? {}
  const attributes: Partial<DesiredAttributes> = {
    ...(a.crossZoneLoadBalancing !== undefined ? {crossZoneLoadBalancing: a.crossZoneLoadBalancing} : {}),
    ...(a.connectionDraining !== undefined
      ? {
          connectionDraining:
            a.connectionDraining === false
              ? {enabled: false}
              : {enabled: true, timeout: a.connectionDraining},
        }
      : {}),
    ...(a.idleTimeout !== undefined ? {idleTimeout: a.idleTimeout} : {}),
  }

  const tags = spec.tags
    ? source.at(p('tags'), () =>
        parseTags(
          Object.entries(spec.tags!).map(([k, v]) => `${k}=${v}`),
          'tags',
        ),
      )
    : undefined

  return {
    name,
    scheme,
    network,
    securityGroups: spec.securityGroups ?? [],
    listeners,
    ...(certificate ? {certificate} : {}),
    ...(certificateFiles ? {certificateFiles} : {}),
    sslPolicies,
    backendAuthentication,
    healthCheck,
    attributes,
    ...(tags ? {tags} : {}),
    ...(spec.instances ? {instances: spec.instances} : {}),
    has: {
      healthCheck: spec.healthCheck !== undefined,
      attributes: spec.attributes !== undefined,
      backendAuthentication: spec.backendAuthentication !== undefined,
    },
  }
}

export const SPEC_FORMATS = ['yaml', 'json'] as const
export type SpecFormat = (typeof SPEC_FORMATS)[number]

/** A spec (or a list of them) as file text: YAML with PEM keys as block scalars, or JSON. */
export function formatSpec(spec: LoadBalancerSpec | LoadBalancerSpecList, format: SpecFormat): string {
  if (format === 'json') return `${JSON.stringify(spec, null, 2)}\n`
  // No folding: ARNs and PEM lines stay whole, so the file diffs line by line.
  return stringify(spec, {lineWidth: 0, blockQuote: 'literal'})
}

/** Reads and checks the spec file a flag names (`-f lb.yaml`); paths in it are relative to its folder. */
export function readSpecFile(flag: string, path: string, now?: Date): ReturnType<typeof parseSpecs> {
  const text = readInputFile(flag, path).bytes.toString('utf8')
  return parseSpecs(text, path, {baseDir: dirname(path), ...(now ? {now} : {})})
}
