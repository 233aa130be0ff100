import {TEST_CREDENTIALS} from './moto.js'

/**
 * Every private key the tests generate registers here, so that every elbx run the tests make can
 * be scanned for a leak of its content (see scanForSecrets, called by runCli and PtySession).
 */
const privateKeyLines = new Set<string>()

export function registerPrivateKey(pem: string): void {
  // Body lines only: long base64 runs that cannot occur by chance in elbx's output.
  const body = pem.split(/\r?\n/).filter((line) => line.length >= 40 && /^[A-Za-z0-9+/=]+$/.test(line))
  // Each line as the URL-encoded request body carries it (+ and / escaped), and the body in one line.
  for (const line of [...body, body.join('')]) {
    privateKeyLines.add(line)
    privateKeyLines.add(encodeURIComponent(line))
  }
}

/** What must never appear in anything elbx prints, with a name for the failure message. */
function forbidden(): Array<[string, (text: string) => boolean]> {
  return [
    ['the secret access key', (t) => t.includes(TEST_CREDENTIALS.secretAccessKey)],
    ['the session token', (t) => t.includes(TEST_CREDENTIALS.sessionToken)],
    ['a PEM private key block', (t) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(t)],
    ['private key material', (t) => [...privateKeyLines].some((line) => t.includes(line))],
    [
      'an Authorization header',
      (t) => /authorization:\s*AWS4-HMAC/i.test(t) || /AWS4-HMAC-SHA256 Credential=/.test(t),
    ],
    ['an X-Amz-Security-Token value', (t) => /x-amz-security-token[=:]\s*[^\s[]/i.test(t)],
    ['a request signature', (t) => /Signature=[0-9a-f]{16,}/.test(t)],
  ]
}

/** Throws when text printed by elbx holds a secret. */
export function scanForSecrets(text: string, where: string): void {
  for (const [what, found] of forbidden()) {
    if (found(text)) throw new Error(`elbx printed ${what} on ${where}`)
  }
}
