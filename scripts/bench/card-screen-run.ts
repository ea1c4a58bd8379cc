/**
 * Child of `npm run bench` for card in → on screen: starts the PC/SC lab in the current network namespace (the
 * parent runs it inside a private one with quickack routes for the quickack figures), measures, prints one
 * `SCREEN_RESULT {json}` line and stops the lab.
 *
 *   node --import tsx scripts/bench/card-screen-run.ts --inserts 90
 */
import { parseArgs } from 'node:util'
import { startLab, stopLab } from '../../tests/lab/pcsc-lab'
import { measureCardScreen } from './card-screen'

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { inserts: { type: 'string', default: '90' } } })
  await startLab()
  try {
    const r = await measureCardScreen(Number(values.inserts))
    process.stdout.write(`SCREEN_RESULT ${JSON.stringify(r)}\n`)
  } finally {
    await stopLab()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
