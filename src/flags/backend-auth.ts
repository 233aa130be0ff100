import {Flags, type Interfaces} from '@oclif/core'

import {publicKeyFromFile, type PublicKeyFromFile} from '../pem/public-key.js'
import {checkFilePath} from '../validate/file-path.js'
import {formerly, type StepFlagOptions} from './formerly.js'

/** The back-end authentication flag, one definition for create and policy backend-auth. */
export const backendAuthFlags = (options: StepFlagOptions & {description?: string} = {}) => ({
  'backend-auth-cert': Flags.string({
    ...(options.helpGroup ? {helpGroup: options.helpGroup} : {}),
    multiple: true,
    ...formerly(
      options.formerSpellings ? 'cert' : undefined,
      options.description ??
        "The instances' certificate or public key file (PEM or DER); repeat for several keys (e.g. during rotation).",
    ),
  }),
})

export type BackendAuthFlags = Partial<Interfaces.InferredFlags<ReturnType<typeof backendAuthFlags>>>

/** A back-end authentication key, read and checked from its file before any request. */
export interface BackendAuthKey extends PublicKeyFromFile {
  file: string
}

/** Each --backend-auth-cert file, read and checked (private keys refused); no request. */
export function parseBackendAuthKeys(flags: BackendAuthFlags): BackendAuthKey[] {
  return (flags['backend-auth-cert'] ?? []).map((file) => ({
    file,
    ...publicKeyFromFile('--backend-auth-cert', checkFilePath('--backend-auth-cert', file)),
  }))
}
