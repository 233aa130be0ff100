import type {ChildProcess} from 'node:child_process'

export interface RunningMoto {
  endpoint: string
  port: number
  /** False when moto runs without elbx's patches (--unpatched, ELBX_MOTO_UNPATCHED=1). */
  patched: boolean
  process: ChildProcess
  /** The tail of moto's stderr, when piped. */
  stderr(): string
  stop(): Promise<void>
}
/** The patches' switchable behaviour (scripts/moto/elbx_patches.py DEFAULT_OPTIONS). */
export interface MotoOptions {
  /** An uploaded IAM server certificate is CertificateNotFound to ELB for this long. */
  certificatePropagationMs?: number
  /** Newly registered instances are OutOfService for HealthyThreshold x Interval s times this. */
  registrationDelayFactor?: number
}
export interface SslTable {
  awsDefaultPolicy: string
  policyTypeName: string
  referenceAttribute: string
  serverOrderAttribute: string
  protocolPrefix: string
  protocols: string[]
  ciphers: string[]
  attributes: string[]
  predefinedPolicies: {name: string; protocols: string[]; ciphers: string[]; serverOrder: boolean}[]
}
export declare const MOTO_MISSING: string
export declare function freePort(): Promise<number>
export declare function motoPython(): string | undefined
export declare function motoAvailable(): boolean
export declare function sslTable(): Promise<SslTable>
export declare function setMotoOptions(endpoint: string, options: MotoOptions): Promise<Required<MotoOptions>>
export declare function startMoto(options?: {
  port?: number
  unpatched?: boolean
  stderr?: 'pipe' | 'inherit'
}): Promise<RunningMoto>
export declare function resetMoto(endpoint: string): Promise<void>
