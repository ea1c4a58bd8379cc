import { expect, type Locator, type Page } from '@playwright/test'

/**
 * Page object of the "Issue a badge" flow (conventions §15: intention-revealing waits, no sleeps). It reads the flow
 * container's `data-step` / `data-status` / `data-prompt`, which mirror the station's EnrollmentView.
 */
export class EnrollmentPage {
  constructor(readonly page: Page) {}

  /** The flow container. */
  get flow(): Locator {
    return this.page.getByTestId('enrollment')
  }

  /** Open "Issue a badge" from Home. */
  async openIssue(): Promise<void> {
    await this.page.getByTestId('task-issue').click()
    await expect(this.flow).toHaveAttribute('data-step', 'request')
  }

  /** Way (a): the holder's current badge in `reader`, then `templateId`, then create the request. */
  async startFromBadge(reader: string, templateId: string): Promise<string> {
    const badge = this.page.locator(`[data-testid="holder-from-badge"][data-reader-name="${reader}"]`)
    await badge.check()
    await this.page.locator(`[data-testid="template-option"][data-template-id="${templateId}"]`).check()
    await this.page.getByTestId('create-request').click()
    await expect(this.flow).toHaveAttribute('data-request-id', /^[0-9a-f-]{36}$/)
    return (await this.flow.getAttribute('data-request-id')) ?? ''
  }

  /**
   * From Home: "Issue a badge" → the holder's badge in `reader` (once identified) → `templateId` → Create request,
   * until the flow asks for the new badge. Returns the request id.
   */
  async startAtNewBadge(reader: string, templateId: string): Promise<string> {
    await this.openIssue()
    await expect(
      this.page.locator(`[data-testid="holder-from-badge"][data-reader-name="${reader}"]`),
    ).toBeVisible({ timeout: 20_000 })
    const rid = await this.startFromBadge(reader, templateId)
    await this.waitFor('card', 'needs-operator', 'insert-card')
    return rid
  }

  /** Wait until the flow is at `step` with `status` (and `prompt`, when given). */
  async waitFor(step: string, status: string, prompt?: string): Promise<void> {
    await expect(this.flow).toHaveAttribute('data-step', step, { timeout: 30_000 })
    await expect(this.flow).toHaveAttribute('data-status', status, { timeout: 30_000 })
    if (prompt !== undefined) await expect(this.flow).toHaveAttribute('data-prompt', prompt)
  }

  /** "Use the card in <reader>". */
  async useCard(reader: string): Promise<void> {
    await this.page.locator(`[data-testid="use-card"][data-reader-name="${reader}"]`).click()
  }

  /** The server PIN as shown (reveal mode: reveal it first). */
  async readServerPin(): Promise<string> {
    const pin = this.page.getByTestId('server-pin')
    await expect(pin).toBeVisible()
    if ((await pin.getAttribute('data-masked')) === 'true') await this.page.getByTestId('reveal-pin').click()
    await expect(pin).toHaveAttribute('data-masked', 'false')
    const text = (await pin.textContent())?.trim() ?? ''
    expect(text).toMatch(/^\S+$/)
    return text
  }

  /** The holder has noted the PIN. */
  async pinNoted(): Promise<void> {
    await this.page.getByTestId('pin-noted').click()
  }

  /** The holder types a PIN twice and submits. */
  async holderChoosesPin(pin: string): Promise<void> {
    await this.page.getByTestId('holder-pin').fill(pin)
    await this.page.getByTestId('holder-pin-confirm').fill(pin)
    await this.page.getByTestId('holder-pin-submit').click()
  }

  /** The retire checklist: the candidate card's checkbox. */
  retireCandidate(smartcardUuid: string): Locator {
    return this.page.locator(`[data-testid="retire-candidate"][data-smartcard-uuid="${smartcardUuid}"]`)
  }

  async confirmRetire(): Promise<void> {
    await this.page.getByTestId('retire-confirm').click()
  }

  /** The summary once the request is completed. */
  async waitForSummary(): Promise<Locator> {
    const summary = this.page.getByTestId('summary')
    await expect(summary).toBeVisible({ timeout: 30_000 })
    return summary
  }
}
