import { useEffect, useState } from 'preact/hooks';

const NAVIGATED = 'tidehook:navigated';

/** Shows another screen without reloading the page; the back button returns to the one before. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
}

export interface CurrentLocation {
  pathname: string;
  search: URLSearchParams;
}

function current(): CurrentLocation {
  return { pathname: location.pathname, search: new URLSearchParams(location.search) };
}

/** The address, kept current across `navigate`, back and forward. */
export function useLocation(): CurrentLocation {
  const [value, setValue] = useState(current);
  useEffect(() => {
    const update = () => setValue(current());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return value;
}
