// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { GIDS_ATR, IDS, cardRecord, enrollmentView, person, templateView } from './fixtures'
import { virtualReader, type FakeStation } from './fake-station'
import { flow, goTo, startApp, stopApp } from './harness'

afterEach(stopApp)

/** V0 holds the holder's current badge (registered in CM, owner = holder). */
function holderBadgeInV0(fake: FakeStation): void {
  fake.card.identify.mockResolvedValue({
    ok: true,
    value: { atr: GIDS_ATR, cardId: IDS.oldCard, isGids: true },
  })
  fake.cm.findCard.mockResolvedValue({ ok: true, value: cardRecord({}) })
}

const stepNames = () => screen.getAllByTestId('stepper-step').map((el) => el.dataset.step)

describe('issue a badge: holder & request', () => {
  it('from the holder’s current badge: pick it, the template (policy data + comment), Create request', async () => {
    const user = userEvent.setup()
    const { fake, app } = startApp(
      {
        snapshot: { service: 'available', readers: [virtualReader('V0', GIDS_ATR)] },
        templates: [
          templateView({
            collectComments: true,
            dataCollection: [
              { name: 'Request Reason', required: true },
              { name: 'Ticket', required: false },
            ],
          }),
          templateView({
            uuid: IDS.template2,
            name: 'Badge GIDS (holder PIN)',
            needsApproval: true,
          }),
        ],
      },
      holderBadgeInV0,
    )
    fake.enrollment.start.mockResolvedValue({ ok: true, value: enrollmentView() })
    goTo(app, { name: 'issue', requestId: null })
    expect(flow()).toHaveAttribute('data-step', 'request')
    expect(stepNames()).toEqual([
      'request',
      'card',
      'bind',
      'admin-key',
      'pin',
      'certificates',
      'retire',
      'complete',
    ])

    const option = await screen.findByTestId('holder-from-badge')
    expect(option).toHaveAttribute('data-reader-name', 'V0')
    expect(option).toHaveAccessibleName(new RegExp(`${IDS.holder}.*badge in V0 \\(Active\\)`))
    const create = screen.getByTestId('create-request')
    expect(create).toHaveAttribute('aria-disabled', 'true')

    await user.click(option)
    // The holder's current template is suggested.
    const options = screen.getAllByTestId('template-option')
    expect(options.map((o) => o.dataset.templateId)).toEqual([IDS.template, IDS.template2])
    expect(options[0]).toBeChecked()
    expect(screen.getByText('Needs approval')).toBeInTheDocument()
    expect(screen.getAllByText('PIN 8–127 characters')).toHaveLength(2)

    // Required data item still empty: not yet.
    await user.click(create)
    expect(fake.enrollment.start).not.toHaveBeenCalled()
    await user.type(screen.getByRole('textbox', { name: /Request Reason/ }), 'Lost badge')
    await user.type(screen.getByTestId('request-comment'), 'Desk 3')
    await user.click(create)
    expect(fake.enrollment.start).toHaveBeenCalledWith({
      kind: 'holder',
      holderUuid: IDS.holder,
      templateId: IDS.template,
      dataCollection: [
        { name: 'Request Reason', value: 'Lost badge' },
        { name: 'Ticket', value: '' },
      ],
      comment: 'Desk 3',
      // The badge the operator started from, so the retire step offers it.
      fromSmartcardUuid: '7a000000-0000-4000-8000-000000000001',
    })
    expect(await screen.findByTestId('card-step')).toBeInTheDocument()
    expect(flow()).toHaveAttribute('data-request-id', IDS.request)
    expect(flow()).toHaveAttribute('data-step', 'card')
    expect(flow()).toHaveAttribute('data-status', 'needs-operator')
    expect(flow()).toHaveAttribute('data-prompt', 'insert-card')
  })

  it('shows the approval step in the stepper when the chosen template needs approval', async () => {
    const user = userEvent.setup()
    const { app } = startApp({ templates: [templateView({ needsApproval: true })] })
    goTo(app, { name: 'issue', requestId: null })
    await user.click(await screen.findByTestId('template-option'))
    expect(stepNames()).toContain('approval')
    expect(screen.getAllByTestId('stepper-step')[0]).toHaveAttribute('aria-current', 'step')
  })

  it('by request ID: braces and upper case accepted, Enter submits (as a barcode scanner does)', async () => {
    const user = userEvent.setup()
    const { fake, app } = startApp()
    fake.enrollment.start.mockResolvedValue({ ok: true, value: enrollmentView() })
    goTo(app, { name: 'issue', requestId: null })
    const input = screen.getByTestId('request-id-input')
    // `{{` types a literal brace in user-event.
    await user.type(input, `{{${IDS.request.toUpperCase()}}{Enter}`)
    expect(fake.enrollment.start).toHaveBeenCalledWith({ kind: 'request', requestId: IDS.request })
    expect(await screen.findByTestId('card-step')).toBeInTheDocument()
  })

  it('by request ID: refuses text that is not a GUID, with a sentence', async () => {
    const user = userEvent.setup()
    const { fake, app } = startApp()
    goTo(app, { name: 'issue', requestId: null })
    await user.type(screen.getByTestId('request-id-input'), 'not-a-request{Enter}')
    expect(screen.getByText(/This is not a request ID/)).toBeInTheDocument()
    expect(screen.getByTestId('request-id-input')).toHaveAttribute('aria-invalid', 'true')
    expect(fake.enrollment.start).not.toHaveBeenCalled()
  })

  it('shows a refused start as a sentence with its code and correlation id', async () => {
    const user = userEvent.setup()
    const { fake, app } = startApp()
    fake.enrollment.start.mockResolvedValue({
      ok: false,
      error: { code: 'request-not-found', correlationId: 'corr-7' },
    })
    goTo(app, { name: 'issue', requestId: null })
    await user.type(screen.getByTestId('request-id-input'), `${IDS.request}{Enter}`)
    const error = await screen.findByTestId('enrollment-error')
    expect(error).toHaveAttribute('data-code', 'request-not-found')
    expect(error).toHaveTextContent('Certificate Management has no request with this ID that you can see.')
    expect(within(error).getByTestId('correlation-id')).toHaveTextContent('corr-7')
    expect(flow()).toHaveAttribute('data-step', 'request')
  })

  it('approved requests: holder, template and submitted; picking one starts it by request id', async () => {
    const user = userEvent.setup()
    const { fake, app } = startApp({ templates: [templateView()] }, (f) =>
      f.enrollment.listApprovedRequests.mockResolvedValue({
        ok: true,
        value: [
          {
            requestId: IDS.request2,
            templateId: IDS.template,
            targetUserUuid: IDS.holder,
            originatorUserUuid: null,
            submitted: '2026-03-11T08:00:00Z',
            hasCard: false,
            dataCollection: [],
          },
        ],
      }),
    )
    fake.enrollment.start.mockResolvedValue({
      ok: true,
      value: enrollmentView({ requestId: IDS.request2 }),
    })
    goTo(app, { name: 'issue', requestId: null })
    const approved = await screen.findByTestId('approved-request')
    expect(approved).toHaveAttribute('data-request-id', IDS.request2)
    expect(approved).toHaveTextContent(IDS.holder)
    expect(approved).toHaveTextContent('Badge vSC (server PIN)')
    expect(approved).toHaveTextContent(/Submitted .*2026/)
    await user.click(approved)
    expect(fake.enrollment.start).toHaveBeenCalledWith({ kind: 'request', requestId: IDS.request2 })
    await expect.poll(() => flow().dataset.requestId).toBe(IDS.request2)
  })

  it('without a directory there is no holder search box', async () => {
    const { app } = startApp({ templates: [templateView()] })
    goTo(app, { name: 'issue', requestId: null })
    await screen.findByTestId('template-option')
    expect(screen.queryByRole('combobox', { name: /directory/ })).toBeNull()
    expect(screen.getByTestId('holder-no-badge')).toBeInTheDocument()
  })
})

describe('holder search (directory)', () => {
  const people = [
    person(IDS.holder, 'Alice Martins', 'CORP\\amartins'),
    person(IDS.other, 'Alina Costa', 'CORP\\acosta'),
  ]

  it('is a type-ahead combobox operated with the keyboard: arrows move, Enter picks, Escape closes', async () => {
    const user = userEvent.setup()
    const { fake, app } = startApp({ info: { directory: true }, people, templates: [templateView()] })
    goTo(app, { name: 'issue', requestId: null })
    const box = await screen.findByRole('combobox', { name: /Find the holder in the directory/ })
    await user.type(box, 'ali')
    expect(await screen.findByText('People found: 2. Use the arrow keys to choose.')).toBeInTheDocument()
    // Debounced: one search for the whole word, not one per key.
    expect(fake.directory.search).toHaveBeenCalledTimes(1)
    expect(fake.directory.search).toHaveBeenCalledWith({ query: 'ali', limit: 20 })
    expect(box).toHaveAttribute('aria-expanded', 'true')

    await user.keyboard('{ArrowDown}')
    const listbox = screen.getByRole('listbox')
    const opts = within(listbox).getAllByRole('option')
    expect(opts[0]).toHaveAttribute('aria-selected', 'true')
    expect(box).toHaveAttribute('aria-activedescendant', opts[0]!.id)
    await user.keyboard('{ArrowDown}')
    expect(opts[1]).toHaveAttribute('aria-selected', 'true')
    await user.keyboard('{ArrowDown}')
    expect(opts[0]).toHaveAttribute('aria-selected', 'true')
    await user.keyboard('{ArrowUp}')
    expect(box).toHaveAttribute('aria-activedescendant', opts[1]!.id)

    await user.keyboard('{Escape}')
    expect(box).toHaveAttribute('aria-expanded', 'false')
    await user.keyboard('{ArrowDown}{Enter}')
    expect(screen.getByTestId('holder-chosen')).toHaveTextContent('Holder: Alice Martins (CORP\\amartins)')
    expect(screen.getByTestId('holder-chosen')).toHaveAttribute('data-holder-uuid', IDS.holder)
  })

  it('picks a person with the mouse too, and the request goes to that holder', async () => {
    const user = userEvent.setup()
    const { fake, app } = startApp({ info: { directory: true }, people, templates: [templateView()] })
    fake.enrollment.start.mockResolvedValue({
      ok: true,
      value: enrollmentView({ holderUuid: IDS.other }),
    })
    goTo(app, { name: 'issue', requestId: null })
    await user.type(await screen.findByRole('combobox', { name: /directory/ }), 'costa')
    await user.click(await screen.findByRole('option', { name: /Alina Costa/ }))
    await user.click(screen.getByTestId('template-option'))
    await user.click(screen.getByTestId('create-request'))
    expect(fake.enrollment.start).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'holder', holderUuid: IDS.other }),
    )
  })
})
