/**
 * The spec file format (`elbx export`, `elbx diff -f`, `elbx apply -f`): the TypeScript type and
 * its JSON Schema, said once here. schema/load-balancer.schema.json is this schema as a file for
 * editors and other tools; a unit test keeps the two equal. The schema checks shapes (types,
 * unknown fields, enums, ID patterns); src/validate/spec.ts then applies the same rules as the
 * flags (tags, listener pairs, health check target, ciphers) to what the schema let through.
 */
import type {Protocol, Scheme} from '../model.js'

/** Written at the top of every spec, so a later format can be told apart. */
export const SPEC_VERSION = 'elbx/v1'

/** A custom SSL negotiation policy: what it enables, never the hundred attributes AWS expands it to. */
export interface CustomSslPolicySpec {
  protocols: string[]
  ciphers: string[]
  /** Server-Defined-Cipher-Order (default true). */
  serverOrder?: boolean
}

export interface ListenerSpec {
  protocol: Protocol
  loadBalancerPort: number
  instanceProtocol: Protocol
  instancePort: number
  /** ARN of an ACM or IAM certificate (HTTPS/SSL only); without it, the spec's `certificate`. */
  certificate?: string
  /** A predefined policy's name, or a custom policy (HTTPS/SSL only; default: elbx's default policy). */
  sslPolicy?: string | CustomSslPolicySpec
}

/** A certificate to upload to IAM, as create's --certificate-file does (paths relative to the spec file). */
export interface CertificateFilesSpec {
  certificateFile: string
  privateKeyFile: string
  chainFile?: string
  /** IAM name (default elbx-NAME-FINGERPRINT). */
  name?: string
}

export interface BackendAuthenticationSpec {
  instancePort: number
  /** PEM public keys (or certificates) the instances present. */
  publicKeys?: string[]
  /** Files holding them (relative to the spec file). */
  publicKeyFiles?: string[]
}

export interface HealthCheckSpec {
  target?: string
  interval?: number
  timeout?: number
  healthyThreshold?: number
  unhealthyThreshold?: number
}

export interface AttributesSpec {
  crossZoneLoadBalancing?: boolean
  /** Seconds (1-3600), or false for off. */
  connectionDraining?: number | false
  idleTimeout?: number
}

/** One load balancer as a file. Absent sections leave what is in AWS alone (unless --prune). */
export interface LoadBalancerSpec {
  version: typeof SPEC_VERSION
  name: string
  scheme?: Scheme
  subnets?: string[]
  availabilityZones?: string[]
  securityGroups?: string[]
  /** For the HTTPS/SSL listeners that name none: an ARN, or files to upload. */
  certificate?: string | CertificateFilesSpec
  listeners: ListenerSpec[]
  backendAuthentication?: BackendAuthenticationSpec[]
  healthCheck?: HealthCheckSpec
  attributes?: AttributesSpec
  tags?: Record<string, string>
  instances?: string[]
}

/** Several load balancers in one file (`elbx export --all`). */
export interface LoadBalancerSpecList {
  version: typeof SPEC_VERSION
  loadBalancers: Omit<LoadBalancerSpec, 'version'>[]
}

const protocol = {type: 'string', enum: ['HTTP', 'HTTPS', 'TCP', 'SSL']}
const port = {type: 'integer', minimum: 1, maximum: 65535}
const certificateArn = {
  type: 'string',
  pattern: '^arn:aws(-[a-z]+)*:(acm:[a-z0-9-]+:\\d{12}:certificate/|iam::\\d{12}:server-certificate/)',
  description: 'ARN of an ACM certificate or an IAM server certificate.',
}
const ids = (pattern: string, maxItems?: number) => ({
  type: 'array',
  items: {type: 'string', pattern},
  uniqueItems: true,
  ...(maxItems ? {maxItems} : {}),
})
const seconds = (minimum: number, maximum: number) => ({type: 'integer', minimum, maximum})

const loadBalancerProperties = {
  name: {
    type: 'string',
    minLength: 1,
    maxLength: 32,
    pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$',
    description: 'Load balancer name: 1-32 letters, digits and hyphens, no hyphen first or last.',
  },
  scheme: {type: 'string', enum: ['internet-facing', 'internal']},
  subnets: ids('^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$'),
  availabilityZones: ids('^[a-z]{2}(?:-[a-z]+)+-\\d(?:-[a-z]+-\\d)?[a-z]$'),
  securityGroups: ids('^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$', 5),
  // if/then/else rather than oneOf: the errors then come from the one form the value has.
  certificate: {
    if: {type: 'string'},
    then: certificateArn,
    else: {
      type: 'object',
      additionalProperties: false,
      required: ['certificateFile', 'privateKeyFile'],
      properties: {
        certificateFile: {type: 'string', minLength: 1},
        privateKeyFile: {type: 'string', minLength: 1},
        chainFile: {type: 'string', minLength: 1},
        name: {type: 'string', pattern: '^[\\w+=,.@-]{1,128}$'},
      },
    },
  },
  listeners: {
    type: 'array',
    minItems: 1,
    maxItems: 100,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['protocol', 'loadBalancerPort', 'instanceProtocol', 'instancePort'],
      properties: {
        protocol,
        loadBalancerPort: port,
        instanceProtocol: protocol,
        instancePort: port,
        certificate: certificateArn,
        sslPolicy: {
          if: {type: 'string'},
          then: {
            type: 'string',
            minLength: 1,
            description: 'A predefined policy, e.g. ELBSecurityPolicy-TLS-1-2-2017-01.',
          },
          else: {
            type: 'object',
            additionalProperties: false,
            required: ['protocols', 'ciphers'],
            properties: {
              protocols: {type: 'array', minItems: 1, items: {type: 'string'}, uniqueItems: true},
              ciphers: {type: 'array', minItems: 1, items: {type: 'string'}, uniqueItems: true},
              serverOrder: {type: 'boolean'},
            },
          },
        },
      },
    },
  },
  backendAuthentication: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['instancePort'],
      properties: {
        instancePort: port,
        publicKeys: {type: 'array', items: {type: 'string', minLength: 1}},
        publicKeyFiles: {type: 'array', items: {type: 'string', minLength: 1}},
      },
    },
  },
  healthCheck: {
    type: 'object',
    additionalProperties: false,
    properties: {
      target: {type: 'string', minLength: 1, maxLength: 1024},
      interval: seconds(5, 300),
      timeout: seconds(2, 60),
      healthyThreshold: seconds(2, 10),
      unhealthyThreshold: seconds(2, 10),
    },
  },
  attributes: {
    type: 'object',
    additionalProperties: false,
    properties: {
      crossZoneLoadBalancing: {type: 'boolean'},
      connectionDraining: {
        if: {type: 'boolean'},
        then: {const: false},
        else: seconds(1, 3600),
        description: 'The draining timeout in seconds, or false for off.',
      },
      idleTimeout: seconds(1, 3600),
    },
  },
  tags: {
    type: 'object',
    maxProperties: 49,
    propertyNames: {minLength: 1, maxLength: 127},
    additionalProperties: {type: 'string', maxLength: 255},
  },
  instances: ids('^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$', 1000),
}

const loadBalancer = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'listeners'],
  properties: loadBalancerProperties,
}

/** The JSON Schema (draft-07) of a spec file: one load balancer, or `loadBalancers` for several. */
export const SPEC_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/elbx/elbx/schema/load-balancer.schema.json',
  title: 'elbx load balancer spec',
  description:
    'A Classic Load Balancer as elbx export writes it and elbx diff -f / apply -f read it (docs/spec.md).',
  type: 'object',
  if: {required: ['loadBalancers']},
  then: {
    additionalProperties: false,
    required: ['version', 'loadBalancers'],
    properties: {
      version: {const: SPEC_VERSION},
      loadBalancers: {type: 'array', items: loadBalancer},
    },
  },
  else: {
    ...loadBalancer,
    required: ['version', ...loadBalancer.required],
    properties: {version: {const: SPEC_VERSION}, ...loadBalancerProperties},
  },
}
