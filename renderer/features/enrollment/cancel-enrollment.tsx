import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  useId,
} from '@fluentui/react-components'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { cancelEnrollment } from '../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../store/store-context'

/**
 * Cancel an enrollment, after a confirmation that says what happens in CM: the request becomes Canceled while
 * no card is bound to it, Abandoned once one is (cm-rest-api.md §5.7).
 */
export function CancelEnrollment(props: { view: EnrollmentView }): ReactNode {
  const { t } = useTranslation()
  const { station, store } = useStationContext()
  const [open, setOpen] = useState(false)
  const busy = useStationState((s) => s.enrollments.busy[props.view.requestId])
  const bound = props.view.card?.smartcardUuid != null
  // The dialog stays mounted when the enrollment ends (only the button goes): a modal unmounted while it closes would
  // leave the page aria-hidden.
  const buttonId = useId('cancel-enrollment')
  const close = (): void => {
    setOpen(false)
    // Back to the Cancel button the dialog came from (it is not a DialogTrigger: it may go away with the step).
    requestAnimationFrame(() => document.getElementById(buttonId)?.focus())
  }
  return (
    <>
      {props.view.status === 'done' || !props.view.cancelable ? null : (
        <Button
          id={buttonId}
          data-testid="cancel-enrollment"
          disabledFocusable={busy !== undefined}
          onClick={() => setOpen(true)}
        >
          {t('enrollment.cancel.button')}
        </Button>
      )}
      <Dialog open={open} onOpenChange={(_e, data) => (data.open ? setOpen(true) : close())}>
        <DialogSurface aria-describedby={undefined}>
          <DialogBody>
            <DialogTitle>{t('enrollment.cancel.title')}</DialogTitle>
            <DialogContent>
              {t(bound ? 'enrollment.cancel.abandoned' : 'enrollment.cancel.canceled')}
            </DialogContent>
            <DialogActions>
              {/* The safe choice comes first, so the dialog opens on it (Fluent focuses the first focusable control):
                  a reflex Enter keeps the enrollment going. */}
              <Button data-testid="cancel-keep" onClick={close}>
                {t('enrollment.cancel.keep')}
              </Button>
              <Button
                appearance="primary"
                data-testid="cancel-confirm"
                onClick={() => {
                  setOpen(false)
                  void cancelEnrollment(station, store, props.view.requestId)
                }}
              >
                {t(bound ? 'enrollment.cancel.confirmAbandon' : 'enrollment.cancel.confirmCancel')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  )
}
