import {mkdirSync, statSync, writeFileSync} from 'node:fs'
import {extname, join} from 'node:path'

import {Flags} from '@oclif/core'

import {ElbxCommand, LOAD_BALANCER, type Needs} from '../base-command.js'
import {InvalidInputError} from '../errors.js'
import {loadBalancerNameFlag} from '../flags.js'
import {exportAll, exportSpec} from '../steps/spec-export.js'
import {checkFilePath} from '../validate/file-path.js'
import {formatSpec, SPEC_FORMATS, type SpecFormat} from '../validate/spec.js'
import {SPEC_VERSION, type LoadBalancerSpec} from '../validate/spec-schema.js'

/** `--json` result of `elbx export`. */
export interface ExportResult {
  loadBalancers: LoadBalancerSpec[]
  /** The files written (empty when the spec went to stdout). */
  written: string[]
}

/** The format a spec file's name asks for: JSON for .json, YAML otherwise. */
export const formatOf = (path: string): SpecFormat =>
  extname(path).toLowerCase() === '.json' ? 'json' : 'yaml'

/** Writes one spec file (create --export-spec, export --output). */
export function writeSpec(path: string, spec: LoadBalancerSpec, format: SpecFormat = formatOf(path)): void {
  writeFileSync(path, formatSpec(spec, format))
}

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

export default class Export extends ElbxCommand<typeof Export> {
  static override summary =
    'Print a load balancer as a spec file (YAML or JSON) for `elbx diff -f` and `elbx apply -f`.'

  static override description = `Reads the load balancer and writes it in elbx's spec format (docs/spec.md, schema/load-balancer.schema.json): listeners with their certificates, each HTTPS/SSL listener's SSL policy by content (a predefined policy by name; a custom one as its protocols, ciphers and server order, never the hundred attributes AWS expands it to), back-end authentication as PEM public keys, health check, attributes, tags, subnets or Availability Zones, scheme, security groups and instances. Private keys are never written: AWS does not return them, and certificates are named by ARN.

A spec exported and diffed at once shows no difference; applied to the same load balancer it changes nothing.

--all exports every load balancer of the Region: to one file (a list under loadBalancers), or, when --output is a folder (an existing one, or a path ending in /), one NAME.yaml file each.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb > my-lb.yaml',
    '<%= config.bin %> <%= command.id %> --name my-lb --format json --output my-lb.json',
    '<%= config.bin %> <%= command.id %> --all --output specs/',
  ]

  static override flags = {
    name: loadBalancerNameFlag(),
    all: Flags.boolean({description: 'Every load balancer of the Region.', exclusive: ['name']}),
    format: Flags.option({
      options: SPEC_FORMATS,
      description: "yaml or json (default: from --output's extension, else yaml).",
    })(),
    output: Flags.string({
      char: 'o',
      description: 'Write to this file (or, with --all, this folder) instead of stdout.',
    }),
  }

  static override needs: Needs = {
    flags: {name: {...LOAD_BALANCER, unless: ['all'], label: '--name (or --all)'}},
    example: '--name my-lb',
  }

  public async run(): Promise<ExportResult> {
    const output = this.flags.output === undefined ? undefined : checkFilePath('--output', this.flags.output)
    const format: SpecFormat = this.flags.format ?? (output ? formatOf(output) : 'yaml')
    const toFolder = output !== undefined && (output.endsWith('/') || isDirectory(output))
    if (toFolder && !this.flags.all)
      throw new InvalidInputError(
        `--output ${output} is a folder; one load balancer goes to a file.`,
        'Pass a file name (my-lb.yaml), or --all to write one file per load balancer.',
      )
    const name = this.flags.all ? undefined : await this.loadBalancerName()
    const gateways = await this.aws()
    const specs = name === undefined ? await exportAll(gateways) : [await exportSpec(gateways, name)]
    const written: string[] = []
    if (toFolder) {
      mkdirSync(output, {recursive: true})
      for (const spec of specs) {
        const path = join(output, `${spec.name}.${format}`)
        writeSpec(path, spec, format)
        written.push(path)
      }
    } else {
      const text =
        name === undefined
          ? formatSpec(
              {version: SPEC_VERSION, loadBalancers: specs.map(({version: _v, ...lb}) => lb)},
              format,
            )
          : formatSpec(specs[0]!, format)
      if (output) {
        writeFileSync(output, text)
        written.push(output)
      } else if (!this.jsonEnabled()) process.stdout.write(text)
    }
    for (const path of written) this.ui.info(`Wrote ${path}`)
    return {loadBalancers: specs, written}
  }
}
