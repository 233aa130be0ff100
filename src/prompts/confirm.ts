import {inquirer} from './inquirer.js'

/** A yes/no question on stderr (TTY only); the default is no, as a destructive command's should be. */
export async function confirmAction(message: string, signal?: AbortSignal): Promise<boolean> {
  const {confirm} = await inquirer()
  return confirm({message, default: false}, {output: process.stderr, ...(signal ? {signal} : {})})
}
