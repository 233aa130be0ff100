/** Every audit rule, in the order a load balancer's findings are reported. */
import type {AuditRule} from '../facts.js'
import {attributes} from './attributes.js'
import {certificates} from './certificates.js'
import {instances} from './instances.js'
import {backendPlainHttp, healthCheckPortUnused, httpOnly} from './listeners.js'
import {openPortsUnused} from './security-groups.js'
import {tls} from './tls.js'

export const AUDIT_RULES: readonly AuditRule[] = [
  tls,
  certificates,
  httpOnly,
  backendPlainHttp,
  instances,
  healthCheckPortUnused,
  attributes,
  openPortsUnused,
]
