// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { CardContainerView } from '../../../shared/ipc/card'
import { GIDS_ATR, IDS, cardRecord, person, templateView } from './fixtures'
import { virtualReader, type FakeStation } from './fake-station'
import { startApp, stopApp } from './harness'

afterEach(stopApp)

function registeredInV0(fake: FakeStation): void {
  fake.card.identify.mockResolvedValue({
    ok: true,
    value: { atr: GIDS_ATR, cardId: IDS.oldCard, isGids: true },
  })
  fake.cm.findCard.mockResolvedValue({ ok: true, value: cardRecord({}) })
}
const options = { snapshot: { service: 'available' as const, readers: [virtualReader('V0', GIDS_ATR)] } }

const containers: CardContainerView[] = [
  {
    index: 0,
    name: 'le-0c9f-4b1a',
    isDefault: true,
    keyUsage: 'key-exchange',
    keyBits: 2048,
    certificate: {
      subject: 'CN=Alice Martins, OU=Finance',
      issuer: 'CN=Contoso Issuing CA',
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2027-01-01T00:00:00Z',
      serialNumber: '0A1B',
      thumbprint: 'AB12',
      templateName: 'SmartcardLogon',
      matchesKey: true,
    },
  },
  { index: 1, name: 'le-empty', isDefault: false, keyUsage: 'signature', keyBits: 2048, certificate: null },
]

describe('card details: certificates and names', () => {
  it('lists the card’s containers and certificates when asked, with the key match', async () => {
    const user = userEvent.setup()
    const { fake } = startApp(options, (f) => {
      registeredInV0(f)
      f.card.listCertificates.mockResolvedValue({ ok: true, value: containers })
    })
    const toggle = await screen.findByTestId('card-certificates-toggle')
    // Not read until the operator opens it (no card traffic during an enrollment).
    expect(fake.card.listCertificates).not.toHaveBeenCalled()
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
    await user.click(toggle)
    expect(fake.card.listCertificates).toHaveBeenCalledWith({ reader: 'V0' })
    const certs = await screen.findAllByTestId('card-certificate')
    expect(certs).toHaveLength(2)
    expect(certs[0]).toHaveTextContent('#0, key exchange, RSA 2048 bits · default')
    expect(certs[0]).toHaveTextContent('CN=Alice Martins, OU=Finance')
    expect(certs[0]).toHaveTextContent('CN=Contoso Issuing CA')
    expect(certs[0]).toHaveTextContent('SmartcardLogon')
    expect(certs[0]).toHaveTextContent(/from .*2026 to .*2027/)
    expect(within(certs[0]!).getByTestId('key-match')).toHaveTextContent('Matches the key on the card')
    expect(certs[1]).toHaveTextContent('No certificate stored')
    expect(toggle).toHaveAttribute('aria-expanded', 'true')

    await user.click(screen.getByRole('button', { name: 'Read the card again' }))
    await expect.poll(() => fake.card.listCertificates.mock.calls.length).toBe(2)
  })

  it('shows a read failure as a sentence', async () => {
    const user = userEvent.setup()
    startApp(options, (f) => {
      registeredInV0(f)
      f.card.listCertificates.mockResolvedValue({ ok: false, error: { code: 'card-removed' } })
    })
    await user.click(await screen.findByTestId('card-certificates-toggle'))
    expect(await screen.findByText('The card was removed.')).toBeInTheDocument()
  })

  it('shows the owner by name and the template by name when known', async () => {
    startApp(
      {
        ...options,
        info: { directory: true },
        people: [person(IDS.holder, 'Alice Martins', 'CORP\\amartins')],
        templates: [templateView()],
      },
      registeredInV0,
    )
    expect(await screen.findByText('Alice Martins')).toBeInTheDocument()
    expect(screen.getByTestId('cm-owner')).toHaveAttribute('data-uuid', IDS.holder)
    expect(screen.getByTestId('cm-template')).toHaveTextContent('Badge vSC (server PIN)')
  })

  it('keeps the owner GUID without a directory, and never asks the directory', async () => {
    const { fake } = startApp(options, registeredInV0)
    expect(await screen.findByTestId('cm-owner')).toHaveTextContent(IDS.holder)
    await act(async () => {})
    expect(fake.directory.lookup).not.toHaveBeenCalled()
  })
})
