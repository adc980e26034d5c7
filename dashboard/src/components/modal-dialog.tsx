import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';

interface ModalDialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}

/**
 * A modal on the native `<dialog>`: the browser keeps the focus inside, Escape closes it, the page behind is
 * inert, and the focus returns to the button that opened it. Mounted means open.
 */
export function ModalDialog({ title, onClose, children }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // A layout effect: its cleanup runs while the dialog is still in the page. A passive effect's cleanup runs after
  // paint in Preact 11, once the dialog is gone and the focus has already fallen to the body.
  useLayoutEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const node = dialog.current;
    node?.showModal();
    return () => {
      // Closed first: while a modal dialog is open the page behind it is inert, and focus() on the opener would do
      // nothing (Escape's cancel is prevented, so the dialog is still open when it unmounts).
      node?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header class="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="button-icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}
