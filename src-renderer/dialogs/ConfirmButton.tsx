// A button that asks first ("Delete…", "Rotate key…"): the button, and while it is asking the confirmation dialog.
import { useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import type { ConfirmDialogProps } from './ConfirmDialog.tsx';

export interface ConfirmButtonProps extends Omit<ConfirmDialogProps, 'onCancel'> {
  /** What the button says (ending in "…", since it asks). */
  label: string;
  disabled?: boolean;
}

export function ConfirmButton({ label, disabled, title, message, confirmLabel, onConfirm }: ConfirmButtonProps) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" className="danger" disabled={disabled} onClick={() => setConfirming(true)}>
        {label}
      </button>
      {confirming && (
        <ConfirmDialog
          title={title}
          message={message}
          confirmLabel={confirmLabel}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            onConfirm();
          }}
        />
      )}
    </>
  );
}
