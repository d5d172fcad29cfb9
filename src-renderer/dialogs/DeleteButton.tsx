// A "Delete…" button that asks first: the button, and while it is asking the confirmation dialog.
import { useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import type { ConfirmDialogProps } from './ConfirmDialog.tsx';

export function DeleteButton({ title, message, confirmLabel, onConfirm }: Omit<ConfirmDialogProps, 'onCancel'>) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete…
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
