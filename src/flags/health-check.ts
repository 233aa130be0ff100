import {Flags, type Interfaces} from '@oclif/core'

import {
  HEALTH_CHECK_BOUNDS,
  parseHealthCheckFlags,
  type HealthCheckChanges,
  HEALTH_CHECK_FLAG_NAMES,
} from '../validate/health-check.js'
import {formerly, type StepFlagOptions} from './formerly.js'

const {interval, timeout, threshold} = HEALTH_CHECK_BOUNDS

/** The health check flags (ConfigureHealthCheck's HealthCheck), one definition for create and health. */
export const healthCheckFlags = (options: StepFlagOptions = {}) => {
  const old = (name: string) => (options.formerSpellings ? name : undefined)
  const group = options.helpGroup ? {helpGroup: options.helpGroup} : {}
  return {
    'health-check': Flags.string({
      ...group,
      ...formerly(
        old('target'),
        'What to ping: TCP:PORT, SSL:PORT, HTTP:PORT/PATH or HTTPS:PORT/PATH (e.g. HTTP:80/ping). HTTP(S) checks pass on a 200.',
      ),
    }),
    'health-interval': Flags.string({
      ...group,
      ...formerly(
        old('interval'),
        `Seconds between checks of each instance (${interval.min}-${interval.max}).`,
      ),
    }),
    'health-timeout': Flags.string({
      ...group,
      ...formerly(
        old('timeout'),
        `Seconds to wait for an answer (${timeout.min}-${timeout.max}, less than the interval).`,
      ),
    }),
    'healthy-threshold': Flags.string({
      ...group,
      description: `Consecutive passed checks before an instance is InService (${threshold.min}-${threshold.max}).`,
    }),
    'unhealthy-threshold': Flags.string({
      ...group,
      description: `Consecutive failed checks before an instance is OutOfService (${threshold.min}-${threshold.max}).`,
    }),
  }
}

export type HealthCheckFlags = Partial<Interfaces.InferredFlags<ReturnType<typeof healthCheckFlags>>>

/**
 * The health check flags, checked (no request): what to change. With `fillDefaults` (create, whose
 * load balancer starts from AWS's default health check) timeout < interval is checked against
 * AWS's default for the one not given.
 */
export function parseHealthCheck(
  flags: HealthCheckFlags,
  options: {fillDefaults?: boolean} = {},
): HealthCheckChanges {
  return parseHealthCheckFlags(
    {
      target: flags['health-check'],
      interval: flags['health-interval'],
      timeout: flags['health-timeout'],
      healthyThreshold: flags['healthy-threshold'],
      unhealthyThreshold: flags['unhealthy-threshold'],
    },
    HEALTH_CHECK_FLAG_NAMES,
    options,
  )
}
