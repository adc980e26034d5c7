import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useSession } from '../session/session-context';

/**
 * The screen's heading. It names the browser tab too, and takes the focus when the screen changes, so keyboard
 * and screen-reader users start reading at the new screen instead of the link they left.
 */
export function PageTitle({ title, children }: { title: string; children?: ComponentChildren }) {
  const { productName } = useSession();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${productName}`;
  }, [title, productName]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}
