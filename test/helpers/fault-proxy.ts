/**
 * A loopback HTTP proxy between elbx and moto that injects the faults AWS produces in real life:
 * throttling, 5xx answers, dropped connections and slow responses. Reliability tests point elbx at
 * `endpoint` (--endpoint-url, AWS_ENDPOINT_URL, or `connect({endpointUrl})`) and tell the proxy which
 * requests to spoil; everything else is forwarded to moto untouched.
 *
 * Requests are matched by AWS operation: the `Action=` of the form-encoded query protocol that ELB,
 * EC2 and IAM speak, and by service, read from the SigV4 credential scope (only the service name is
 * kept; the Authorization header is never logged).
 *
 *   const proxy = await startFaultProxy(motoEndpoint())
 *   proxy.inject({operation: 'CreateLoadBalancer', fault: 'throttling', times: 2}) // transient
 *   proxy.inject({operation: 'DeleteLoadBalancer', fault: 'error-503'}) // persistent
 *   const gateways = await motoGateways(undefined, proxy.endpoint) // in process, or:
 *   await runCli(['create', ...], {env: {AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: '3'}})
 *   proxy.seen // [{operation: 'CreateLoadBalancer', service: 'elasticloadbalancing', fault: 'throttling', status: 400}, ...]
 *   await proxy.close()
 *
 * The SDK's standard retry mode (elbx's default) makes 5 attempts, backing off from 100 ms (500 ms
 * for throttling) with jitter; AWS_MAX_ATTEMPTS overrides the count.
 */
import {randomUUID} from 'node:crypto'
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * - throttling: HTTP 400 with the service's throttling error (ELB/IAM `Throttling`, EC2 `RequestLimitExceeded`)
 * - error-500 / error-503: HTTP 500 InternalFailure / 503 ServiceUnavailable
 * - reset: the connection is destroyed without an answer (the SDK sees ECONNRESET / socket hang up)
 * - delay: the request is held for `delayMs`, then forwarded
 * - signature-mismatch: HTTP 403 SignatureDoesNotMatch whose message echoes the request's canonical
 *   string, as AWS does (x-amz-security-token value included), plus its Authorization header: an
 *   error that would leak credentials if elbx printed AWS messages as they come
 * - echo: HTTP 400 with `code` whose message is `echo(request)`: what an AWS error quoting the
 *   request would say (a private key's body, the URL-encoded form, a credential)
 * - drop-answer: the request is forwarded and AWS acts on it, but its answer never comes back (the
 *   connection is destroyed once moto has answered): the SDK retries, and the retry meets what the
 *   first attempt made
 */
export type Fault =
  'throttling' | 'error-500' | 'error-503' | 'reset' | 'delay' | 'signature-mismatch' | 'echo' | 'drop-answer'

/** What an 'echo' rule's message is built from. */
export interface EchoedRequest {
  /** The form-encoded body as sent (Action=...&PrivateKey=...). */
  body: string
  headers: IncomingMessage['headers']
}

export interface FaultRule {
  /** Action name(s) to spoil, e.g. 'CreateLoadBalancer'; omitted: every request. */
  operation?: string | readonly string[]
  /** SigV4 service name (elasticloadbalancing, ec2, iam); omitted: any service. */
  service?: string
  fault: Fault
  /** Spoil only the next N matching requests (a transient fault); omitted: every one (persistent). */
  times?: number
  /** For 'delay': how long to hold each request before forwarding it. Default 1000 ms. */
  delayMs?: number
  /** For 'signature-mismatch' and 'echo': answer with this error code (e.g. AccessDenied). */
  code?: string
  /** For 'echo': the error message, built from the request. */
  echo?: (request: EchoedRequest) => string
}

export interface SeenRequest {
  /** The query-protocol Action, or '(unknown)' when the request carried none. */
  operation: string
  /** SigV4 service from the credential scope, when the request was signed. */
  service?: string
  /** The fault applied; absent when the request was forwarded as is. */
  fault?: Fault
  /** HTTP status sent back; 0 for a reset connection. */
  status: number
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT, to use as elbx's endpoint. */
  endpoint: string
  /** Adds a rule. Rules are tried in the order added; the first that matches and is not used up applies. */
  inject(rule: FaultRule): void
  /** Removes every rule (requests pass through again). */
  clear(): void
  /** Every request the proxy received, in order. */
  seen: SeenRequest[]
  /** Requests of the given operation (convenience over `seen`). */
  seenFor(operation: string): SeenRequest[]
  close(): Promise<void>
}

interface ActiveRule {
  rule: FaultRule
  operations: readonly string[] | undefined
  remaining: number
}

const ERROR_CODES: Record<
  Exclude<Fault, 'reset' | 'delay' | 'signature-mismatch' | 'echo' | 'drop-answer'>,
  {status: number; code: string; message: string}
> = {
  throttling: {status: 400, code: 'Throttling', message: 'Rate exceeded'},
  'error-500': {status: 500, code: 'InternalFailure', message: 'An internal error occurred (injected).'},
  'error-503': {status: 503, code: 'ServiceUnavailable', message: 'Service unavailable (injected).'},
}

/**
 * The error body the service's protocol parser expects: EC2's protocol nests errors in
 * <Response><Errors>, and EC2 throttles with RequestLimitExceeded; ELB and IAM use <ErrorResponse>.
 */
export function errorBody(service: string | undefined, fault: keyof typeof ERROR_CODES): string {
  const {code, message} = ERROR_CODES[fault]
  const requestId = randomUUID()
  if (service === 'ec2') {
    const ec2Code = fault === 'throttling' ? 'RequestLimitExceeded' : code
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${ec2Code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
  }
  const type = fault === 'throttling' ? 'Sender' : 'Receiver'
  return `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
}

/** AWS's SignatureDoesNotMatch answer, echoing what it echoes (and, worse, the Authorization header). */
export function signatureMismatchBody(
  service: string | undefined,
  req: IncomingMessage,
  code = 'SignatureDoesNotMatch',
): string {
  const header = (name: string) => String(req.headers[name] ?? '')
  const canonical = [
    'POST',
    '/',
    '',
    `host:${header('host')}`,
    `x-amz-date:${header('x-amz-date')}`,
    `x-amz-security-token:${header('x-amz-security-token')}`,
    '',
    'host;x-amz-date;x-amz-security-token',
  ].join('\n')
  const message = `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nAuthorization: ${header('authorization')}`
  return errorEnvelope(service, code, message)
}

/** An AWS error answer in the service's XML, with `message` escaped as AWS escapes it. */
export function errorEnvelope(service: string | undefined, code: string, message: string): string {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const requestId = randomUUID()
  if (service === 'ec2') {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${escaped}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
  }
  return `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${escaped}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
}

/** The Action of a query-protocol request: form-encoded body (POST) or query string (GET). */
export function actionOf(url: string | undefined, body: string): string | undefined {
  const fromBody = new URLSearchParams(body).get('Action')
  if (fromBody) return fromBody
  return new URL(url ?? '/', 'http://proxy').searchParams.get('Action') ?? undefined
}

/** The service of a SigV4-signed request: Credential=AKID/DATE/REGION/SERVICE/aws4_request. */
export function serviceOf(authorization: string | undefined): string | undefined {
  return authorization?.match(/Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/)?.[1]
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export interface FaultProxyOptions {
  /**
   * Play IAM's server certificates as AWS does where moto does not: GetServerCertificate returns
   * the tags the upload carried (moto drops them, patched or not), and a second upload of a name is
   * EntityAlreadyExists (elbx's patched moto does that too; unpatched moto keeps both).
   */
  serverCertificatesLikeAws?: boolean
}

/** Tags of a query-protocol request: Tags.member.N.Key / Tags.member.N.Value. */
function tagsOf(params: URLSearchParams): Array<{key: string; value: string}> {
  const tags: Array<{key: string; value: string}> = []
  for (let i = 1; params.has(`Tags.member.${i}.Key`); i++)
    tags.push({key: params.get(`Tags.member.${i}.Key`)!, value: params.get(`Tags.member.${i}.Value`) ?? ''})
  return tags
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The IAM behaviour FaultProxyOptions.serverCertificatesLikeAws adds in front of moto. */
function serverCertificatesLikeAws(target: string) {
  const tagsByName = new Map<string, Array<{key: string; value: string}>>()
  const nameOf = (body: Buffer) =>
    new URLSearchParams(body.toString('utf8')).get('ServerCertificateName') ?? ''
  /** Asks moto itself (it does not check signatures), so certificates deleted behind the proxy count too. */
  async function existsInMoto(name: string, req: IncomingMessage): Promise<boolean> {
    const answer = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        authorization: String(req.headers.authorization ?? ''),
      },
      body: new URLSearchParams({
        Action: 'GetServerCertificate',
        Version: '2010-05-08',
        ServerCertificateName: name,
      }).toString(),
    })
    await answer.text()
    return answer.ok
  }
  return {
    /** An answer of the proxy's own instead of forwarding, when AWS would refuse the request. */
    async answerBefore(
      operation: string,
      body: Buffer,
      req: IncomingMessage,
    ): Promise<{status: number; xml: string} | undefined> {
      if (operation !== 'UploadServerCertificate') return undefined
      const name = nameOf(body)
      if (!(await existsInMoto(name, req))) return undefined
      const xml = errorEnvelope(
        'iam',
        'EntityAlreadyExists',
        `The Server Certificate with name ${name} already exists.`,
      )
      return {status: 409, xml}
    },
    answered(operation: string, body: Buffer, status: number): void {
      if (status !== 200) return
      const params = new URLSearchParams(body.toString('utf8'))
      if (operation === 'UploadServerCertificate') tagsByName.set(nameOf(body), tagsOf(params))
      if (operation === 'DeleteServerCertificate') tagsByName.delete(nameOf(body))
    },
    rewriteFor(operation: string, body: Buffer): ((xml: string) => string) | undefined {
      const tags = operation === 'GetServerCertificate' ? tagsByName.get(nameOf(body)) : undefined
      if (!tags?.length) return undefined
      const members = tags
        .map((t) => `<member><Key>${xmlText(t.key)}</Key><Value>${xmlText(t.value)}</Value></member>`)
        .join('')
      return (xml) => xml.replace('<ServerCertificate>', `<ServerCertificate><Tags>${members}</Tags>`)
    },
  }
}

/** Starts a fault-injecting proxy on a free 127.0.0.1 port in front of `target` (e.g. moto's endpoint). */
export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(target)
  const agent = new Agent({keepAlive: true})
  let rules: ActiveRule[] = []
  const seen: SeenRequest[] = []
  const timers = new Set<NodeJS.Timeout>()

  function takeRule(service: string | undefined, operation: string): FaultRule | undefined {
    const active = rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.operations === undefined || r.operations.includes(operation)) &&
        (r.rule.service === undefined || r.rule.service === service),
    )
    if (!active) return undefined
    active.remaining -= 1
    return active.rule
  }

  /**
   * Sends the request on to moto. `dropAnswer`: moto acts, then its answer is lost on the way
   * back; `rewrite`: its (XML) answer is changed before elbx sees it.
   */
  function forward(
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    entry: SeenRequest,
    how: {dropAnswer?: boolean; rewrite?: (xml: string) => string} = {},
  ): void {
    const out = httpRequest(
      {
        agent,
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // The host header stays as signed: moto does not check signatures, and rewriting it would
        // break them against anything that does.
        headers: req.headers,
      },
      (answer) => {
        entry.status = answer.statusCode ?? 0
        iam?.answered(entry.operation, body, entry.status)
        if (how.dropAnswer) {
          // moto has acted; read its answer to the end, then lose it on the way back.
          answer.resume()
          answer.on('end', () => req.socket.destroy())
          return
        }
        if (how.rewrite) {
          const rewrite = how.rewrite
          const chunks: Buffer[] = []
          answer.on('data', (c: Buffer) => chunks.push(c))
          answer.on('end', () => {
            const xml = rewrite(Buffer.concat(chunks).toString('utf8'))
            const {'content-length': _length, ...headers} = answer.headers
            res.writeHead(answer.statusCode ?? 502, {...headers, 'content-length': Buffer.byteLength(xml)})
            res.end(xml)
          })
          return
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    out.on('error', (error) => {
      entry.status = 502
      if (!res.headersSent) res.writeHead(502, {'content-type': 'text/plain'})
      res.end(`fault proxy: upstream ${target} failed: ${error.message}`)
    })
    out.end(body)
  }

  const iam = options.serverCertificatesLikeAws ? serverCertificatesLikeAws(target) : undefined

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req)
      const service = serviceOf(req.headers.authorization)
      const operation = actionOf(req.url, body.toString('utf8')) ?? '(unknown)'
      const rule = takeRule(service, operation)
      const entry: SeenRequest = {operation, ...(service ? {service} : {}), status: 0}
      seen.push(entry)
      if (iam && (!rule || rule.fault === 'drop-answer')) {
        const answer = await iam.answerBefore(operation, body, req)
        if (answer) {
          entry.status = answer.status
          res.writeHead(answer.status, {
            'content-type': 'text/xml',
            'content-length': Buffer.byteLength(answer.xml),
          })
          res.end(answer.xml)
          return
        }
      }
      const rewrite = iam?.rewriteFor(operation, body)
      if (!rule) return forward(req, body, res, entry, rewrite ? {rewrite} : {})
      entry.fault = rule.fault
      switch (rule.fault) {
        case 'reset':
          req.socket.destroy()
          return
        case 'delay': {
          const timer = setTimeout(() => {
            timers.delete(timer)
            forward(req, body, res, entry)
          }, rule.delayMs ?? 1000)
          timers.add(timer)
          return
        }
        case 'drop-answer':
          return forward(req, body, res, entry, {dropAnswer: true})
        case 'echo': {
          entry.status = 400
          const message = rule.echo?.({body: body.toString('utf8'), headers: req.headers}) ?? ''
          const xml = errorEnvelope(service, rule.code ?? 'ValidationError', message)
          res.writeHead(400, {'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml)})
          res.end(xml)
          return
        }
        case 'signature-mismatch': {
          entry.status = 403
          const xml = signatureMismatchBody(service, req, rule.code)
          res.writeHead(403, {'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml)})
          res.end(xml)
          return
        }
        default: {
          const {status} = ERROR_CODES[rule.fault]
          entry.status = status
          const xml = errorBody(service, rule.fault)
          res.writeHead(status, {'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml)})
          res.end(xml)
        }
      }
    })().catch((error: Error) => {
      if (!res.headersSent) res.writeHead(502, {'content-type': 'text/plain'})
      res.end(`fault proxy: ${error.message}`)
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    inject(rule) {
      if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1))
        throw new Error(`fault proxy: times must be a whole number >= 1, got ${rule.times}`)
      const operations =
        rule.operation === undefined
          ? undefined
          : typeof rule.operation === 'string'
            ? [rule.operation]
            : rule.operation
      rules.push({rule, operations, remaining: rule.times ?? Number.POSITIVE_INFINITY})
    },
    clear() {
      rules = []
    },
    seenFor(operation) {
      return seen.filter((s) => s.operation === operation)
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      agent.destroy()
      return new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
