/** The operator's product name, which the server wrote into the page (escaped) from `DASHBOARD_PRODUCT_NAME`. */
export function readProductName(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="tidehook-product-name"]')?.content || 'Tidehook';
}
