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

/** Secret values that must never be printed, registered at run time (e.g. the resolved secret key). */
const knownSecrets = new Set<string>()

/** Registers a value (a secret access key, a session token) that redact() must always hide. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) knownSecrets.add(value)
}

/** Returns text with private keys, signatures, tokens and registered secrets replaced. */
export function redact(text: string): string {
  let out = text
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
  for (const secret of knownSecrets) out = out.split(secret).join('[REDACTED]')
  return out
}
