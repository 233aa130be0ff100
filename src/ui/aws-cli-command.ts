import type {PlannedRequest} from '../aws/dry-run.js'

/** CreateLoadBalancerPolicy -> create-load-balancer-policy; SSLCertificateId -> ssl-certificate-id. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
}

/** Quotes a shell word only when it needs it, so commands read like the AWS guide's. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

type Plain = string | number | boolean

const isPlain = (v: unknown): v is Plain => ['string', 'number', 'boolean'].includes(typeof v)

/** A structure whose members are all scalars renders as CLI shorthand: Key=Value,Key=Value. */
function shorthand(value: Record<string, unknown>): string | undefined {
  const parts: string[] = []
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue
    if (!isPlain(v)) return undefined
    // The guide writes listener protocols in lower case; the API accepts either.
    const text =
      (k === 'Protocol' || k === 'InstanceProtocol') && typeof v === 'string' ? v.toLowerCase() : String(v)
    if (/[,=\s"'[\]{}]/.test(text) && k !== 'Target') return undefined
    parts.push(`${k}=${text}`)
  }
  return parts.join(',')
}

/** The words that follow one --parameter. */
function renderValue(value: unknown): string[] {
  if (isPlain(value)) return [String(value)]
  if (Array.isArray(value)) {
    // An empty list (a set call that clears every policy) takes JSON: a bare flag would be a syntax error.
    if (value.length === 0) return ['[]']
    if (value.every(isPlain)) return value.map(String)
    // A list of one-member structures (Instances: [{InstanceId}]) takes bare values, as in the guide.
    if (
      value.every(
        (v) => v && typeof v === 'object' && Object.keys(v).length === 1 && isPlain(Object.values(v)[0]),
      )
    ) {
      return value.map((v) => String(Object.values(v as object)[0]))
    }
    const items = value.map((v) =>
      v && typeof v === 'object' ? shorthand(v as Record<string, unknown>) : undefined,
    )
    if (items.every((i): i is string => i !== undefined)) return items
    return [JSON.stringify(value)]
  }
  if (value && typeof value === 'object') {
    return [shorthand(value as Record<string, unknown>) ?? JSON.stringify(value)]
  }
  return [String(value)]
}

/** One planned request as the exact `aws` CLI command that carries it out. */
export function toAwsCliCommand(request: PlannedRequest): string {
  const words = ['aws', request.service, kebab(request.operation)]
  for (const [key, value] of Object.entries(request.parameters)) {
    if (value === undefined) continue
    if (typeof value === 'boolean' && !Array.isArray(value)) {
      words.push(value ? `--${kebab(key)}` : `--no-${kebab(key)}`)
      continue
    }
    words.push(`--${kebab(key)}`, ...renderValue(value).map(shellQuote))
  }
  return words.join(' ')
}
