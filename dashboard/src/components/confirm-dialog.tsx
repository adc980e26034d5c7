import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { ModalDialog } from './modal-dialog';
import { Notice } from './notice';

interface ConfirmDialogProps {
  title: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ComponentChildren;
}

/** "Are you sure?" for what cannot be undone; the API's refusal, if any, is shown in place. */
export function ConfirmDialog({ title, confirmLabel, onConfirm, onClose, children }: ConfirmDialogProps) {
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
      setBusy(false);
    }
  };
  return (
    <ModalDialog title={title} onClose={onClose}>
      {error && <Notice tone="error">{error.message}</Notice>}
      {children}
      <div class="form-actions">
        <button type="button" class="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="button button-danger" disabled={busy} onClick={confirm}>
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
