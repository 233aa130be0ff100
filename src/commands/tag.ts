import {Flags} from '@oclif/core'

import {LOAD_BALANCER, type Needs} from '../base-command.js'
import {ChangeCommand, dryRunFlag, type ChangeDryRunResult, type ChangeResult} from '../change-command.js'
import {loadBalancerNameFlag} from '../flags.js'
import {planTags, type TagState} from '../steps/engine/changes/tags.js'
import {parseTagChanges} from '../validate/tags.js'

export type TagResult = ChangeResult<TagState> | ChangeDryRunResult

export default class Tag extends ChangeCommand<typeof Tag> {
  static override summary = 'Add, change or remove tags of a load balancer in place.'

  static override description = `--add key=value adds a tag or gives a key a new value (AddTags overwrites a key); --remove KEY removes one. Every other tag stays. The rules are AWS's: a key of 1-127 characters and a value of up to 255, neither starting with "aws:" nor starting or ending with a space, and at most 50 tags on a load balancer (elbx's own elbx:run tag included), checked against the tags it has before any change. A rerun changes nothing. See docs/attributes-and-tags.md.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --name my-lb --add team=web --add env=prod --yes',
    '<%= config.bin %> <%= command.id %> --name my-lb --remove env --dry-run',
    '<%= config.bin %> <%= command.id %> --name my-lb --add owner=ops --remove team --yes --json',
  ]

  static override needs: Needs = {flags: {name: LOAD_BALANCER}, example: '--name my-lb --add team=web'}

  static override flags = {
    name: loadBalancerNameFlag(),
    add: Flags.string({
      multiple: true,
      description: 'A tag to add or change, key=value, repeatable.',
      atLeastOne: ['add', 'remove'],
    }),
    remove: Flags.string({multiple: true, description: 'A tag key to remove, repeatable.'}),
    'dry-run': dryRunFlag(),
  }

  public async run(): Promise<TagResult> {
    const {add, remove} = parseTagChanges(this.flags.add ?? [], this.flags.remove ?? [])
    const loadBalancerName = await this.loadBalancerName()
    return this.runChange({
      loadBalancerName,
      reads: {tags: true},
      title: 'Tags',
      plan: (observed) => planTags({add, remove}, observed),
      dryRun: this.flags['dry-run'],
      describe: (s) => [`  tags ${s.tags.map((t) => `${t.key}=${t.value}`).join(', ') || 'none'}`],
    })
  }
}
