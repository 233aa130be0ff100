// The entry bin/run.js loads: oclif's runner, bundled with the commands so they share one copy.
export {execute} from '@oclif/core'
