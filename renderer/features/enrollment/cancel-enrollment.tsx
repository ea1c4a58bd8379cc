import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
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
  return (
    <>
      {props.view.status === 'done' || !props.view.cancelable ? null : (
        <Button
          data-testid="cancel-enrollment"
          disabledFocusable={busy !== undefined}
          onClick={() => setOpen(true)}
        >
          {t('enrollment.cancel.button')}
        </Button>
      )}
      <Dialog open={open} onOpenChange={(_e, data) => setOpen(data.open)}>
        <DialogSurface aria-describedby={undefined}>
          <DialogBody>
            <DialogTitle>{t('enrollment.cancel.title')}</DialogTitle>
            <DialogContent>
              {t(bound ? 'enrollment.cancel.abandoned' : 'enrollment.cancel.canceled')}
            </DialogContent>
            <DialogActions>
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
              <DialogTrigger disableButtonEnhancement>
                <Button>{t('enrollment.cancel.keep')}</Button>
              </DialogTrigger>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  )
}
