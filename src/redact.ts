/**
 * Last line of defence before text reaches stdout, stderr or a log: anything that looks like key
 * material or request-signing data is replaced. elbx never puts such values in messages on purpose;
 * this catches what comes back inside an AWS error message (SignatureDoesNotMatch echoes the
 * canonical request, which can carry the session token) or a library's error.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    '[REDACTED PRIVATE KEY]',
  ],
  [/(x-amz-security-token[=:]\s*)[^\s&,;]+/gi, '$1[REDACTED]'],
  [/(x-amz-signature[=:]\s*)[^\s&,;]+/gi, '$1[REDACTED]'],
  [/(authorization[=:]\s*)[^\n]+/gi, '$1[REDACTED]'],
  [/(Signature=)[0-9a-f]+/gi, '$1[REDACTED]'],
  [/(aws_secret_access_key\s*[=:]\s*)\S+/gi, '$1[REDACTED]'],
  [/(aws_session_token\s*[=:]\s*)\S+/gi, '$1[REDACTED]'],
]

/**
 * Every spelling of the registered secrets that could come back in a message, longest first so a
 * whole value is replaced before any line of it.
 */
let knownForms: string[] = []
const registered = new Set<string>()

/** Lower-case percent escapes (%2b): some encoders write them so, and AWS may echo either. */
const lowerEscapes = (s: string) => s.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())

/**
 * The ways a value elbx sends can be spelled where it is echoed: as is, URL-encoded as the query
 * protocol sends it (%20 or + for spaces, upper or lower case escapes), and JSON-escaped (with or
 * without "/" escaped, as some encoders do).
 */
function encodings(value: string): string[] {
  const uri = encodeURIComponent(value)
  const form = new URLSearchParams({v: value}).toString().slice(2)
  const json = JSON.stringify(value).slice(1, -1)
  return [value, uri, lowerEscapes(uri), form, lowerEscapes(form), json, json.replace(/\//g, '\\/')]
}

/** Shorter values could occur by chance in ordinary text; secrets elbx handles are longer. */
const MIN_SECRET_LENGTH = 16

function addForms(values: string[]): void {
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue
    for (const form of encodings(value)) registered.add(form)
  }
  knownForms = [...registered].sort((a, b) => b.length - a.length)
}

/** Registers a value (a secret access key, a session token) that redact() must always hide, in every encoding. */
export function registerSecret(value: string | undefined): void {
  if (value) addForms([value])
}

/**
 * Registers a private key elbx read: the PEM block, its base64 body joined into one line and each
 * of its body lines, each in every encoding, so that an error quoting the key without its BEGIN
 * and END lines, or quoting the URL-encoded request that carried it, is redacted too.
 */
export function registerPrivateKey(pem: string): void {
  const body = pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('-----') && !/^[A-Za-z-]+:/.test(line))
  addForms([pem, pem.replace(/\n/g, '\r\n'), body.join(''), body.join('\n'), ...body])
}

/** Returns text with private keys, signatures, tokens and registered secrets replaced. */
export function redact(text: string): string {
  let out = text
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
  for (const form of knownForms) if (out.includes(form)) out = out.split(form).join('[REDACTED]')
  return out
}
