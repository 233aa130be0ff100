import {resetMoto} from '../../scripts/lib/moto.js'
import {motoEndpoint} from './moto.js'

// Every test file starts from an empty moto (its worker's own server).
beforeAll(async () => {
  await resetMoto(motoEndpoint())
})
