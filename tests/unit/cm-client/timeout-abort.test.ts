import { describe, expect, it } from 'vitest'
import { StationError } from '../../../shared/errors'
import { clientWith, json, raw } from './fake-fetch'

const RID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099'

describe('per-call timeout and caller abort', () => {
  it('no response within timeoutMs → timeout (retried for a GET, then given up)', async () => {
    const { client, calls, sleeps } = clientWith(() => 'hang', { timeoutMs: 25 })
    const started = Date.now()
    await expect(client.getRequest(RID)).rejects.toMatchObject({ code: 'timeout' })
    expect(calls).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
    expect(Date.now() - started).toBeGreaterThanOrEqual(70)
  })

  it('a body that never arrives also times out', async () => {
    const { client, calls } = clientWith(
      () => ({ status: 200, contentType: 'application/json', bodyHang: true }),
      {
        timeoutMs: 25,
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      },
    )
    await expect(client.listRequests()).rejects.toMatchObject({ code: 'timeout' })
    expect(calls).toHaveLength(1)
  })

  it('a timeout then a success: the retry delivers', async () => {
    const { client } = clientWith((_r, n) => (n === 1 ? 'hang' : json(200, [])), { timeoutMs: 25 })
    expect(await client.listRequests({ status: 'Pending' })).toEqual([])
  })

  it('the caller aborting rejects with its own reason, is not retried and is not a timeout', async () => {
    const controller = new AbortController()
    const { client, calls } = clientWith(
      () => {
        setTimeout(() => controller.abort(new Error('operator cancelled')), 5)
        return 'hang'
      },
      { timeoutMs: 5000 },
    )
    const error = await client.getRequest(RID, { signal: controller.signal }).catch((e: unknown) => e)
    expect(error).not.toBeInstanceOf(StationError)
    expect((error as Error).message).toBe('operator cancelled')
    expect(calls).toHaveLength(1)
  })

  it('an already-aborted signal sends nothing useful and rejects at once', async () => {
    const controller = new AbortController()
    controller.abort(new Error('gone'))
    const { client } = clientWith(() => json(200, []))
    await expect(client.listCertificates({ signal: controller.signal })).rejects.toThrow('gone')
  })

  it('an abort during the backoff sleep stops the retries', async () => {
    const controller = new AbortController()
    const { client, calls } = clientWith(() => raw(503, '', null), {
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
          controller.abort(new Error('stop'))
        }),
    })
    await expect(client.getRequest(RID, { signal: controller.signal })).rejects.toThrow('stop')
    expect(calls).toHaveLength(1)
  })

  it('the default sleep honours the abort signal', async () => {
    const controller = new AbortController()
    const { client, calls } = clientWith(() => raw(503, '', null), {
      retry: { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      sleep: undefined as never,
    })
    const pending = client.getRequest(RID, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('bye')), 10)
    await expect(pending).rejects.toThrow('bye')
    expect(calls).toHaveLength(1)
  })
})
