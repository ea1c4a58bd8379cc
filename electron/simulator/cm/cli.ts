import { parseArgs } from 'node:util'
import { createLogger } from '../../services/log'
import { generatePeople } from '../directory/people'
import { simNegotiateHeader } from './auth'
import type { FaultRule } from './faults'
import { startCmSimulator } from './index'
import { PRESET_NAMES } from './presets'
import type { PresetName } from './presets'
import { SCENARIO_NAMES } from './seeds'
import type { ScenarioName } from './seeds'

/**
 * `npm run cm-sim -- --port 8085 [--scenario training|docs|empty | --seed file.json] [--latency 50]
 *   [--jitter 20] [--fail-rate 0.1] [--default-user CORP\\jdoe] [--control-http] [--preset name]...
 *   [--certificate-response cmc|certs-only]`
 */
const USAGE = `Usage: npm run cm-sim -- [options]
  --port <n>            TCP port on 127.0.0.1 (default 8085; 0 = random)
  --scenario <name>     ${SCENARIO_NAMES.join(' | ')} (default training)
  --seed <file.json>    seed file (see electron/simulator/cm/README.md); overrides --scenario
  --rng-seed <text>     RNG seed (default: the seed's RngSeed)
  --latency <ms>        add latency to every API call
  --jitter <ms>         random extra latency (0..ms)
  --fail-rate <p>       probability (0..1) of a 500 with correlation id on any API call
  --default-user <acct> act as this user when a request has no Authorization header
  --basic-realm <realm> IIS Basic Authentication beside Windows Authentication: a 401 also offers
                        WWW-Authenticate: Basic realm="<realm>" (preset windows-sign-in-refused sets one)
  --preset <name>       apply a preset (${PRESET_NAMES.join(', ')}); repeatable
  --strict              strict JSON/body parsing (no walkthrough leniency)
  --certificate-response <form>
                        E10 Pkcs7 form: cmc (CMC full response, like real CM; default) | certs-only
  --control-http        serve the control API under /__sim/
  --verbose             log every request to stderr
  --people <n>          add n directory people as CM users (generatePeople, as the slapd lab seeds them)
  --people-seed <text>  their generator seed (default: generatePeople's)`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8085' },
      scenario: { type: 'string' },
      seed: { type: 'string' },
      'rng-seed': { type: 'string' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      'fail-rate': { type: 'string' },
      'default-user': { type: 'string' },
      'basic-realm': { type: 'string' },
      preset: { type: 'string', multiple: true },
      strict: { type: 'boolean' },
      'certificate-response': { type: 'string' },
      'control-http': { type: 'boolean' },
      verbose: { type: 'boolean' },
      people: { type: 'string' },
      'people-seed': { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    process.stdout.write(USAGE + '\n')
    return
  }
  const scenario = values.scenario ?? 'training'
  if (!(SCENARIO_NAMES as readonly string[]).includes(scenario))
    throw new Error(`unknown scenario ${scenario}`)
  for (const p of values.preset ?? []) {
    if (!(PRESET_NAMES as readonly string[]).includes(p)) throw new Error(`unknown preset ${p}`)
  }
  const certificateResponse = values['certificate-response'] ?? 'cmc'
  if (certificateResponse !== 'cmc' && certificateResponse !== 'certs-only') {
    throw new Error(`unknown certificate response form ${certificateResponse}`)
  }
  const api = '^/CertificateManagement/api/'
  const faults: FaultRule[] = []
  if (values.latency || values.jitter) {
    faults.push({
      id: 'cli-latency',
      match: { pathRegex: api },
      action: { type: 'latency', ms: Number(values.latency ?? 0), jitterMs: Number(values.jitter ?? 0) },
    })
  }
  if (values['fail-rate']) {
    faults.push({
      id: 'cli-fail-rate',
      match: { pathRegex: api, probability: Number(values['fail-rate']) },
      action: { type: 'status', code: 500, message: 'Injected failure (--fail-rate).' },
    })
  }
  const logger = createLogger(undefined, values.verbose ? 'debug' : 'warn')
  const sim = await startCmSimulator({
    port: Number(values.port),
    ...(values.seed ? { seedFile: values.seed } : { scenario: scenario as ScenarioName }),
    ...(values['rng-seed'] ? { rngSeed: values['rng-seed'] } : {}),
    faults,
    presets: (values.preset ?? []) as PresetName[],
    defaultUser: values['default-user'] ?? null,
    controlHttp: values['control-http'] ?? false,
    switches: {
      strict: values.strict ?? false,
      certificateResponse,
      ...(values['basic-realm'] ? { basicRealm: values['basic-realm'] } : {}),
    },
    logger,
    ...(values.people
      ? {
          people: generatePeople({
            count: Number(values.people),
            ...(values['people-seed'] ? { seed: values['people-seed'] } : {}),
          }),
        }
      : {}),
  })
  const users = sim.control.state().Users.filter((u) => !u.Key.startsWith('dir-'))
  process.stdout.write(`CM simulator listening on ${sim.baseUrl}\n`)
  process.stdout.write(`App root: ${sim.appRoot}\nAPI base: ${sim.appRoot}/api/v1.0\n`)
  process.stdout.write(`Users (send "Authorization: Negotiate base64(sim:<account>)"):\n`)
  for (const u of users) process.stdout.write(`  ${u.Account.padEnd(22)} ${simNegotiateHeader(u.Account)}\n`)
  if (values['control-http']) process.stdout.write(`Control API: ${sim.baseUrl}/__sim/\n`)
  const stop = () => {
    void sim.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  process.stderr.write(`cm-sim: ${(e as Error).message}\n\n${USAGE}\n`)
  process.exit(1)
})
