/**
 * @inquirer/prompts and what it pulls in (about forty modules) load only when elbx asks its first
 * question: runs with --yes, --json or without a terminal never pay for them at start-up.
 */
export const inquirer = () => import('@inquirer/prompts')
