import type {ChildProcess} from 'node:child_process'

export interface RunningMoto {
  endpoint: string
  port: number
  process: ChildProcess
  stop(): Promise<void>
}
export declare const MOTO_MISSING: string
export declare function freePort(): Promise<number>
export declare function motoAvailable(): boolean
export declare function startMoto(): Promise<RunningMoto>
export declare function resetMoto(endpoint: string): Promise<void>
