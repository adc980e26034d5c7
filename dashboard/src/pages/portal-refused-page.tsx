import { useEffect } from 'preact/hooks';

/** A portal link that opens nothing (used, expired, revoked) or a portal left: there is no sign-in to offer. */
export function PortalRefusedPage({ productName, reason }: { productName: string; reason: string }) {
  useEffect(() => {
    document.title = `Portal link refused · ${productName}`;
  }, [productName]);
  return (
    <main id="main" class="sign-in">
      <h1>{productName}</h1>
      <p role="alert" class="notice notice-error">
        {reason}
      </p>
    </main>
  );
}
