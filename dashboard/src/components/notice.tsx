import type { ComponentChildren } from 'preact';

interface NoticeProps {
  tone: 'error' | 'success' | 'info';
  children: ComponentChildren;
  /**
   * `alert` interrupts a screen reader (errors), `status` waits its turn (progress, success); both are announced
   * without moving the focus. False inside a live region that already announces it. @default true
   */
  announce?: boolean;
}

/** A message about what just happened. */
export function Notice({ tone, children, announce = true }: NoticeProps) {
  const role = !announce ? undefined : tone === 'error' ? 'alert' : 'status';
  return (
    <div class={`notice notice-${tone}`} role={role}>
      {children}
    </div>
  );
}
