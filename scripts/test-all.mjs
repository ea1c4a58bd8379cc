// npm test: every suite in order, then ONE closing line "N passed, N failed[, N skipped]" summed over
// all of them (CI reads that line). Typecheck, lint, format, build and builder validation count as
// one check each; vitest and Playwright count their tests from their JSON reports.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const tmp = join(process.cwd(), '.tmp')
mkdirSync(tmp, { recursive: true })
const totals = { passed: 0, failed: 0, skipped: 0 }
const rows = []

function run(cmd, args, { env = {}, timeoutMs = 20 * 60_000 } = {}) {
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  })
  if (r.error) console.error(`\n${cmd} ${args.join(' ')}: ${r.error.message}`)
  return r.status === 0
}

function check(name, cmd, args, opts) {
  console.log(`\n=== ${name} ===`)
  const ok = run(cmd, args, opts)
  totals[ok ? 'passed' : 'failed'] += 1
  rows.push(`${name}: ${ok ? 'ok' : 'FAILED'}`)
  return ok
}

function vitestSuite(name, config, opts) {
  console.log(`\n=== ${name} ===`)
  const out = join(tmp, `${name}.json`)
  rmSync(out, { force: true })
  const ok = run(
    'npx',
    ['vitest', 'run', '-c', config, '--reporter=default', '--reporter=json', `--outputFile=${out}`],
    opts,
  )
  if (!existsSync(out)) {
    totals.failed += 1
    rows.push(`${name}: FAILED (no report)`)
    return
  }
  const r = JSON.parse(readFileSync(out, 'utf8'))
  const failedFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length
  const passed = r.numPassedTests
  const failed = r.numFailedTests + failedFiles + (ok || r.numFailedTests || failedFiles ? 0 : 1)
  const skipped = r.numPendingTests + r.numTodoTests
  totals.passed += passed
  totals.failed += failed
  totals.skipped += skipped
  rows.push(`${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`)
}

function playwrightSuite(name) {
  console.log(`\n=== ${name} ===`)
  const out = join(tmp, 'playwright.json')
  rmSync(out, { force: true })
  const ok = run('npx', ['playwright', 'test', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: out },
  })
  if (!existsSync(out)) {
    totals.failed += 1
    rows.push(`${name}: FAILED (no report)`)
    return
  }
  const s = JSON.parse(readFileSync(out, 'utf8')).stats ?? {}
  const passed = (s.expected ?? 0) + (s.flaky ?? 0)
  const failed = (s.unexpected ?? 0) + (ok || s.unexpected ? 0 : 1)
  totals.passed += passed
  totals.failed += failed
  totals.skipped += s.skipped ?? 0
  rows.push(`${name}: ${passed} passed, ${failed} failed, ${s.skipped ?? 0} skipped`)
}

check('typecheck', 'npm', ['run', '--silent', 'typecheck'])
check('lint', 'npx', ['eslint', '--max-warnings', '0', '.'])
check('format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.'])
vitestSuite('unit', 'vitest.config.mts')
check('build', 'npx', ['electron-vite', 'build'])
// Hard timeout: a process that exits while an SCardTransmit is in flight can hang (pcsc-lab.md §3).
vitestSuite('lab', 'vitest.lab.config.mts', { timeoutMs: 15 * 60_000 })
playwrightSuite('e2e')
check('electron-builder config', 'node', ['scripts/validate-builder-config.cjs'])
check('packaging (offline: fuses, installer)', 'node', ['scripts/check-package.mjs'])

console.log('\n=== summary ===')
for (const row of rows) console.log(`  ${row}`)
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(totals.failed === 0 ? 0 : 1)
