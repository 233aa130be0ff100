import type {ChalkInstance} from 'chalk'

import type {CheckStatus, VerifyCheck, VerifyReport} from '../steps/verify/types.js'

export interface ChecklistOptions {
  /** A table for a terminal; one plain line per fact otherwise (logs, pipes, grep). */
  table: boolean
  colors: ChalkInstance
  /** Terminal width for wrapping the table's detail column. */
  width?: number
}

const LABEL: Record<CheckStatus, string> = {pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP'}

function paint(colors: ChalkInstance, status: CheckStatus, text: string): string {
  switch (status) {
    case 'pass':
      return colors.green(text)
    case 'fail':
      return colors.red(text)
    case 'warn':
      return colors.yellow(text)
    default:
      return colors.dim(text)
  }
}

/** Splits text into lines of at most `width` characters, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line)
        line = ''
      }
      let rest = word
      while (rest.length > width) {
        if (line) {
          out.push(line)
          line = ''
        }
        out.push(rest.slice(0, width))
        rest = rest.slice(width)
      }
      line = line ? `${line} ${rest}` : rest
    }
    out.push(line)
  }
  return out
}

/** "5 passed, 0 failed, 1 warning, 0 skipped" */
export function countsText(report: VerifyReport): string {
  const {counts} = report
  return `${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warning${counts.warn === 1 ? '' : 's'}, ${counts.skip} skipped`
}

function summaryLine(report: VerifyReport, colors: ChalkInstance): string {
  const verdict = report.passed ? colors.green('Verification passed') : colors.red('Verification failed')
  return `${verdict}: ${countsText(report)}.`
}

function plainLines(checks: VerifyCheck[], colors: ChalkInstance): string[] {
  const lines: string[] = []
  for (const check of checks) {
    const [first = '', ...rest] = check.detail.split('\n')
    lines.push(`${paint(colors, check.status, `[${LABEL[check.status]}]`)} ${check.title}: ${first}`)
    for (const line of rest) lines.push(`       ${line}`)
  }
  return lines
}

function tableLines(checks: VerifyCheck[], colors: ChalkInstance, width: number): string[] {
  const statusWidth = 6
  const titleWidth = Math.min(Math.max(5, ...checks.map((c) => c.title.length)), 44)
  // Four borders and a space either side of each of the three cells.
  const detailWidth = Math.max(20, width - statusWidth - titleWidth - 10)
  const border = (l: string, m: string, r: string) =>
    colors.dim(
      `${l}${'─'.repeat(statusWidth + 2)}${m}${'─'.repeat(titleWidth + 2)}${m}${'─'.repeat(detailWidth + 2)}${r}`,
    )
  const bar = colors.dim('│')
  // Pad before painting: colour codes have no width on screen.
  const row = (status: string, paintStatus: (s: string) => string, title: string, detail: string) =>
    `${bar} ${paintStatus(status.padEnd(statusWidth))} ${bar} ${title.padEnd(titleWidth)} ${bar} ${detail.padEnd(detailWidth)} ${bar}`
  const lines = [border('┌', '┬', '┐'), row('Status', colors.bold, 'Check', 'Detail'), border('├', '┼', '┤')]
  checks.forEach((check, index) => {
    const titles = wrap(check.title, titleWidth)
    const details = wrap(check.detail, detailWidth)
    const height = Math.max(titles.length, details.length)
    for (let i = 0; i < height; i++) {
      const label = i === 0 ? LABEL[check.status] : ''
      lines.push(row(label, (text) => paint(colors, check.status, text), titles[i] ?? '', details[i] ?? ''))
    }
    if (index < checks.length - 1) lines.push(border('├', '┼', '┤'))
  })
  lines.push(border('└', '┴', '┘'))
  return lines
}

/** The checklist `elbx verify` prints on stdout, ending with the verdict. */
export function renderChecklist(report: VerifyReport, options: ChecklistOptions): string {
  const header = `Verify ${report.loadBalancerName}${report.dnsName ? ` (${report.dnsName})` : ''}${report.host && report.host !== report.dnsName ? `, as ${report.host}` : ''}`
  const body = options.table
    ? tableLines(report.checks, options.colors, options.width ?? 120)
    : plainLines(report.checks, options.colors)
  return [header, ...body, summaryLine(report, options.colors)].join('\n')
}
