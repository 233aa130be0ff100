import {ElbxCommand} from '../base-command.js'
import {listLoadBalancers, type ListResult} from '../steps/show.js'
import {stdoutStyle} from '../ui/output.js'
import {renderList} from '../ui/show.js'

export type {ListResult}

export default class List extends ElbxCommand<typeof List> {
  static override summary = 'List the Classic Load Balancers of the Region, one line each.'

  static override description = `One line per load balancer: name, scheme, listeners, instances InService of registered, and the nearest expiry among its listeners' certificates. Reads DescribeLoadBalancers page by page, DescribeTags 20 names at a time, each load balancer's instance health and each certificate once, a few requests at a time; changes nothing.

In a terminal the result is a table; in a pipe each line is tab-separated: name, scheme, listeners, inService/registered, days to the nearest certificate expiry, its date ("-" when none). --json prints the document described in docs/show.md, tags included.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --region eu-west-1 --json',
    "<%= config.bin %> <%= command.id %> | awk -F'\\t' '$5 != \"-\" && $5 < 30'",
  ]

  public async run(): Promise<ListResult> {
    const result = await listLoadBalancers(await this.aws())
    for (const w of result.warnings) this.ui.warn(w)
    const text = renderList(result, stdoutStyle(this.flags.color))
    if (text) this.log(text)
    return result
  }
}
