/**
 * Child of `npm run bench` for the enrollment machine time: starts the PC/SC lab in the current network namespace
 * (the parent runs it inside a private one with quickack routes for the quickack figures), measures, prints one
 * `ENROLL_RESULT {json}` line and stops the lab.
 *
 *   node --import tsx scripts/bench/enrollment-run.ts --latency 0 --runs 5
 */
import { parseArgs } from 'node:util'
import { startLab, stopLab } from '../../tests/lab/pcsc-lab'
import { measureEnrollment } from './enrollment'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { latency: { type: 'string', default: '0' }, runs: { type: 'string', default: '5' } },
  })
  await startLab()
  try {
    const r = await measureEnrollment(Number(values.latency), Number(values.runs))
    process.stdout.write(`ENROLL_RESULT ${JSON.stringify(r)}\n`)
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
