/** What `npm pack` leaves in the working tree stays out of git (issue #13). */
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

describe('the package', () => {
  it("npm pack's tarball is ignored by git", () => {
    const {name, version} = JSON.parse(readFileSync('package.json', 'utf8')) as {
      name: string
      version: string
    }
    // check-ignore exits 0 (and prints the path) only for an ignored path.
    expect(execFileSync('git', ['check-ignore', `${name}-${version}.tgz`], {encoding: 'utf8'}).trim()).toBe(
      `${name}-${version}.tgz`,
    )
  })

  it('the reliability figures file is ignored by git', () => {
    expect(
      execFileSync('git', ['check-ignore', '.test-reports/reliability-figures.txt'], {
        encoding: 'utf8',
      }).trim(),
    ).toBe('.test-reports/reliability-figures.txt')
  })
})
