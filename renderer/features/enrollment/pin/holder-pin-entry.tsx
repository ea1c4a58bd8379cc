import { Button, Field, Input, Spinner, makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { checkPin, type PinRules } from '../../../../shared/domain/pin-rules'
import { HolderPanel } from './holder-panel'
import { PinRulesList } from './pin-rules-list'

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM, maxWidth: '28rem' },
})

/**
 * Prompt `holder-chooses-pin` (E16 204): the holder types a new PIN twice, checked live against the enrollment's
 * effective rules. Submit hands the PIN to `onSubmit` (the only request that carries it) and empties both fields.
 */
export function HolderPinEntry(props: {
  rules: PinRules
  busy: boolean
  onSubmit: (pin: string) => void
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  // The holder types here next: the field takes the focus when the prompt appears (after the page heading did).
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => form.current?.querySelector('input')?.focus(), [])
  const [pin, setPin] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const acceptable = !props.rules.conflict && checkPin(pin, props.rules, confirmation).length === 0
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    if (!acceptable || props.busy) return
    const chosen = pin
    setPin('')
    setConfirmation('')
    props.onSubmit(chosen)
  }
  return (
    <HolderPanel label={t('pin.holderArea')} testId="holder-pin-panel">
      <form ref={form} className={styles.form} onSubmit={submit} aria-label={t('pin.choose.heading')}>
        <Field label={t('pin.choose.first')} size="large">
          <Input
            type="password"
            size="large"
            autoComplete="new-password"
            data-testid="holder-pin"
            value={pin}
            onChange={(_e, data) => setPin(data.value)}
          />
        </Field>
        <Field label={t('pin.choose.second')} size="large">
          <Input
            type="password"
            size="large"
            autoComplete="new-password"
            data-testid="holder-pin-confirm"
            value={confirmation}
            onChange={(_e, data) => setConfirmation(data.value)}
          />
        </Field>
        {props.rules.conflict ? (
          <p role="alert">{t('errors.pin-rules-conflict')}</p>
        ) : (
          <PinRulesList rules={props.rules} pin={pin} confirmation={confirmation} />
        )}
        <Button
          type="submit"
          appearance="primary"
          size="large"
          data-testid="holder-pin-submit"
          disabledFocusable={!acceptable || props.busy}
          icon={props.busy ? <Spinner size="tiny" /> : null}
        >
          {t('pin.choose.submit')}
        </Button>
      </form>
    </HolderPanel>
  )
}
